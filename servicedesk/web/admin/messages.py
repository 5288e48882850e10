"""The pages' words for every coded error of the set-up: ONE table, code -> lazy_gettext message.

Use cases and domain validators raise `FieldInvalid(code, field, **params)`; a page shows
`message(error)` next to the field, in the page's language. Nothing here reads English text back.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...domain.errors import FieldInvalid

MESSAGES = {
    "required": _l("is required"),
    "whole_number": _l("must be a whole number"),
    "between": _l("must be between %(low)s and %(high)s"),
    "at_least": _l("must be at least %(n)s"),
    "at_most": _l("must be at most %(n)s"),
    "too_long": _l("at most %(n)s characters"),
    "too_short": _l("at least %(n)s characters"),
    "choose_option": _l("choose one of the options"),
    "unknown": _l("unknown"),
    "unknown_service": _l("unknown service"),
    "choose_agency": _l("choose an active agency, or the site"),
    "service_of_other_agency": _l("a counter serves only services of its own agency: %(codes)s belong to another"),
    "unknown_column": _l("unknown column"),
    "bad_value": _l("this value cannot be read"),
    "prefix_taken": _l("%(code)s is already the prefix of %(name)s"),
    "prefix_format": _l("1 to 4 letters A-Z (the ticket prefix)"),
    "counter_exists": _l("counter %(number)s exists already"),
    "order_number": _l("order numbers are whole numbers from 1"),
    "order_repeated": _l("each order number may be used once"),
    "username_format": _l("3 to 64 characters: small letters, digits, . _ -"),
    "username_taken": _l("this username is taken"),
    "passwords_differ": _l("the two passwords differ"),
    "password_is_username": _l("the password must not be the username"),
    "password_guessable": _l("this password is too common or too easy to guess"),
    "last_admin": _l("the office needs at least one active admin"),
    "own_account": _l("you cannot deactivate your own account"),
    "date_format": _l("use a date like 2026-08-17"),
    "catalogue_date": _l("use a date like 2025-01-31"),
    "time_format": _l("use a time like 14:00"),
    "clock_format": _l("use a time of day like 17:00"),
    "true_false": _l("use true/false"),
    "holiday_exists": _l("this day is a holiday already"),
    "holiday_line": _l("write a date and a name, like 2026-08-17 Hari Kemerdekaan"),
    "holiday_name_too_long": _l("the name has more than 200 characters"),
    "also_on_line": _l("%(what)s is also on line %(line)s"),
    "list_empty": _l("the list is empty"),
    "not_a_mapping": _l("each service must be a mapping of fields"),
    "not_a_list": _l("expected a list of services (or `services:` with a list)"),
    "yaml": _l("the YAML cannot be read: %(reason)s"),
    "unreadable_value": _l("a value cannot be read: %(reason)s"),
    "choose_image": _l("choose an image file"),
    "image_too_large": _l("the image is larger than %(kb)s KB"),
    "image_type": _l("use a PNG, JPEG or WebP image"),
    "choose_catalogue": _l("choose a YAML or CSV file"),
    "not_utf8": _l("the file is not UTF-8 text"),
    "nip": _l("a NIP of 18 digits: birth date, appointment month, 1 or 2, sequence, e.g. 198503122010011002"),
    "web_address": _l("a web address starting with https:// or http://, e.g. https://www.lapor.go.id"),
    "time_zone": _l("not a time zone name; use e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura"),
    "paper_width": _l("58 or 80 mm"),
    "hours_format": _l("write intervals like 08:00-12:00, 13:00-15:30"),
    "not_before": _l("%(start)s is not before %(end)s"),
    "time_of_day": _l("not a time of day: %(text)s"),
    "intervals_overlap": _l("intervals overlap"),
    "reasons_empty": _l("write at least one reason"),
    "reasons_many": _l("at most 20 reasons"),
    "reason_too_long": _l("a reason has at most 200 characters"),
    "printer_host_required": _l("enter the printer's IP address or host name"),
    "printer_host_format": _l("not an IP address or host name (no http://, port or spaces)"),
    "printer_port": _l("a port is a whole number from 1 to 65535 (usually 9100)"),
    "usb_id_required": _l("enter the printer's USB id, four hex digits such as 04b8 (see lsusb)"),
    "usb_id_format": _l("a USB id is four hex digits such as 04b8 or 0x04b8 (see lsusb)"),
    "group_line": _l("line %(line)s: write key | Indonesian name | English name"),
    "group_key": _l("line %(line)s: the key is 1 to 40 small letters, digits or _ (e.g. lansia)"),
    "group_twice": _l("line %(line)s: the key %(key)s is listed twice"),
    "group_name_too_long": _l("line %(line)s: a name is at most 100 characters"),
    "groups_empty": _l("list at least one group"),
    "groups_many": _l("at most %(n)s groups fit on the kiosk"),
    "agency_code": _l("2 to 20 capital letters A-Z, digits or _, starting with a letter (e.g. DUKCAPIL)"),
    "agency_code_taken": _l("another agency has this code"),
    "brand_colour": _l("a colour like #1a5fb4"),
    "unknown_agency": _l("unknown agency"),
}


def message(error: FieldInvalid | str) -> str:
    """A coded error in the page's language (a WTForms message is already translated)."""
    if not isinstance(error, FieldInvalid):
        return str(error)
    template = MESSAGES.get(error.code)
    if template is None:
        return str(error)
    return str(template) % error.params


def messages(errors: dict) -> dict[str, str]:
    """Field -> message, for a form's page."""
    return {field: message(error) for field, error in errors.items()}
