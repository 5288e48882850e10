"""Booking ahead: a day's capacity and its slots, the check-in rule that joins one fair queue, anti-calo limits.

Capacity per service and day is what the counters scheduled for it can serve in the opening hours
(slots of the service's standard time); it is split into an online share, a priority share (kept for
kelompok rentan at the door) and the walk-in rest, never less than the office's walk-in reserve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .errors import DomainError
from .hours import IssuingPolicy


class BookingRefused(DomainError):
    """A booking, a change of it or its check-in is refused; `code` says why."""

    code = "booking_refused"


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"  # on time: queued at its slot time
    LATE = "late"  # checked in past its late window: queued as a walk-in
    NO_SHOW = "no_show"  # the day ended without a check-in


#: A booking in one of these states still holds its seat.
HOLDS_SEAT = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.LATE)


@dataclass(frozen=True)
class CapacitySplit:
    """Shares of a day's capacity in percent; walk-ins get the rest, never below the reserve."""

    online_percent: int = 40
    priority_percent: int = 10
    walk_in_reserve_percent: int = 30

    def __post_init__(self) -> None:
        for name in ("online_percent", "priority_percent", "walk_in_reserve_percent"):
            if not 0 <= getattr(self, name) <= 100:
                raise BookingRefused(f"{name} is a percentage.", code="split_invalid", details={"field": name})
        if self.online_percent + self.priority_percent + self.walk_in_reserve_percent > 100:
            raise BookingRefused(
                "Online and priority shares may not eat into the walk-in reserve.",
                code="split_over_reserve",
                details={"most_online": 100 - self.priority_percent - self.walk_in_reserve_percent},
            )

    def of(self, total: int) -> DayCapacity:
        """The day's seats by share. Rounding favours walk-ins: online and priority round down."""
        online = total * self.online_percent // 100
        priority = total * self.priority_percent // 100
        return DayCapacity(total, online, priority, total - online - priority)


@dataclass(frozen=True)
class DayCapacity:
    total: int
    online: int
    priority: int
    walk_in: int


@dataclass(frozen=True)
class Slot:
    """A time a booked visitor is expected, and how many of them may book it."""

    start: datetime  # aware, UTC
    seats: int  # of the online share
    priority_seats: int = 0  # of the priority share: only a priority booking (kelompok rentan) takes them

    def seats_for(self, priority: bool) -> int:
        """The seats a booking may take: a priority booking those of the priority share, any other
        booking those of the online share only, so the priority share is never taken by a normal one."""
        return self.priority_seats if priority else self.seats


def spread(share: int, n: int, i: int) -> int:
    """Slot i's part of `share` seats spread evenly over n slots (the parts add up to the share)."""
    return (i + 1) * share // n - i * share // n


def slot_starts(policy: IssuingPolicy, day: date, minutes: int, cutoff: time | None = None) -> list[datetime]:
    """Every start of a slot of `minutes` that ends within an opening span of `day` (UTC).

    None on a holiday or a closed day; the Friday break is a gap between spans, so no slot crosses it;
    a slot starting at or after the service's cut-off is not offered (the kiosk would refuse it too).
    """
    if day in policy.holidays or minutes <= 0:
        return []
    zone = ZoneInfo(policy.time_zone)
    starts = []
    for open_at, close_at in policy.hours.spans_on(day):
        moment = datetime.combine(day, open_at, zone)
        end = (
            datetime.combine(day + timedelta(days=1), time(0), zone)
            if close_at == time.max
            else datetime.combine(day, close_at, zone)
        )
        while moment + timedelta(minutes=minutes) <= end:
            if cutoff is None or moment.timetz().replace(tzinfo=None) < cutoff:
                starts.append(moment.astimezone(UTC))
            moment += timedelta(minutes=minutes)
    return starts


def day_slots(
    policy: IssuingPolicy,
    day: date,
    *,
    standard_minutes: int,
    counters: int,
    split: CapacitySplit,
    daily_quota: int | None = None,
    cutoff: time | None = None,
) -> tuple[DayCapacity, list[Slot]]:
    """The day's capacity and its bookable slots, the online and the priority shares each spread
    evenly over them; the walk-in rest is never offered."""
    starts = slot_starts(policy, day, standard_minutes, cutoff)
    total = len(starts) * max(counters, 0)
    if daily_quota is not None:
        total = min(total, daily_quota)
    capacity = split.of(total)
    n = len(starts)
    slots = []
    for i, start in enumerate(starts):
        seats, priority_seats = spread(capacity.online, n, i), spread(capacity.priority, n, i)
        if seats or priority_seats:
            slots.append(Slot(start, seats, priority_seats))
    return capacity, slots


# --- checking in: one fair queue ---


@dataclass(frozen=True)
class Tolerance:
    """How early a booked visitor may check in, and how late before becoming a walk-in (minutes)."""

    early_minutes: int = 30
    late_minutes: int = 15


@dataclass(frozen=True)
class CheckIn:
    on_time: bool
    queue_at: datetime  # where the ticket stands in line: its slot time, or the check-in time when late


def check_in_rule(slot_start: datetime, now: datetime, tolerance: Tolerance, time_zone: str) -> CheckIn:
    """The fairness rule. Within the window a booking is queued at its slot time, so it is served
    ahead of walk-ins issued after that time and behind those who came before; past the late window
    it is queued like a walk-in arriving now. Before the early window, or another day: refused."""
    zone = ZoneInfo(time_zone)
    if now.astimezone(zone).date() != slot_start.astimezone(zone).date():
        raise BookingRefused(
            "This booking is for another day.",
            code="not_today",
            details={"day": slot_start.astimezone(zone).date().isoformat()},
        )
    opens = slot_start - timedelta(minutes=tolerance.early_minutes)
    if now < opens:
        raise BookingRefused(
            "It is too early to check in for this booking.",
            code="too_early",
            details={"opens_at": opens.astimezone(zone).strftime("%H:%M")},
        )
    if now <= slot_start + timedelta(minutes=tolerance.late_minutes):
        return CheckIn(True, slot_start)
    return CheckIn(False, now)


# --- anti-calo ---


@dataclass(frozen=True)
class Limits:
    """Bookings of one service allowed per NIK, phone and device, per day and per rolling week.

    None: no limit. `max_no_shows` no-shows within `no_show_days` bar booking until they age out."""

    per_nik_day: int | None = 1
    per_nik_week: int | None = 2
    per_phone_day: int | None = 1
    per_phone_week: int | None = 3
    per_device_day: int | None = 3
    per_device_week: int | None = 6
    max_no_shows: int | None = 2
    no_show_days: int = 30

    def check(self, counts: dict[str, tuple[int, int]], no_shows: int = 0) -> None:
        """counts: per "nik", "phone", "device", the bookings held already (that day, that week)."""
        if self.max_no_shows is not None and no_shows >= self.max_no_shows:
            raise BookingRefused(
                "Too many missed bookings recently.",
                code="too_many_no_shows",
                details={"no_shows": no_shows, "days": self.no_show_days},
            )
        for who, (day, week) in counts.items():
            for period, held in (("day", day), ("week", week)):
                limit = getattr(self, f"per_{who}_{period}")
                if limit is not None and held >= limit:
                    raise BookingRefused(
                        f"The limit of bookings per {who} per {period} is reached.",
                        code=f"limit_{who}_{period}",
                        details={"limit": limit},
                    )


def week_of(day: date) -> tuple[date, date]:
    """The rolling week a limit counts: the day and the six before and after it (a tout cannot
    spread bookings over a calendar week boundary)."""
    return day - timedelta(days=6), day + timedelta(days=6)


class BookingSettings:
    """A service's booking settings as the admin set them (one row per service; none: not bookable)."""

    LIMIT_FIELDS = tuple(f"per_{who}_{period}" for who in ("nik", "phone", "device") for period in ("day", "week"))

    def __init__(self, service_id: int, **values):
        self.service_id = service_id
        self.enabled: bool = values.get("enabled", False)
        self.online_percent: int = values.get("online_percent", 40)
        self.priority_percent: int = values.get("priority_percent", 10)
        self.walk_in_reserve_percent: int = values.get("walk_in_reserve_percent", 30)
        self.requires_identity: bool = values.get("requires_identity", False)
        self.early_minutes: int = values.get("early_minutes", 30)
        self.late_minutes: int = values.get("late_minutes", 15)
        self.change_cutoff_hours: int = values.get("change_cutoff_hours", 2)
        self.horizon_days: int = values.get("horizon_days", 14)
        self.same_day: bool = values.get("same_day", False)
        defaults = Limits()
        for name in self.LIMIT_FIELDS:
            setattr(self, name, values.get(name, getattr(defaults, name)))
        self.max_no_shows: int | None = values.get("max_no_shows", defaults.max_no_shows)
        self.no_show_days: int = values.get("no_show_days", defaults.no_show_days)

    @property
    def id(self) -> int:
        """The row's key is its service's (the audit trail names a record by its id)."""
        return self.service_id

    @property
    def split(self) -> CapacitySplit:
        return CapacitySplit(self.online_percent, self.priority_percent, self.walk_in_reserve_percent)

    @property
    def tolerance(self) -> Tolerance:
        return Tolerance(self.early_minutes, self.late_minutes)

    @property
    def limits(self) -> Limits:
        values = {name: getattr(self, name) for name in self.LIMIT_FIELDS}
        return Limits(**values, max_no_shows=self.max_no_shows, no_show_days=self.no_show_days)

    def bookable_day(self, day: date, today: date) -> None:
        """Booking opens tomorrow, or today where the service allows same-day booking (its slots still
        to come, from the online share only: the walk-in reserve stays), and reaches `horizon_days` ahead."""
        if not self.enabled:
            raise BookingRefused("This service cannot be booked ahead.", code="booking_not_offered")
        first = today if self.same_day else today + timedelta(days=1)
        if not first <= day <= today + timedelta(days=self.horizon_days):
            raise BookingRefused(
                "That day cannot be booked.", code="day_out_of_range", details={"horizon_days": self.horizon_days}
            )


# --- the booking itself ---


@dataclass(frozen=True)
class BookingChanged:
    booking: Booking


@dataclass(frozen=True)
class BookingMade:
    """A new booking: its holder is sent the confirmation with the code (in the booking's transaction)."""

    booking: Booking


@dataclass(frozen=True)
class BookingReminderDue:
    """A reminder should reach the visitor (the notifications issue delivers it)."""

    booking_id: int
    code: str
    phone: str | None
    slot_start: datetime
    which: str  # "day_before" or "same_day"
    service_id: int | None = None


@dataclass(eq=False)
class Booking:
    """A visitor's seat in a slot. Mapped by persistence/mapping.py; events collected like the tickets'."""

    service_id: int
    day: date
    slot_start: datetime
    code: str
    token: str
    name: str | None
    phone: str | None
    created_at: datetime
    nik_hash: str | None = None
    nik_last4: str | None = None
    device_hash: str | None = None
    idempotency_key: str | None = None
    source: str = "online"  # online, staff
    priority_group: str | None = None  # booked in the priority share for this kelompok rentan
    status: BookingStatus = BookingStatus.BOOKED
    rescheduled: int = 0
    ticket_id: int | None = None
    checked_in_at: datetime | None = None
    cancelled_at: datetime | None = None
    redacted_at: datetime | None = None
    id: int | None = None

    @property
    def changes(self) -> list:
        """Created on first use: the ORM loads entities without __init__."""
        return self.__dict__.setdefault("_changes", [])

    def require_changeable(self, now: datetime, cutoff_hours: int) -> None:
        if self.status != BookingStatus.BOOKED:
            raise BookingRefused("This booking can no longer be changed.", code="not_changeable")
        if now > self.slot_start - timedelta(hours=cutoff_hours):
            raise BookingRefused(
                "Too late to change this booking.", code="change_cutoff_passed", details={"hours": cutoff_hours}
            )

    def cancel(self, now: datetime, cutoff_hours: int) -> None:
        self.require_changeable(now, cutoff_hours)
        self.status = BookingStatus.CANCELLED
        self.cancelled_at = now
        self._changed()

    def reschedule(self, day: date, slot_start: datetime, now: datetime, cutoff_hours: int) -> None:
        """Once only: a second change would let a tout hold a slot and move it to whoever pays."""
        self.require_changeable(now, cutoff_hours)
        if self.rescheduled >= 1:
            raise BookingRefused("A booking can be rescheduled once.", code="already_rescheduled")
        if slot_start <= now:
            raise BookingRefused("That slot has passed.", code="slot_past")
        self.day, self.slot_start = day, slot_start
        self.rescheduled += 1
        self._changed()

    def check_in(self, now: datetime, tolerance: Tolerance, time_zone: str) -> CheckIn:
        if self.status != BookingStatus.BOOKED:
            raise BookingRefused("This booking was already used or cancelled.", code="not_checkable")
        decision = check_in_rule(self.slot_start, now, tolerance, time_zone)
        self.status = BookingStatus.CHECKED_IN if decision.on_time else BookingStatus.LATE
        self.checked_in_at = now
        self._changed()
        return decision

    def mark_no_show(self) -> None:
        if self.status == BookingStatus.BOOKED:
            self.status = BookingStatus.NO_SHOW
            self._changed()

    def erase(self, now: datetime) -> bool:
        """The person asked to be forgotten: a booking still held is cancelled (whatever the cut-off),
        then redacted. True when its seat is to be given back."""
        held = self.status == BookingStatus.BOOKED
        if held:
            self.status = BookingStatus.CANCELLED
            self.cancelled_at = now
            self._changed()
        self.redact(now)
        return held

    def redact(self, now: datetime) -> None:
        """UU PDP: the person's data goes; the service, day, slot and status stay for the statistics."""
        self.name = self.phone = self.nik_last4 = self.device_hash = None
        self.nik_hash = None
        self.redacted_at = now

    def _changed(self) -> None:
        self.changes.append(BookingChanged(self))
