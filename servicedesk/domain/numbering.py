"""Ticket numbers: the service prefix and a daily sequence that resets at local midnight."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

MIN_DIGITS = 3


def format_number(prefix: str, sequence: int) -> str:
    """`A` + 7 -> `A007`; past 999 the number grows (`A1000`) instead of wrapping to a duplicate."""
    if sequence < 1:
        raise ValueError("ticket sequences start at 1")
    return f"{prefix}{sequence:0{MIN_DIGITS}d}"


def service_day(moment: datetime, time_zone: str) -> date:
    """The office's calendar day of an aware moment; the day a sequence belongs to."""
    if moment.tzinfo is None:
        raise ValueError("service_day needs an aware datetime")
    return moment.astimezone(ZoneInfo(time_zone)).date()
