"""The office's service day: when it ends, and whether its close is due."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .numbering import service_day


def parse_clock(text: str) -> time:
    """`17:00` -> 17:00; a ValueError names what is wrong."""
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes)
    except (ValueError, AttributeError):
        raise ValueError(f"{text!r} is not a time of day (HH:MM)") from None


def close_due(now: datetime, time_zone: str, closes_at: str) -> bool:
    """Has today's close time passed in the office's time zone?"""
    return now.astimezone(ZoneInfo(time_zone)).time() >= parse_clock(closes_at)


def last_day_to_close(now: datetime, time_zone: str, closes_at: str, *, at_once: bool) -> date:
    """The latest service day a close at `now` ends: today once due (or when asked at once), else yesterday.

    A timer that catches up in the morning after a night without power must not close the new day."""
    today = service_day(now, time_zone)
    if at_once or close_due(now, time_zone, closes_at):
        return today
    return date.fromordinal(today.toordinal() - 1)
