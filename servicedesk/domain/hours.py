"""Opening hours, breaks, holidays, cut-off and quota: whether the kiosk may issue a ticket now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .errors import FieldInvalid, IssuingRefused

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_hhmm(text: str) -> time:
    """`"08:00"` -> time(8, 0); `"24:00"` is the end of the day."""
    hours, _, minutes = text.partition(":")
    h, m = int(hours), int(minutes or 0)
    if h == 24 and m == 0:
        return time.max
    if not (0 <= h < 24 and 0 <= m < 60):
        raise FieldInvalid("time_of_day", text=text)
    return time(h, m)


@dataclass(frozen=True)
class OpeningHours:
    """Per weekday, the intervals the desk is open; a gap between intervals is a break.

    Stored as `{"mon": [["08:00", "12:00"], ["13:00", "15:30"]], "fri": [...], "sun": []}`.
    """

    intervals: dict[str, list[tuple[time, time]]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, list[list[str]]]) -> OpeningHours:
        parsed: dict[str, list[tuple[time, time]]] = {}
        for day, spans in (data or {}).items():
            if day not in WEEKDAYS:
                raise ValueError(f"unknown weekday {day!r}; use one of {', '.join(WEEKDAYS)}")
            day_spans = []
            for span in spans:
                if len(span) != 2:
                    raise ValueError(f"{day}: each interval is [start, end]")
                start, end = parse_hhmm(span[0]), parse_hhmm(span[1])
                if start >= end:
                    raise FieldInvalid("not_before", f"hours_{day}", start=span[0], end=span[1])
                day_spans.append((start, end))
            day_spans.sort()
            for (_, end), (next_start, _) in zip(day_spans, day_spans[1:], strict=False):
                if next_start < end:
                    raise FieldInvalid("intervals_overlap", f"hours_{day}")
            parsed[day] = day_spans
        return cls(parsed)

    def to_dict(self) -> dict[str, list[list[str]]]:
        def fmt(t: time) -> str:
            return "24:00" if t == time.max else t.strftime("%H:%M")

        return {day: [[fmt(s), fmt(e)] for s, e in spans] for day, spans in self.intervals.items()}

    def spans_on(self, day: date) -> list[tuple[time, time]]:
        return self.intervals.get(WEEKDAYS[day.weekday()], [])


ALWAYS_OPEN = OpeningHours.from_dict({d: [["00:00", "24:00"]] for d in WEEKDAYS})


@dataclass(frozen=True)
class IssuingPolicy:
    """What a kiosk checks before it takes a number: the office's calendar and the service's limits."""

    time_zone: str
    hours: OpeningHours
    holidays: frozenset[date] = frozenset()

    def check(
        self,
        now: datetime,
        *,
        service_active: bool = True,
        cutoff: time | None = None,
    ) -> None:
        """Raise IssuingRefused with the reason the desk cannot issue at `now`, or return."""
        if not service_active:
            raise IssuingRefused("This service is not available.", code="service_inactive")
        local = now.astimezone(ZoneInfo(self.time_zone))
        today, clock = local.date(), local.time()
        if today in self.holidays:
            raise IssuingRefused("The office is closed for a holiday today.", code="holiday")
        spans = self.hours.spans_on(today)
        if not spans:
            raise IssuingRefused("The office is closed today.", code="closed_today")
        if cutoff is not None and clock >= cutoff:
            raise IssuingRefused(
                "Tickets for this service are no longer issued today.",
                code="after_cutoff",
                details={"cutoff": cutoff.strftime("%H:%M")},
            )
        for start, end in spans:
            if start <= clock < end:
                return
        first_start, last_end = spans[0][0], spans[-1][1]
        if clock < first_start:
            raise IssuingRefused(
                "The office is not open yet.",
                code="not_open_yet",
                details={"opens_at": first_start.strftime("%H:%M")},
            )
        if clock >= last_end:
            raise IssuingRefused("The office is closed for today.", code="closed_for_today")
        reopen = next(start for start, _ in spans if start > clock)
        raise IssuingRefused("The desk is on a break.", code="on_break", details={"opens_at": reopen.strftime("%H:%M")})


def quota_reached(quota: int) -> IssuingRefused:
    """The refusal issuing raises when the database took no number past the quota (persistence/numbering.py)."""
    message = "Today's quota for this service has been reached."
    return IssuingRefused(message, code="quota_reached", details={"quota": quota})


#: Refusals that hold for the whole office, not for one service: the kiosk says them once, above the tiles.
OFFICE_WIDE = frozenset({"holiday", "closed_today", "not_open_yet", "on_break", "closed_for_today"})


def refusal_now(
    policy: IssuingPolicy,
    now: datetime,
    *,
    cutoff: time | None = None,
    quota: int | None = None,
    issued_today: int = 0,
) -> IssuingRefused | None:
    """Why a service cannot issue at `now`, asked before the visitor chooses; None when it can.

    The same checks as issuing (IssuingPolicy.check, then the quota), so the start screen never
    promises a ticket the kiosk then refuses.
    """
    try:
        policy.check(now, cutoff=cutoff)
        if quota is not None and issued_today >= quota:
            raise quota_reached(quota)
    except IssuingRefused as refused:
        return refused
    return None
