"""The office's settings: name, time zone, hours, issuing rules, voice, audited."""

from __future__ import annotations

import re
from collections.abc import Mapping
from zoneinfo import available_timezones

from ...domain.audit import (
    office_snapshot,
)
from ...domain.hours import WEEKDAYS, OpeningHours
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Invalid, _choice, _text, _whole

# --- office settings ---

LANGUAGES = ("id", "en")
NUMBER_READINGS = ("words", "digits")
TRANSFER_POSITIONS = ("original", "front")
COMPLAINT_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
SPAN = re.compile(r"^\s*(\d{1,2}[:.]\d{2})\s*-\s*(\d{1,2}[:.]\d{2})\s*$")


def hours_to_text(spans: list) -> str:
    """`[["08:00", "12:00"], ["13:00", "15:30"]]` -> `"08:00-12:00, 13:00-15:30"` (a break between)."""
    return ", ".join(f"{start}-{end}" for start, end in spans)


def hours_from_text(text: str) -> list[list[str]]:
    """The inverse of hours_to_text; an empty text is a closed day. ValueError says what is wrong."""
    spans = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        match = SPAN.match(part)
        if not match:
            raise ValueError("write intervals like 08:00-12:00, 13:00-15:30")
        spans.append([match.group(1).replace(".", ":").zfill(5), match.group(2).replace(".", ":").zfill(5)])
    return spans


def parse_office(data: Mapping) -> dict:
    errors: dict[str, str] = {}
    fields = {
        "name": _text(errors, "name", data.get("name"), limit=200, required=True),
        "address": _text(errors, "address", data.get("address"), limit=500),
        "time_zone": (data.get("time_zone") or "").strip(),
        "language": _choice(errors, "language", data.get("language"), LANGUAGES),
        "running_text": _text(errors, "running_text", data.get("running_text"), limit=1000),
        "paper_width_mm": _choice(errors, "paper_width_mm", data.get("paper_width_mm"), ("58", "80")),
        "priority_max_in_a_row": _whole(
            errors, "priority_max_in_a_row", data.get("priority_max_in_a_row"), minimum=1, maximum=20
        ),
        "max_recalls": _whole(errors, "max_recalls", data.get("max_recalls"), minimum=0, maximum=10),
        "no_show_window_minutes": _whole(
            errors, "no_show_window_minutes", data.get("no_show_window_minutes"), minimum=0, maximum=480
        ),
        "number_reading": _choice(errors, "number_reading", data.get("number_reading"), NUMBER_READINGS),
        "transfer_position": _choice(errors, "transfer_position", data.get("transfer_position"), TRANSFER_POSITIONS),
        "require_device_token": bool(data.get("require_device_token")),
        # A form from before these settings existed keeps the defaults (7 days, no address).
        "survey_link_days": _whole(
            errors, "survey_link_days", data.get("survey_link_days", "7"), minimum=1, maximum=90
        ),
        "complaint_url": _text(errors, "complaint_url", data.get("complaint_url"), limit=500),
        # Notifications (issue 25): "N more" / "M minutes" to a visitor who opted in; 0 turns one off.
        "notify_people_ahead": _whole(
            errors, "notify_people_ahead", data.get("notify_people_ahead", "3"), minimum=0, maximum=50
        ),
        "notify_minutes_ahead": _whole(
            errors, "notify_minutes_ahead", data.get("notify_minutes_ahead", "0"), minimum=0, maximum=240
        ),
    }
    if fields["complaint_url"] and not COMPLAINT_URL.match(fields["complaint_url"]):
        errors["complaint_url"] = "a web address starting with https:// or http://, e.g. https://www.lapor.go.id"
    if fields["time_zone"] not in available_timezones():
        errors["time_zone"] = "not a time zone name; use e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura"
    if "paper_width_mm" in errors:
        errors["paper_width_mm"] = "58 or 80 mm"
    else:
        fields["paper_width_mm"] = int(fields["paper_width_mm"])
    hours = {}
    for day in WEEKDAYS:
        try:
            hours[day] = hours_from_text(data.get(f"hours_{day}", ""))
            OpeningHours.from_dict({day: hours[day]})
        except ValueError as exc:
            message = str(exc)
            errors[f"hours_{day}"] = message.split(": ", 1)[1] if message.startswith(f"{day}: ") else message
    fields["opening_hours"] = hours
    if errors:
        raise Invalid(errors)
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
