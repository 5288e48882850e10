"""What every admin page's form shares (WTForms, through Flask-WTF): the field rules, each message
from the one table of coded errors (messages.py), and the domain's coded errors put on their field.

A form checks what a page can check alone (required, lengths, numbers, choices); the use case checks
the rules of the office (a prefix or counter number used once, opening hours, the password policy)
and answers `Invalid`, which `refuse()` shows next to the field.
"""

from __future__ import annotations

from datetime import date

from flask import request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from ...domain.errors import FieldInvalid, Invalid
from ...domain.model.agency import assignable_agency
from ..context import unit_of_work
from .messages import message


def _rule(code: str, **params) -> str:
    return message(FieldInvalid(code, None, **params))


def strip(value):
    return value.strip() if isinstance(value, str) else value


class Required:
    def __call__(self, form, field) -> None:
        if not field.data:
            raise StopValidation(_rule("required"))


class Text:
    """At most `limit` characters."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form, field) -> None:
        if field.data and len(field.data) > self.limit:
            raise ValidationError(_rule("too_long", n=self.limit))


class Whole:
    """A whole number from `low` to `high`; the field's data becomes the int (None when optional and empty)."""

    def __init__(self, low: int, high: int, *, optional: bool = False):
        self.low, self.high, self.optional = low, high, optional

    def __call__(self, form, field) -> None:
        text = field.data if isinstance(field.data, str) else ("" if field.data is None else str(field.data))
        if not text:
            if self.optional:
                field.data = None
                raise StopValidation()
            raise StopValidation(_rule("required"))
        try:
            number = int(text)
        except ValueError:
            raise StopValidation(_rule("whole_number")) from None
        if not self.low <= number <= self.high:
            raise StopValidation(_rule("between", low=self.low, high=self.high))
        field.data = number


class OneOf:
    def __init__(self, choices, code: str = "choose_option"):
        self.choices, self.code = tuple(choices), code

    def __call__(self, form, field) -> None:
        if field.data not in self.choices:
            raise StopValidation(_rule(self.code))


class IsoDate:
    """An optional date like 2026-08-17; the field's data becomes the date."""

    def __call__(self, form, field) -> None:
        if not field.data:
            field.data = None
            return
        try:
            field.data = date.fromisoformat(field.data)
        except ValueError:
            raise StopValidation(_rule("date_format")) from None


class Id:
    """An optional id of a row; the field's data becomes the int."""

    def __call__(self, form, field) -> None:
        if not field.data:
            field.data = None
        elif field.data.isdigit():
            field.data = int(field.data)
        else:
            raise StopValidation(_rule("unknown"))


class Matches:
    def __init__(self, pattern, code: str):
        self.pattern, self.code = pattern, code

    def __call__(self, form, field) -> None:
        if field.data and not self.pattern.match(field.data):
            raise ValidationError(_rule(self.code))


class ListField(Field):
    """Every value posted under the name (checkboxes of services), as given; the use case checks them."""

    def process_formdata(self, valuelist) -> None:
        self.data = list(valuelist)

    def _value(self):
        return self.data or []


class LinesField(TextAreaField):
    """One item a line; empty lines dropped."""

    def process_formdata(self, valuelist) -> None:
        text = valuelist[0] if valuelist else ""
        self.data = [line.strip() for line in text.splitlines() if line.strip()]

    def _value(self) -> str:
        return "\n".join(self.data or [])


def text(*validators, empty: str | None = None) -> StringField:
    """A one-line field, stripped; `empty` stands for a value left out or blank."""
    filters = [strip] if empty is None else [strip, lambda value: value or empty]
    return StringField(validators=list(validators), filters=filters, default="")


def check() -> BooleanField:
    return BooleanField(false_values=("false", "0", ""))


class AdminForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST; the upload views check the token themselves

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._refused: dict[str, str] = {}

    def refuse(self, invalid: Invalid) -> None:
        """The use case's coded errors, each shown next to its field."""
        for field, error in invalid.errors.items():
            self._refused[field] = message(error)

    @property
    def messages(self) -> dict[str, str]:
        """Field -> its first message, in the page's language."""
        found = {name: field.errors[0] for name, field in self._fields.items() if field.errors}
        return found | self._refused

    def values(self) -> dict:
        """What was typed, to show the form again as it was sent."""
        values = {}
        for name, field in self._fields.items():
            if isinstance(field, ListField):
                values[name] = [str(v) for v in field.data or []]
            elif isinstance(field, BooleanField):
                values[name] = bool(field.data)
            elif field.raw_data:
                values[name] = field.raw_data[0]
            else:
                values[name] = field._value()
        return values


def submitted(form: AdminForm, use_case):
    """The use case run on the form's data in a unit of work once the form is valid; Invalid if
    either refuses (the caller puts `form.refuse(invalid)` on the page)."""
    if not form.validate():
        raise Invalid([])
    with unit_of_work() as uow:
        return use_case(uow, form.data | chosen_agency())


def chosen_agency() -> dict:
    """The agency a new row gets (domain/model/agency.py assignable_agency): an agency
    administrator's own, whatever the form says (a forged `agency_id` is ignored); a site
    administrator's choice in the form's agency select (empty: the site), checked by the use case
    (`agency_chosen`). Without the select, the use case's default applies."""
    actor_agency = current_user.agency_id
    if actor_agency is not None or "agency_id" not in request.form:
        return {"agency_id": assignable_agency(current_user.role, actor_agency, None)}
    raw = request.form.get("agency_id", "").strip()
    if not raw:
        wanted = None
    elif raw.isdigit():
        wanted = int(raw)
    else:
        raise Invalid([FieldInvalid("choose_agency", "agency_id")])
    return {"agency_id": assignable_agency(current_user.role, actor_agency, wanted), "agency_chosen": True}
