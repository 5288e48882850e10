"""What an audit row holds: plain JSON snapshots of an entity before and after a change.

An ISO auditor reads these years later, after services were renamed and officers left, so a
snapshot names things (service codes, usernames) rather than pointing at ids, and never holds a
secret (password hashes and device tokens are left out).
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum

from .catalogue import export_row


def jsonable(value):
    """Dates, times and enums as the text a person reads; lists and dicts copied, recursively."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return "24:00" if value == time.max else value.strftime("%H:%M")
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def diff(before: dict | None, after: dict | None) -> dict[str, tuple]:
    """Field -> (old, new) for every field whose value differs; a missing side reads as None."""
    before, after = before or {}, after or {}
    return {
        key: (before.get(key), after.get(key))
        for key in list(before) + [k for k in after if k not in before]
        if before.get(key) != after.get(key)
    }


def service_snapshot(service) -> dict:
    """Every field of the Standar Pelayanan and the SOP identity, plus what the office sets on top."""
    row = export_row(service)
    row.update(
        alert_wait_minutes=service.alert_wait_minutes,
        alert_service_minutes=service.alert_service_minutes,
        position=service.position,
    )
    return jsonable(row)


def counter_snapshot(counter, service_codes: list[str]) -> dict:
    return {
        "number": counter.number,
        "name": counter.name,
        "area": counter.area,
        "services": list(service_codes),
        "call_order": counter.call_order,
    }


def user_snapshot(user) -> dict:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": jsonable(user.role),
        "active": user.active,
        "competences": [s.code for s in user.competences],
    }


def device_snapshot(device, codes_by_id: dict[int, str]) -> dict:
    return {
        "kind": device.kind,
        "name": device.name,
        "area": device.area,
        "services": [codes_by_id.get(i, f"#{i}") for i in device.service_ids or []],
        "active": device.active,
        "settings": jsonable(dict(device.settings or {})),
    }


OFFICE_FIELDS = (
    "name",
    "address",
    "time_zone",
    "language",
    "opening_hours",
    "priority_max_in_a_row",
    "max_recalls",
    "no_show_window_minutes",
    "transfer_position",
    "number_reading",
    "running_text",
    "paper_width_mm",
    "require_device_token",
    "survey_link_days",
    "complaint_url",
    "notify_people_ahead",
    "notify_minutes_ahead",
    "head_name",
    "head_nip",
)


def office_snapshot(office) -> dict:
    return {name: jsonable(getattr(office, name)) for name in OFFICE_FIELDS}


def holiday_snapshot(holiday) -> dict:
    return {"day": holiday.day.isoformat(), "name": holiday.name}
