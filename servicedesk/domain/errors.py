"""Errors the domain raises; each carries a stable code the API and the pages translate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class DomainError(Exception):
    """A rule of the queue refused an action."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}


class InvalidTransition(DomainError):
    code = "invalid_transition"


class IssuingRefused(DomainError):
    """The kiosk cannot issue a ticket now; `code` says why (closed, holiday, quota...)."""

    code = "issuing_refused"


class QueueEmpty(DomainError):
    code = "queue_empty"


class NotAllowed(DomainError):
    code = "forbidden"


class NotFound(DomainError):
    code = "not_found"


class CounterBusy(DomainError):
    code = "counter_busy"


#: What each field rule says, in English: the text of `str(error)` for logs and the command line.
#: The pages translate from the code (web/admin/messages.py has the same keys; a unit test keeps
#: the two in step).
FIELD_RULES = {
    "required": "is required",
    "whole_number": "must be a whole number",
    "between": "must be between %(low)s and %(high)s",
    "at_least": "must be at least %(n)s",
    "at_most": "must be at most %(n)s",
    "too_long": "at most %(n)s characters",
    "too_short": "at least %(n)s characters",
    "choose_option": "choose one of the options",
    "unknown": "unknown",
    "unknown_service": "unknown service",
    "unknown_column": "unknown column",
    "bad_value": "this value cannot be read",
    "prefix_taken": "%(code)s is already the prefix of %(name)s",
    "prefix_format": "1 to 4 letters A-Z (the ticket prefix)",
    "counter_exists": "counter %(number)s exists already",
    "order_number": "order numbers are whole numbers from 1",
    "order_repeated": "each order number may be used once",
    "username_format": "3 to 64 characters: small letters, digits, . _ -",
    "username_taken": "this username is taken",
    "passwords_differ": "the two passwords differ",
    "password_is_username": "the password must not be the username",
    "password_guessable": "this password is too common or too easy to guess",
    "last_admin": "the office needs at least one active admin",
    "own_account": "you cannot deactivate your own account",
    "date_format": "use a date like 2026-08-17",
    "catalogue_date": "use a date like 2025-01-31",
    "time_format": "use a time like 14:00",
    "clock_format": "use a time of day like 17:00",
    "true_false": "use true/false",
    "holiday_exists": "this day is a holiday already",
    "holiday_line": "write a date and a name, like 2026-08-17 Hari Kemerdekaan",
    "holiday_name_too_long": "the name has more than 200 characters",
    "also_on_line": "%(what)s is also on line %(line)s",
    "list_empty": "the list is empty",
    "not_a_mapping": "each service must be a mapping of fields",
    "not_a_list": "expected a list of services (or `services:` with a list)",
    "yaml": "the YAML cannot be read: %(reason)s",
    "unreadable_value": "a value cannot be read: %(reason)s",
    "choose_image": "choose an image file",
    "image_too_large": "the image is larger than %(kb)s KB",
    "image_type": "use a PNG, JPEG or WebP image",
    "choose_catalogue": "choose a YAML or CSV file",
    "not_utf8": "the file is not UTF-8 text",
    "nip": "a NIP of 18 digits: birth date, appointment month, 1 or 2, sequence, e.g. 198503122010011002",
    "web_address": "a web address starting with https:// or http://, e.g. https://www.lapor.go.id",
    "time_zone": "not a time zone name; use e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura",
    "paper_width": "58 or 80 mm",
    "hours_format": "write intervals like 08:00-12:00, 13:00-15:30",
    "not_before": "%(start)s is not before %(end)s",
    "time_of_day": "not a time of day: %(text)s",
    "intervals_overlap": "intervals overlap",
    "reasons_empty": "write at least one reason",
    "reasons_many": "at most 20 reasons",
    "reason_too_long": "a reason has at most 200 characters",
    "printer_host_required": "enter the printer's IP address or host name",
    "printer_host_format": "not an IP address or host name (no http://, port or spaces)",
    "printer_port": "a port is a whole number from 1 to 65535 (usually 9100)",
    "usb_id_required": "enter the printer's USB id, four hex digits such as 04b8 (see lsusb)",
    "usb_id_format": "a USB id is four hex digits such as 04b8 or 0x04b8 (see lsusb)",
    "group_line": "line %(line)s: write key | Indonesian name | English name",
    "group_key": "line %(line)s: the key is 1 to 40 small letters, digits or _ (e.g. lansia)",
    "group_twice": "line %(line)s: the key %(key)s is listed twice",
    "group_name_too_long": "line %(line)s: a name is at most 100 characters",
    "groups_empty": "list at least one group",
    "groups_many": "at most %(n)s groups fit on the kiosk",
    "agency_code": "2 to 20 capital letters A-Z, digits or _, starting with a letter (e.g. DUKCAPIL)",
    "agency_code_taken": "another agency has this code",
    "choose_agency": "choose an active agency, or the site",
    "service_of_other_agency": "a counter serves only services of its own agency: %(codes)s belong to another",
    "brand_colour": "a colour like #1a5fb4",
    "unknown_agency": "unknown agency",
}


class FieldInvalid(DomainError, ValueError):
    """One value broke a rule: `code` names the rule (a key of FIELD_RULES), `details` hold the
    rule's parameters and, once known, the `field`. A ValueError too, so a parser that does not
    know the field yet can raise it and its caller name the field (`at`)."""

    def __init__(self, code: str, field: str | None = None, /, **params):
        super().__init__(FIELD_RULES.get(code, code) % params, code=code, details=dict(params))
        self.params = dict(params)
        self.field = field
        if field is not None:
            self.details["field"] = field

    def at(self, field: str) -> FieldInvalid:
        """The same refusal, under `field`."""
        return FieldInvalid(self.code, field, **self.params)


class Invalid(DomainError):
    """What is wrong with a form, field by field (field -> FieldInvalid); nothing was saved."""

    code = "invalid"

    def __init__(self, errors: Mapping[str, FieldInvalid] | Iterable[FieldInvalid]):
        found = errors.values() if isinstance(errors, Mapping) else errors
        self.errors = {error.field: error for error in found}
        message = "; ".join(f"{field}: {error}" for field, error in self.errors.items())
        super().__init__(message, details={field: error.details for field, error in self.errors.items()})


class Problems(dict):
    """The field errors of one form, collected before anything is changed."""

    def add(self, field: str, code: str, /, **params) -> None:
        self[field] = FieldInvalid(code, field, **params)

    def check(self) -> None:
        """Raise Invalid if any field is wrong."""
        if self:
            raise Invalid(self)
