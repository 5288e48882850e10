"""Ticket numbers: the service prefix and a daily sequence that resets at local midnight.

The number is written by the database as it takes the sequence, from the one SQL expression of
persistence/numbering.py (`A` + 7 -> `A007`; past 999 it grows, `A1000`, instead of wrapping to a
duplicate); MIN_DIGITS is its one parameter.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

MIN_DIGITS = 3


def service_day(moment: datetime, time_zone: str) -> date:
    """The office's calendar day of an aware moment; the day a sequence belongs to."""
    if moment.tzinfo is None:
        raise ValueError("service_day needs an aware datetime")
    return moment.astimezone(ZoneInfo(time_zone)).date()
