"""The queue's entities. SQLAlchemy maps these classes imperatively (persistence/mapping.py);
nothing here knows about it, so the rules run the same in a unit test and in production."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from .errors import CounterBusy, InvalidTransition, NotAllowed
from .hours import IssuingPolicy, OpeningHours, check_quota
from .numbering import format_number
from .routing import PriorityRule


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    HELD = "held"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


#: A counter has at most one ticket in one of these states.
ACTIVE_AT_COUNTER = (TicketStatus.CALLED, TicketStatus.SERVING)
#: The day is over for a ticket in one of these states.
FINAL = (TicketStatus.DONE, TicketStatus.CANCELLED)


class EventKind(StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    REQUEUED = "requeued"
    TRANSFERRED = "transferred"
    HELD = "held"
    RESUMED = "resumed"
    CANCELLED = "cancelled"


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    OFFICER = "officer"


class CounterStatus(StrEnum):
    OPEN = "open"
    BREAK = "break"
    CLOSED = "closed"


class CallOrder(StrEnum):
    """How a counter picks among its services (after the priority rule)."""

    OLDEST = "oldest"  # the oldest waiting ticket across the counter's services
    STRICT = "strict"  # the first service in the admin's order that has someone waiting


class ReturnPosition(StrEnum):
    """Where a late no-show goes back in line."""

    END = "end"  # behind everyone waiting now
    ORIGINAL = "original"  # at the place of its first arrival


#: On a cancel's event row: the reason chosen from the office's list, this, then the officer's own words.
REASON_SEPARATOR = " — "

#: The note on the event row of a ticket its visitor cancelled from their phone.
VISITOR_CANCEL_REASON = "cancelled by the visitor"
#: The note on the event row of a ticket the day's close found unserved.
DAY_END_REASON = "closed_at_day_end"

DEFAULT_CANCEL_REASONS = (
    "Dibatalkan atas permintaan pengunjung",
    "Berkas persyaratan tidak lengkap",
    "Salah memilih layanan",
    "Layanan tidak dapat diberikan hari ini",
)


class TransferPosition(StrEnum):
    ORIGINAL = "original"  # enters the target queue at its first arrival time
    FRONT = "front"  # enters the target queue ahead of everyone waiting


# --- domain events: collected on the entities, published by the unit of work after commit ---


@dataclass(frozen=True)
class TicketChanged:
    kind: EventKind
    ticket: Ticket
    previous_service_id: int | None = None


@dataclass(frozen=True)
class CounterChanged:
    counter: Counter


@dataclass(frozen=True)
class SessionsEnded:
    """Every session of a staff member ended (logout, password reset, deactivation)."""

    user_id: int


class _CollectsEvents:
    """Entities loaded by the ORM skip __init__, so the event list is created on first use."""

    @property
    def changes(self) -> list:
        if "_changes" not in self.__dict__:
            self.__dict__["_changes"] = []
        return self.__dict__["_changes"]


# --- entities ---


class Office:
    """The office's settings: one row. Defaults are a typical Indonesian government desk."""

    def __init__(self, name: str = "Unit Layanan Terpadu", **settings):
        self.name = name
        self.address = settings.get("address", "")
        self.time_zone = settings.get("time_zone", "Asia/Jakarta")
        self.language = settings.get("language", "id")
        self.opening_hours = settings.get("opening_hours", DEFAULT_OPENING_HOURS)
        self.priority_max_in_a_row = settings.get("priority_max_in_a_row", 3)
        self.max_recalls = settings.get("max_recalls", 3)
        self.no_show_window_minutes = settings.get("no_show_window_minutes", 30)
        self.transfer_position = settings.get("transfer_position", TransferPosition.ORIGINAL.value)
        self.number_reading = settings.get("number_reading", "words")
        self.running_text = settings.get("running_text", "")
        self.paper_width_mm = settings.get("paper_width_mm", 80)
        self.require_device_token = settings.get("require_device_token", False)
        self.priority_groups = settings.get("priority_groups")  # None: the default list (domain/priority_groups.py)
        self.day_closes_at = settings.get("day_closes_at", "17:00")
        self.no_show_return_position = settings.get("no_show_return_position", ReturnPosition.ORIGINAL.value)
        self.cancel_reasons = list(settings.get("cancel_reasons", DEFAULT_CANCEL_REASONS))
        self.survey_link_days = settings.get("survey_link_days", 7)
        self.complaint_url = settings.get("complaint_url", "")
        # A visitor who opted in hears "N more" once this few are ahead, or about this many minutes (0: off).
        self.notify_people_ahead = settings.get("notify_people_ahead", 3)
        self.notify_minutes_ahead = settings.get("notify_minutes_ahead", 0)

    @property
    def cancel_reason_list(self) -> list[str]:
        """The reasons an officer chooses from; the defaults when the office has not written its own."""
        return list(self.cancel_reasons or DEFAULT_CANCEL_REASONS)

    @property
    def priority_rule(self) -> PriorityRule:
        return PriorityRule(self.priority_max_in_a_row)

    def issuing_policy(self, holidays: frozenset[date] = frozenset()) -> IssuingPolicy:
        return IssuingPolicy(self.time_zone, OpeningHours.from_dict(self.opening_hours), holidays)


DEFAULT_OPENING_HOURS = {
    "mon": [["08:00", "12:00"], ["13:00", "15:30"]],
    "tue": [["08:00", "12:00"], ["13:00", "15:30"]],
    "wed": [["08:00", "12:00"], ["13:00", "15:30"]],
    "thu": [["08:00", "12:00"], ["13:00", "15:30"]],
    # Friday: the break is longer for Friday prayer (salat Jumat).
    "fri": [["08:00", "11:30"], ["13:30", "16:00"]],
    "sat": [],
    "sun": [],
}


class Holiday:
    def __init__(self, day: date, name: str):
        self.day = day
        self.name = name


class Service:
    """A jenis layanan with the six published components of its Standar Pelayanan and its SOP."""

    def __init__(self, code: str, name: str, **fields):
        self.code = code
        self.name = name
        self.name_en = fields.get("name_en") or name
        self.description = fields.get("description", "")
        self.unit = fields.get("unit", "")
        self.requirements: list[str] = list(fields.get("requirements", []))
        self.procedure: list[str] = list(fields.get("procedure", []))
        self.standard_minutes: int = fields.get("standard_minutes", 15)
        self.fee = fields.get("fee", "Gratis")
        self.product = fields.get("product", "")
        self.complaint_channel = fields.get("complaint_channel", "")
        self.sop_number = fields.get("sop_number", "")
        self.sop_effective_date: date | None = fields.get("sop_effective_date")
        self.sop_approved_by = fields.get("sop_approved_by", "")
        self.daily_quota: int | None = fields.get("daily_quota")
        self.cutoff_time: time | None = fields.get("cutoff_time")
        self.priority_allowed: bool = fields.get("priority_allowed", True)
        # Supervisor alerts; None means the SOP standard time.
        self.alert_wait_minutes: int | None = fields.get("alert_wait_minutes")
        self.alert_service_minutes: int | None = fields.get("alert_service_minutes")
        self.active: bool = fields.get("active", True)
        self.position: int = fields.get("position", 0)
        # Optional English versions of the published texts; empty: the English kiosk shows the Indonesian.
        self.description_en: str = fields.get("description_en", "")
        self.requirements_en: list[str] = list(fields.get("requirements_en") or [])
        self.procedure_en: list[str] = list(fields.get("procedure_en") or [])
        self.fee_en: str = fields.get("fee_en", "")
        self.product_en: str = fields.get("product_en", "")
        self.complaint_channel_en: str = fields.get("complaint_channel_en", "")


class Counter(_CollectsEvents):
    """A loket. Only the officer who opened it acts at it; `priority_streak` feeds the priority rule."""

    def __init__(self, number: int, name: str = "", area: str = ""):
        self.number = number
        self.name = name or f"Loket {number}"
        self.area = area
        self.status = CounterStatus.CLOSED
        self.officer_id: int | None = None
        self.priority_streak = 0
        self.services: list[Service] = []  # in the order it calls them
        self.call_order = CallOrder.OLDEST.value
        self.opened_at: datetime | None = None

    def open(self, officer_id: int, at: datetime | None = None) -> None:
        if self.officer_id not in (None, officer_id):
            raise CounterBusy(f"{self.name} is already opened by another officer.", code="counter_taken")
        if self.officer_id is None or self.status == CounterStatus.CLOSED:
            self.opened_at = at
        self.officer_id = officer_id
        self.status = CounterStatus.OPEN
        self.changes.append(CounterChanged(self))

    def take_over(self, officer_id: int, at: datetime) -> int | None:
        """A colleague left this counter open: the officer takes it over, explicitly. Returns who had it."""
        previous = self.officer_id
        self.officer_id = officer_id
        self.status = CounterStatus.OPEN
        self.opened_at = at
        self.priority_streak = 0
        self.changes.append(CounterChanged(self))
        return previous

    def take_break(self, officer_id: int) -> None:
        self.require_officer(officer_id)
        self.status = CounterStatus.BREAK
        self.changes.append(CounterChanged(self))

    def close(self) -> None:
        self.status = CounterStatus.CLOSED
        self.officer_id = None
        self.priority_streak = 0
        self.opened_at = None
        self.changes.append(CounterChanged(self))

    def require_officer(self, officer_id: int) -> None:
        if self.officer_id != officer_id:
            raise NotAllowed(f"You have not opened {self.name}.", code="not_your_counter")

    def require_open_for(self, officer_id: int) -> None:
        self.require_officer(officer_id)
        if self.status != CounterStatus.OPEN:
            raise InvalidTransition(f"{self.name} is not open.", code="counter_not_open")

    def serves(self, service_id: int) -> bool:
        return any(s.id == service_id for s in self.services)

    def require_serves(self, service_id: int) -> None:
        if not self.serves(service_id):
            raise NotAllowed(f"{self.name} does not serve this ticket's service.", code="not_served_here")

    def require_desk_for(self, user: User, service_id: int, *, open_now: bool = True) -> None:
        """The desk rule, as call-next applies it: an officer acts on a ticket only at a counter they
        opened (open, not on a break, when `open_now`), that serves the ticket's service, which they
        are assigned to serve."""
        if open_now:
            self.require_open_for(user.id)
        else:
            self.require_officer(user.id)
        user.require_competence(service_id)
        self.require_serves(service_id)


class User(_CollectsEvents):
    """A person who logs in: officer (petugas), supervisor or admin. Never deleted, only deactivated."""

    def __init__(self, username: str, full_name: str, role: Role = Role.OFFICER, password_hash: str = ""):
        self.username = username
        self.full_name = full_name
        self.role = role
        self.password_hash = password_hash
        self.active = True
        self.competences: list[Service] = []
        self.session_generation = 0

    # Flask-Login's protocol, written out so the domain does not import Flask-Login.
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """What a session cookie holds: the id and the session generation, so ending the sessions
        (one more generation) makes every cookie signed before it worthless."""
        return f"{self.id}:{self.session_generation or 0}"

    def end_sessions(self) -> None:
        self.session_generation = (self.session_generation or 0) + 1
        self.changes.append(SessionsEnded(self.id))

    @staticmethod
    def parse_session_id(value: str) -> tuple[int, int] | None:
        """(user id, generation) from a session cookie's id, or None when it is not one."""
        user_id, _, generation = value.partition(":")
        if not (user_id.isdigit() and generation.isdigit()):
            return None
        return int(user_id), int(generation)

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    def competent_for(self, service_id: int) -> bool:
        return any(s.id == service_id for s in self.competences)

    def require_competence(self, service_id: int) -> None:
        if not self.competent_for(service_id):
            raise NotAllowed("You are not assigned to serve this service.", code="not_competent")


class TicketEvent:
    """One append-only row of a ticket's history: what happened, when, where and by whom."""

    def __init__(self, kind: EventKind, at: datetime, service_id: int, **where):
        self.kind = kind
        self.at = at
        self.service_id = service_id
        self.counter_id: int | None = where.get("counter_id")
        self.officer_id: int | None = where.get("officer_id")
        self.to_service_id: int | None = where.get("to_service_id")
        self.note: str | None = where.get("note")


def _seconds_between(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds(), 0.0)


class Ticket(_CollectsEvents):
    """A visitor's place in a queue, and every step of the visit as an event row."""

    def __init__(
        self,
        *,
        service_id: int,
        service_day: date,
        token: str,
        issued_at: datetime,
        priority: bool = False,
        idempotency_key: str | None = None,
        number: str | None = None,
        sequence: int | None = None,
        priority_group: str | None = None,
    ):
        """number and sequence: as taken already (tests, imports); issuing takes them on storing, see take_number."""
        self.service_id = service_id
        self.origin_service_id = service_id
        self.number = number
        self.sequence = sequence
        self.service_day = service_day
        self.token = token
        self.priority = priority or priority_group is not None
        self.priority_group = priority_group  # which kelompok rentan, when the visitor said
        self.idempotency_key = idempotency_key
        self.status = TicketStatus.WAITING
        self.issued_at = issued_at
        self.queued_at = issued_at
        self.counter_id: int | None = None
        self.officer_id: int | None = None
        self.called_at: datetime | None = None
        self.started_at: datetime | None = None
        self.finished_at: datetime | None = None
        # Kept on the row so a year's report aggregates two columns instead of replaying event rows.
        self.wait_seconds: float | None = None  # issue to the first call, see call()
        self.service_seconds: float | None = None  # the finished visit's service, see served_seconds()
        self.recall_count = 0
        self.transfer_note: str | None = None
        self.events: list[TicketEvent] = []
        self._record(EventKind.ISSUED, issued_at)

    def take_number(self, prefix: str, sequence: int, quota: int | None) -> None:
        """The service's next daily sequence, taken in the transaction that stores this ticket."""
        check_quota(sequence, quota)
        self.sequence = sequence
        self.number = format_number(prefix, sequence)

    # -- transitions --

    def call(self, counter_id: int, officer_id: int, at: datetime, note: str | None = None) -> None:
        self._require(TicketStatus.WAITING, action="call")
        self.status = TicketStatus.CALLED
        self.counter_id, self.officer_id = counter_id, officer_id
        self.called_at = at
        self.recall_count = 0
        if self.wait_seconds is None:  # the wait ends at the first call, not after a requeue or transfer
            self.wait_seconds = _seconds_between(self.issued_at, at)
        self._record(EventKind.CALLED, at, note=note)

    def recall(self, at: datetime, max_recalls: int) -> None:
        self._require(TicketStatus.CALLED, action="recall")
        if self.recall_count >= max_recalls:
            raise InvalidTransition(
                f"{self.number} has been recalled {self.recall_count} times already; mark it no-show.",
                code="recall_limit",
            )
        self.recall_count += 1
        self._record(EventKind.RECALLED, at)

    def start(self, at: datetime) -> None:
        self._require(TicketStatus.CALLED, action="start serving")
        self.status = TicketStatus.SERVING
        self.started_at = at
        self._record(EventKind.SERVING, at)

    def finish(self, at: datetime) -> None:
        self._require(TicketStatus.SERVING, action="finish")
        self.status = TicketStatus.DONE
        self.finished_at = at
        self._record(EventKind.DONE, at)
        self.service_seconds = self.served_seconds(at)

    def mark_no_show(self, at: datetime) -> None:
        self._require(TicketStatus.CALLED, action="mark as no-show")
        self.status = TicketStatus.NO_SHOW
        self._record(EventKind.NO_SHOW, at)

    def requeue(
        self,
        at: datetime,
        window_minutes: int,
        officer_id: int | None,
        position: ReturnPosition | str = ReturnPosition.ORIGINAL,
    ) -> None:
        """A late visitor turns up, within the window: back into the queue at their original place,
        or at the end of the line, as the office's rule says."""
        self._require(TicketStatus.NO_SHOW, action="requeue")
        no_show_at = self.last_event(EventKind.NO_SHOW).at
        if at - no_show_at > timedelta(minutes=window_minutes):
            raise InvalidTransition(
                f"{self.number} was marked no-show more than {window_minutes} minutes ago.",
                code="requeue_window_passed",
            )
        self.status = TicketStatus.WAITING
        self.counter_id = None
        if ReturnPosition(position) == ReturnPosition.END:
            self.queued_at = at
        self._record(EventKind.REQUEUED, at, officer_id=officer_id)
        self.officer_id = None

    def transfer(
        self, to_service_id: int, at: datetime, queued_at: datetime, officer_id: int | None, note: str | None
    ) -> None:
        """The visit continues in another service's queue, keeping its number and history."""
        self._require(TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, action="transfer")
        if to_service_id == self.service_id:
            raise InvalidTransition("The ticket is already in that service.", code="same_service")
        previous = self.service_id
        self._record(EventKind.TRANSFERRED, at, officer_id=officer_id, note=note, to_service_id=to_service_id)
        self.service_id = to_service_id
        self.status = TicketStatus.WAITING
        self.queued_at = queued_at
        # The row's times describe the visit in its current service; the first service's stay
        # stays in the event rows.
        self.started_at = None
        self.counter_id = self.officer_id = None
        self.transfer_note = note
        self.changes[-1] = TicketChanged(EventKind.TRANSFERRED, self, previous_service_id=previous)

    def hand_over(self, officer_id: int) -> None:
        """The counter it is at was taken over: the new officer carries on with the visit."""
        self._require(*ACTIVE_AT_COUNTER, action="hand over")
        self.officer_id = officer_id  # no event: a call would be announced again; the counter's change is published

    def hold(self, at: datetime) -> None:
        self._require(TicketStatus.CALLED, TicketStatus.SERVING, action="hold")
        self.status = TicketStatus.HELD
        self._record(EventKind.HELD, at)

    def resume(self, counter_id: int, officer_id: int, at: datetime) -> None:
        self._require(TicketStatus.HELD, action="resume")
        self.status = TicketStatus.SERVING
        self.counter_id, self.officer_id = counter_id, officer_id
        if self.started_at is None:
            self.started_at = at
        self._record(EventKind.RESUMED, at)

    def cancel(self, at: datetime, officer_id: int | None, reason: str | None = None) -> None:
        self._require(
            TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.HELD, TicketStatus.NO_SHOW, action="cancel"
        )
        self.status = TicketStatus.CANCELLED
        self._record(EventKind.CANCELLED, at, officer_id=officer_id, note=reason)

    def step_back(self, behind_queued_at: datetime | None, at: datetime, note: str) -> None:
        """The visitor lets the next person of the line go first (a TUNDA reply): once per ticket."""
        self._require(TicketStatus.WAITING, action="step back")
        if any(e.kind == EventKind.REQUEUED and e.note == note for e in self.events):
            raise InvalidTransition(f"Ticket {self.number} stepped back once already.", code="stepped_back_already")
        if behind_queued_at is None:
            raise InvalidTransition(f"Nobody waits behind {self.number}.", code="nobody_behind")
        self.queued_at = behind_queued_at + timedelta(milliseconds=1)
        self._record(EventKind.REQUEUED, at, note=note)

    def close_unserved(self, at: datetime) -> None:
        """End of day: a ticket still open was not served; its event row says why (DAY_END_REASON).

        A ticket never crosses its service day: tomorrow's counters never call it."""
        self._require(
            TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.HELD, action="close"
        )
        self.status = TicketStatus.CANCELLED
        self._record(EventKind.CANCELLED, at, note=DAY_END_REASON)

    # -- helpers --

    def served_seconds(self, now: datetime) -> float:
        """How long this visit has been served, up to `now`: the service time of the reports and figures.

        Service runs from `serving` (or `resumed`) to `held`, `transferred` or `done`. Time on hold is
        not service: the visitor is away fetching a document. A new call starts a new visit, so what
        was served in a service the ticket was transferred out of is not counted here again."""
        served, since = 0.0, None
        for event in self.events:
            if event.kind == EventKind.CALLED:
                served, since = 0.0, None
            elif event.kind in (EventKind.SERVING, EventKind.RESUMED):
                since = event.at
            elif event.kind in (EventKind.HELD, EventKind.TRANSFERRED, EventKind.DONE) and since is not None:
                served += _seconds_between(since, event.at)
                since = None
        return served + (_seconds_between(since, now) if since is not None else 0.0)

    def last_event(self, kind: EventKind) -> TicketEvent:
        return next(e for e in reversed(self.events) if e.kind == kind)

    def waiting_minutes(self, now: datetime) -> float:
        return max((now - self.queued_at).total_seconds() / 60, 0.0)

    def _require(self, *allowed: TicketStatus, action: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(
                f"Cannot {action} ticket {self.number}: it is {self.status.value}.",
                details={"status": self.status.value},
            )

    def _record(self, kind: EventKind, at: datetime, **where) -> None:
        where.setdefault("counter_id", self.counter_id)
        where.setdefault("officer_id", self.officer_id)
        self.events.append(TicketEvent(kind, at, self.service_id, **where))
        self.changes.append(TicketChanged(kind, self))


DEVICE_KINDS = ("kiosk", "display")


def hash_token(token: str) -> str:
    """Only a device token's hash is stored: a copied database does not hand out working tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Device:
    """A registered kiosk or display: a token, not a login. Displays may be limited to an area or services."""

    kind: str
    name: str
    token_hash: str
    area: str = ""
    service_ids: list[int] = field(default_factory=list)
    active: bool = True
    settings: dict = field(default_factory=dict)
    sound_muted: bool | None = None  # a display whose browser forbids sound says so
    sound_reported_at: datetime | None = None


class AuditEntry:
    """One change to the office's set-up (services, counters, users, devices, settings): who, when,
    what, and the values before and after. Append-only: the application never edits or deletes it."""

    def __init__(
        self,
        *,
        at: datetime,
        user_id: int | None,
        action: str,
        entity: str,
        entity_id: int | None,
        before: dict | None,
        after: dict | None,
    ):
        self.at = at
        self.user_id = user_id
        self.action = action
        self.entity = entity
        self.entity_id = entity_id
        self.before = before
        self.after = after
        # Its place in the hash chain (domain/audit_chain.py), set when it is recorded.
        self.seq: int | None = None
        self.prev_hash: str | None = None
        self.hash: str | None = None
