"""The service catalogue as a file (YAML or CSV): one row per service, checked field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from .errors import FieldInvalid
from .hours import parse_hhmm

CODE = re.compile(r"^[A-Z]{1,4}$")
LIST_SEPARATOR = "|"  # how a CSV cell holds a list (requirements, procedure steps)

FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "unit",
    "requirements",
    "procedure",
    "standard_minutes",
    "fee",
    "product",
    "complaint_channel",
    "sop_number",
    "sop_effective_date",
    "sop_approved_by",
    "daily_quota",
    "cutoff_time",
    "priority_allowed",
    "alert_wait_minutes",
    "alert_service_minutes",
    "active",
    # The English versions of the published texts (optional): the English kiosk falls back to Indonesian.
    "description_en",
    "requirements_en",
    "procedure_en",
    "fee_en",
    "product_en",
    "complaint_channel_en",
)
LIST_FIELDS = ("requirements", "procedure", "requirements_en", "procedure_en")
#: Each published text and its optional English version.
ENGLISH_FIELDS = {
    "description": "description_en",
    "requirements": "requirements_en",
    "procedure": "procedure_en",
    "fee": "fee_en",
    "product": "product_en",
    "complaint_channel": "complaint_channel_en",
}


@dataclass(frozen=True)
class RowError:
    """What is wrong with one field of one row; `error` carries the rule's code and parameters."""

    line: int
    field: str
    error: FieldInvalid

    @property
    def message(self) -> str:
        return str(self.error)

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


class CatalogueInvalid(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [part.strip() for part in str(value).split(LIST_SEPARATOR) if part.strip()]


def _bool(value, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "ya", "y"):
        return True
    if text in ("0", "false", "no", "tidak", "n"):
        return False
    raise FieldInvalid("true_false")


#: The largest whole number a service field takes: the database's INTEGER.
MAX_NUMBER = 2**31 - 1


def _int(value, *, minimum: int, optional: bool) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise FieldInvalid("required")
    if isinstance(value, bool):
        raise FieldInvalid("whole_number")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise FieldInvalid("whole_number") from None
    if number < minimum:
        raise FieldInvalid("at_least", n=minimum)
    if number > MAX_NUMBER:
        raise FieldInvalid("at_most", n=MAX_NUMBER)
    return number


# --- the parsers of one field each: a value -> the field's value, or FieldInvalid ---


def _code(value):
    text = _text(value).upper()
    if not CODE.match(text):
        raise FieldInvalid("prefix_format")
    return text


def _optional_text(limit: int):
    def parse(value):
        text = _text(value)
        if len(text) > limit:
            raise FieldInvalid("too_long", n=limit)
        return text

    return parse


def _required_text(limit: int):
    optional = _optional_text(limit)

    def parse(value):
        text = optional(value)
        if not text:
            raise FieldInvalid("required")
        return text

    return parse


def _day(value):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise FieldInvalid("catalogue_date") from None


def _clock(value) -> time | None:
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):  # YAML reads 15:00 as sexagesimal minutes
        if not 0 <= value < 24 * 60:
            raise FieldInvalid("time_format")
        return time(value // 60, value % 60)
    try:
        return parse_hhmm(str(value).strip())
    except ValueError:
        raise FieldInvalid("time_format") from None


def parse_row(raw: dict, line: int) -> tuple[dict, list[RowError]]:
    """One catalogue row -> the Service fields, or the list of what is wrong with it."""
    errors: list[RowError] = []
    unknown = set(raw) - set(FIELDS)
    for name in sorted(unknown):
        errors.append(RowError(line, name, FieldInvalid("unknown_column", name)))
    out: dict = {}

    def take(field_name: str, parse):
        try:
            out[field_name] = parse(raw.get(field_name))
        except FieldInvalid as refused:
            errors.append(RowError(line, field_name, refused.at(field_name)))
        except (ValueError, TypeError):
            errors.append(RowError(line, field_name, FieldInvalid("bad_value", field_name)))

    take("code", _code)
    take("name", _required_text(200))
    take("name_en", _optional_text(200))
    take("description", _optional_text(2000))
    take("unit", _optional_text(200))
    take("requirements", _list)
    take("procedure", _list)
    take("standard_minutes", lambda v: _int(v, minimum=1, optional=False))
    take("fee", lambda v: _optional_text(200)(v) or "Gratis")
    take("product", _optional_text(500))
    take("complaint_channel", _optional_text(500))
    take("sop_number", _optional_text(100))
    take("sop_effective_date", _day)
    take("sop_approved_by", _optional_text(200))
    take("daily_quota", lambda v: _int(v, minimum=1, optional=True))
    take("cutoff_time", _clock)
    take("priority_allowed", lambda v: _bool(v, True))
    take("alert_wait_minutes", lambda v: _int(v, minimum=1, optional=True))
    take("alert_service_minutes", lambda v: _int(v, minimum=1, optional=True))
    take("active", lambda v: _bool(v, True))
    take("description_en", _optional_text(2000))
    take("requirements_en", _list)
    take("procedure_en", _list)
    take("fee_en", _optional_text(200))
    take("product_en", _optional_text(500))
    take("complaint_channel_en", _optional_text(500))
    if not out.get("name_en") and "name" in out:
        out["name_en"] = out["name"]
    return out, errors


def parse_catalogue(rows: list[tuple[int, dict]]) -> list[dict]:
    """All rows or none: every error of every row is reported, with its line."""
    parsed, errors, seen = [], [], {}
    for line, raw in rows:
        if not isinstance(raw, dict):
            errors.append(RowError(line, "-", FieldInvalid("not_a_mapping", "-")))
            continue
        fields, row_errors = parse_row(raw, line)
        errors.extend(row_errors)
        code = fields.get("code")
        if code and code in seen:
            errors.append(RowError(line, "code", FieldInvalid("also_on_line", "code", what=code, line=seen[code])))
        elif code:
            seen[code] = line
        parsed.append(fields)
    if errors:
        raise CatalogueInvalid(errors)
    return parsed


def export_row(service) -> dict:
    return {
        "code": service.code,
        "name": service.name,
        "name_en": service.name_en,
        "description": service.description,
        "unit": service.unit,
        "requirements": list(service.requirements),
        "procedure": list(service.procedure),
        "standard_minutes": service.standard_minutes,
        "fee": service.fee,
        "product": service.product,
        "complaint_channel": service.complaint_channel,
        "sop_number": service.sop_number,
        "sop_effective_date": service.sop_effective_date.isoformat() if service.sop_effective_date else "",
        "sop_approved_by": service.sop_approved_by,
        "daily_quota": service.daily_quota if service.daily_quota is not None else "",
        "cutoff_time": service.cutoff_time.strftime("%H:%M") if service.cutoff_time else "",
        "priority_allowed": service.priority_allowed,
        "alert_wait_minutes": service.alert_wait_minutes if service.alert_wait_minutes is not None else "",
        "alert_service_minutes": service.alert_service_minutes if service.alert_service_minutes is not None else "",
        "active": service.active,
        "description_en": service.description_en,
        "requirements_en": list(service.requirements_en or []),
        "procedure_en": list(service.procedure_en or []),
        "fee_en": service.fee_en,
        "product_en": service.product_en,
        "complaint_channel_en": service.complaint_channel_en,
    }
