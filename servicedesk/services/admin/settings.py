"""The office's settings: name, time zone, hours, issuing rules, voice, audited."""

from __future__ import annotations

import re
from collections.abc import Mapping
from zoneinfo import available_timezones

from ...domain.audit import (
    office_snapshot,
)
from ...domain.errors import FieldInvalid
from ...domain.hours import WEEKDAYS, OpeningHours
from ...domain.nip import plausible_nip
from ...persistence import tables
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Problems, _fits

# --- office settings ---

LANGUAGES = ("id", "en")
NUMBER_READINGS = ("words", "digits")
TRANSFER_POSITIONS = ("original", "front")
SPAN = re.compile(r"^\s*(\d{1,2}[:.]\d{2})\s*-\s*(\d{1,2}[:.]\d{2})\s*$")


def hours_to_text(spans: list) -> str:
    """`[["08:00", "12:00"], ["13:00", "15:30"]]` -> `"08:00-12:00, 13:00-15:30"` (a break between)."""
    return ", ".join(f"{start}-{end}" for start, end in spans)


def hours_from_text(text: str) -> list[list[str]]:
    """The inverse of hours_to_text; an empty text is a closed day. FieldInvalid says what is wrong."""
    spans = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        match = SPAN.match(part)
        if not match:
            raise FieldInvalid("hours_format")
        spans.append([match.group(1).replace(".", ":").zfill(5), match.group(2).replace(".", ":").zfill(5)])
    return spans


#: The office's settings an admin edits, as the page's form has checked them (lengths, numbers, choices).
OFFICE_FIELDS = (
    "name",
    "address",
    "time_zone",
    "language",
    "running_text",
    "paper_width_mm",
    "priority_max_in_a_row",
    "max_recalls",
    "no_show_window_minutes",
    "number_reading",
    "transfer_position",
    "require_device_token",
    "survey_link_days",
    "complaint_url",
    "notify_people_ahead",
    "notify_minutes_ahead",
    "head_name",
    "head_nip",
)


def parse_office(data: Mapping) -> dict:
    """The office's rules on the form's values: a real time zone, and opening hours that make sense."""
    errors = Problems()
    fields = {name: data.get(name) for name in OFFICE_FIELDS}
    fields["paper_width_mm"] = int(fields["paper_width_mm"])
    if fields["time_zone"] not in available_timezones():
        errors.add("time_zone", "time_zone")
    hours = {}
    for day in WEEKDAYS:
        try:
            hours[day] = hours_from_text(data.get(f"hours_{day}") or "")
            OpeningHours.from_dict({day: hours[day]})
        except FieldInvalid as refused:
            errors[f"hours_{day}"] = refused.at(f"hours_{day}")
    fields["opening_hours"] = hours
    fields["head_name"] = (fields["head_name"] or "").strip()
    fields["head_nip"] = "".join((fields["head_nip"] or "").split())  # typed as "19850312 201001 1 002"
    _fits(errors, tables.office, {k: v for k, v in fields.items() if k in tables.office.c})
    if fields["head_nip"] and not plausible_nip(fields["head_nip"]):
        errors.add("head_nip", "nip")
    errors.check()
    return fields


def update_office(uow: UnitOfWork, *, actor_id: int | None, data: Mapping):
    fields = parse_office(data)
    office = uow.repo.office()
    with audit.audited(
        uow, user_id=actor_id, action="update", entity="office", snapshot=office_snapshot, target=office
    ):
        for name, value in fields.items():
            setattr(office, name, value)
    uow.commit()
    return office
