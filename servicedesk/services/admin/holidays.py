"""Holidays: added, removed and imported from a list, audited."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ...domain.audit import (
    holiday_snapshot,
)
from ...domain.model import Holiday
from ...persistence import setup
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Invalid, _get, _text

# --- holidays ---

HOLIDAY_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[,;\t ]\s*(.+?)\s*$")


@dataclass(frozen=True)
class HolidayImport:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def _holiday_by_day(uow: UnitOfWork, day: date) -> Holiday | None:
    return setup.holiday_on(uow.session, day)


def _parse_day(errors: dict, field: str, value) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors[field] = "use a date like 2026-08-17"
        return None


def add_holiday(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> Holiday:
    errors: dict[str, str] = {}
    day = _parse_day(errors, "day", data.get("day"))
    name = _text(errors, "name", data.get("name"), limit=200, required=True)
    if day and _holiday_by_day(uow, day) is not None:
        errors["day"] = "this day is a holiday already"
    if errors:
        raise Invalid(errors)
    with audit.audited(uow, user_id=actor_id, action="create", entity="holiday", snapshot=holiday_snapshot) as change:
        change.target = holiday = Holiday(day, name)
        uow.repo.add(holiday)
    uow.commit()
    return holiday


def remove_holiday(uow: UnitOfWork, *, actor_id: int | None, holiday_id: int) -> None:
    """A holiday entered by mistake goes away; the audit row keeps what it was."""
    holiday = _get(lambda i: uow.session.get(Holiday, i), holiday_id)
    with audit.audited(
        uow, user_id=actor_id, action="delete", entity="holiday", snapshot=holiday_snapshot, target=holiday
    ):
        uow.session.delete(holiday)
    uow.commit()


def parse_holiday_list(text: str) -> list[tuple[date, str]]:
    """One holiday a line, `2026-08-17 Hari Kemerdekaan` (comma, semicolon or tab also separate).

    Blank lines and lines starting with # are skipped; every bad line is reported by number.
    """
    errors: dict[str, str] = {}
    parsed: list[tuple[date, str]] = []
    seen: dict[date, int] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = HOLIDAY_LINE.match(line)
        day = None
        if match:
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                day = None
        if match is None or day is None:
            errors[f"line {number}"] = "write a date and a name, like 2026-08-17 Hari Kemerdekaan"
        elif len(match.group(2)) > 200:
            errors[f"line {number}"] = "the name has more than 200 characters"
        elif day in seen:
            errors[f"line {number}"] = f"{day.isoformat()} is also on line {seen[day]}"
        else:
            seen[day] = number
            parsed.append((day, match.group(2)))
    if not parsed and not errors:
        errors["line 1"] = "the list is empty"
    if errors:
        raise Invalid(errors)
    return parsed


def import_holidays(uow: UnitOfWork, *, actor_id: int | None, text: str) -> HolidayImport:
    """The year's list (e.g. the SKB of national holidays and cuti bersama): all lines or none."""
    result = HolidayImport([], [], [])
    for day, name in parse_holiday_list(text):
        holiday = _holiday_by_day(uow, day)
        if holiday is not None and holiday.name == name:
            result.unchanged.append(day.isoformat())
            continue
        with audit.audited(
            uow, user_id=actor_id, action="import", entity="holiday", snapshot=holiday_snapshot, target=holiday
        ) as change:
            if holiday is None:
                change.target = Holiday(day, name)
                uow.repo.add(change.target)
                result.created.append(day.isoformat())
            else:
                holiday.name = name
                result.updated.append(day.isoformat())
    uow.commit()
    return result
