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
from ...persistence import setup, tables
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Problems, _agency_of_row, _fits, _get

# --- holidays ---

HOLIDAY_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[,;\t ]\s*(.+?)\s*$")


@dataclass(frozen=True)
class HolidayImport:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def _holiday_by_day(uow: UnitOfWork, day: date, agency_id: int | None) -> Holiday | None:
    return setup.holiday_on(uow.session, day, agency_id)


def _parse_day(errors: Problems, field: str, value) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors.add(field, "date_format")
        return None


def add_holiday(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> Holiday:
    data = {**data, "agency_id": _agency_of_row(uow, data)}
    errors = Problems()
    day = _parse_day(errors, "day", data.get("day"))
    name = data["name"]
    _fits(errors, tables.holidays, {"name": name})
    if day and _holiday_by_day(uow, day, data.get("agency_id")) is not None:
        errors.add("day", "holiday_exists")
    errors.check()
    with audit.audited(uow, user_id=actor_id, action="create", entity="holiday", snapshot=holiday_snapshot) as change:
        change.target = holiday = Holiday(day, name, data.get("agency_id"))
        uow.repo.add(holiday)
    uow.commit()
    return holiday


def remove_holiday(uow: UnitOfWork, *, actor_id: int | None, holiday_id: int) -> None:
    """A holiday entered by mistake goes away; the audit row keeps what it was."""
    holiday = _get(lambda i: setup.find(uow.session, Holiday, i), holiday_id)
    with audit.audited(
        uow, user_id=actor_id, action="delete", entity="holiday", snapshot=holiday_snapshot, target=holiday
    ):
        setup.remove(uow.session, holiday)
    uow.commit()


def parse_holiday_list(text: str) -> list[tuple[date, str]]:
    """One holiday a line, `2026-08-17 Hari Kemerdekaan` (comma, semicolon or tab also separate).

    Blank lines and lines starting with # are skipped; every bad line is reported by number.
    """
    errors = Problems()
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
            errors.add(f"line {number}", "holiday_line")
        elif len(match.group(2)) > 200:
            errors.add(f"line {number}", "holiday_name_too_long")
        elif day in seen:
            errors.add(f"line {number}", "also_on_line", what=day.isoformat(), line=seen[day])
        else:
            seen[day] = number
            parsed.append((day, match.group(2)))
    if not parsed and not errors:
        errors.add("line 1", "list_empty")
    errors.check()
    return parsed


def import_holidays(uow: UnitOfWork, *, actor_id: int | None, text: str) -> HolidayImport:
    """The year's list (e.g. the SKB of national holidays and cuti bersama): all lines or none. The
    building's days (a site administrator's form): an agency adds its own days one by one."""
    result = HolidayImport([], [], [])
    for day, name in parse_holiday_list(text):
        holiday = _holiday_by_day(uow, day, None)
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
