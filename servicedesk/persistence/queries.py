"""The read side: plain queries for screens and the API. No entity is changed here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from ..domain.errors import IssuingRefused
from ..domain.estimate import estimate_wait_minutes, minutes_per_person
from ..domain.hours import IssuingPolicy, refusal_now
from ..domain.model import ACTIVE_AT_COUNTER, Counter, CounterStatus, EventKind, Office, Service, Ticket, TicketStatus
from ..domain.numbering import service_day
from . import scope
from . import tables as t


@dataclass(slots=True)
class WaitingEntry:
    id: int
    number: str
    priority: bool
    queued_at: datetime


@dataclass
class ServiceLine:
    """One service's queue as a visitor sees it: who waits, in call order, and how fast it moves."""

    service: Service
    waiting: list[WaitingEntry] = field(default_factory=list)
    counters_open: int = 0
    recent_mean_minutes: float | None = None

    @property
    def per_person(self) -> float:
        return minutes_per_person(self.recent_mean_minutes, self.service.standard_minutes, self.counters_open)

    def people_ahead(self, ticket_id: int) -> int:
        for index, entry in enumerate(self.waiting):
            if entry.id == ticket_id:
                return index
        return 0

    def estimate_for(self, people_ahead: int) -> int:
        return estimate_wait_minutes(people_ahead, self.per_person)


def today(session: Session, now: datetime) -> date:
    """The office's service day at `now`: queues hold today's tickets only (a ticket never crosses its day)."""
    office = session.info.get("office")
    if office is not None and office in session:
        zone = office.time_zone
    else:
        zone = session.execute(select(t.office.c.time_zone).order_by(t.office.c.id).limit(1)).scalar()
    return service_day(now, zone or "Asia/Jakarta")


def services(session: Session, *, active_only: bool = True, agency_id: int | None = None) -> list[Service]:
    """The catalogue in the kiosk's order; an agency's staff (`agency_id`) get their agency's only."""
    stmt = scope.narrowed(select(Service).order_by(t.services.c.position, t.services.c.code), t.services, agency_id)
    if active_only:
        stmt = stmt.where(t.services.c.active.is_(True))
    return list(session.scalars(stmt))


#: Finished tickets the wait estimate averages over.
RECENT_SAMPLE = 20


def service_lines(
    session: Session,
    service_list: list[Service],
    now: datetime,
    sample: int = RECENT_SAMPLE,
    *,
    day: date | None = None,
) -> dict[int, ServiceLine]:
    """Waiting tickets in call order (priority, then arrival), open counters and recent service times.
    `day`: the service day at `now` when the caller knows it (from the kept office), saving its query."""
    lines = {s.id: ServiceLine(s) for s in service_list}
    if not lines:
        return lines
    # At a peak the lines hold thousands of rows and are read several times a second: fetched in one
    # call (iterating the result fetches row by row, a third more CPU for 4,000 rows) and unpacked as tuples.
    rows = session.execute(_waiting_statement(), {"ids": list(lines), "day": day or today(session, now)}).all()
    for ticket_id, number, priority, queued_at, service_id in rows:
        lines[service_id].waiting.append(WaitingEntry(ticket_id, number, priority, queued_at))
    _add_pace(session, lines, now, sample)
    return lines


def _add_pace(session: Session, lines: dict[int, ServiceLine], now: datetime, sample: int) -> None:
    """Open counters and the recent mean service time: how fast each line moves."""
    ids = list(lines)
    for service_id, count in session.execute(_open_counts_statement(), {"ids": ids}):
        lines[service_id].counters_open = count
    durations: dict[int, list[float]] = defaultdict(list)
    recent = {"ids": ids, "since": now - timedelta(days=7), "sample": sample}
    for service_id, seconds in session.execute(_recent_services_statement(), recent):
        durations[service_id].append(seconds / 60)
    for service_id, values in durations.items():
        lines[service_id].recent_mean_minutes = sum(values) / len(values)


# The read side's hottest statements run on every issue, call and connect. They are built once
# (bound parameters instead of literals): building them anew cost more than running them, and the
# cost of a subquery grows with the foreign keys SQLAlchemy copies onto its columns.


@cache
def _waiting_statement():
    tk = t.tickets.c
    return (
        select(tk.id, tk.number, tk.priority, tk.queued_at, tk.service_id)
        .where(
            tk.status == TicketStatus.WAITING,
            tk.service_id.in_(bindparam("ids", expanding=True)),
            tk.service_day == bindparam("day", type_=tk.service_day.type),
        )
        .order_by(tk.priority.desc(), tk.queued_at, tk.id)
    )


@cache
def _open_counts_statement():
    cs = t.counter_services.c
    return (
        select(cs.service_id, func.count())
        .join(t.counters, t.counters.c.id == cs.counter_id)
        .where(t.counters.c.status == CounterStatus.OPEN, cs.service_id.in_(bindparam("ids", expanding=True)))
        .group_by(cs.service_id)
    )


@cache
def _recent_services_statement():
    tk = t.tickets.c
    ranked = (
        select(
            tk.service_id,
            tk.service_seconds,
            func.row_number().over(partition_by=tk.service_id, order_by=tk.finished_at.desc()).label("rank"),
        )
        .where(
            tk.status == TicketStatus.DONE,
            tk.service_id.in_(bindparam("ids", expanding=True)),
            tk.service_seconds.is_not(None),
            tk.finished_at >= bindparam("since", type_=t.tickets.c.finished_at.type),
        )
        .subquery()
    )
    return select(ranked.c.service_id, ranked.c.service_seconds).where(ranked.c.rank <= bindparam("sample"))


def line_of(session: Session, service: Service, now: datetime, *, day: date | None = None) -> ServiceLine:
    return service_lines(session, [service], now, day=day)[service.id]


def counters_open(session: Session, service_id: int) -> int:
    """How many open counters serve a service now (none: no wait can be estimated)."""
    return dict(session.execute(_open_counts_statement(), {"ids": [service_id]}).all()).get(service_id, 0)


def issued_today(session: Session, service_ids: list[int], day) -> dict[int, int]:
    """How many numbers each service has given out on `day` (its daily sequence; refusals give theirs back)."""
    if not service_ids:
        return {}
    ds = t.daily_sequences.c
    stmt = select(ds.service_id, ds.last_value).where(ds.day == day, ds.service_id.in_(service_ids))
    return dict(session.execute(stmt).all())


def refusals_now(
    session: Session, service_list: list[Service], policy_of: Callable[[int | None], IssuingPolicy], now: datetime
) -> dict[int, IssuingRefused | None]:
    """Per service, why the kiosk could not issue now (closed, holiday, break, cut-off, quota), or None.
    `policy_of(agency_id)` is the calendar of a service's agency (its holidays beside the site's)."""
    policies = {s.agency_id: policy_of(s.agency_id) for s in service_list}
    day = service_day(now, next(iter(policies.values())).time_zone) if policies else None
    issued = issued_today(session, [s.id for s in service_list], day) if day else {}
    return {
        s.id: refusal_now(
            policies[s.agency_id], now, cutoff=s.cutoff_time, quota=s.daily_quota, issued_today=issued.get(s.id, 0)
        )
        for s in service_list
    }


def current_tickets(session: Session, counter_ids: list[int] | None = None) -> dict[int, Ticket]:
    """The ticket called or being served at each counter."""
    stmt = select(Ticket).where(t.tickets.c.status.in_(ACTIVE_AT_COUNTER), t.tickets.c.counter_id.is_not(None))
    if counter_ids is not None:
        stmt = stmt.where(t.tickets.c.counter_id.in_(counter_ids))
    return {ticket.counter_id: ticket for ticket in session.scalars(stmt)}


def agency_ids(session: Session) -> list[int]:
    """Every agency of the site (their staff rooms get a floor of their own after a resync)."""
    return list(session.scalars(select(t.agencies.c.id).order_by(t.agencies.c.id)))


def active_agency_count(session: Session) -> int:
    """More than one: a hall of several agencies, whose TVs and voice name the agency of a counter."""
    return session.scalar(select(func.count()).select_from(t.agencies).where(t.agencies.c.active.is_(True))) or 0


def counters(session: Session, agency_id: int | None = None) -> list[Counter]:
    return list(session.scalars(scope.narrowed(select(Counter).order_by(t.counters.c.number), t.counters, agency_id)))


@dataclass(frozen=True)
class CallRow:
    event_id: int
    kind: EventKind
    at: datetime
    number: str
    service_id: int
    service_code: str
    counter_id: int
    counter_number: int
    counter_name: str
    area: str
    agency_id: int | None = None  # the counter's agency (None: the site's own)
    agency_code: str | None = None
    agency_name: str | None = None  # its short name, as the hall says it


def local_midnight(now: datetime, office: Office) -> datetime:
    zone = ZoneInfo(office.time_zone)
    return datetime.combine(now.astimezone(zone).date(), time.min, tzinfo=zone)


def recent_calls(
    session: Session,
    since: datetime,
    *,
    limit: int = 8,
    area: str | None = None,
    service_ids: list[int] | None = None,
    agency_id: int | None = None,
) -> list[CallRow]:
    """Today's calls and recalls, newest first, as a display shows them (an agency's own TV: its agency's)."""
    e, tk, c, s, a = t.ticket_events, t.tickets, t.counters, t.services, t.agencies
    stmt = (
        select(
            e.c.id,
            e.c.kind,
            e.c.at,
            tk.c.number,
            e.c.service_id,
            s.c.code,
            c.c.id,
            c.c.number,
            c.c.name,
            c.c.area,
            c.c.agency_id,
            a.c.code,
            a.c.short_name,
        )
        .join(tk, tk.c.id == e.c.ticket_id)
        .join(c, c.c.id == e.c.counter_id)
        .join(s, s.c.id == e.c.service_id)
        .outerjoin(a, a.c.id == c.c.agency_id)
        .where(and_(e.c.kind.in_([EventKind.CALLED, EventKind.RECALLED]), e.c.at >= since))
        .order_by(e.c.id.desc())
        .limit(limit)
    )
    if service_ids:
        stmt = stmt.where(e.c.service_id.in_(service_ids))
    elif area:
        stmt = stmt.where(c.c.area == area)
    if agency_id is not None:
        stmt = stmt.where(c.c.agency_id == agency_id)
    return [CallRow(*row) for row in session.execute(stmt)]


def newest_survey_response(session: Session) -> tuple:
    """The newest survey response's id and time ((None, None) for none): what the TVs' kept IKM is
    checked against (the time too, since a wiped database numbers its responses from 1 again)."""
    r = t.survey_responses.c
    return tuple(session.execute(select(func.max(r.id), func.max(r.submitted_at))).one())


def last_event_id(session: Session) -> int:
    return session.execute(select(func.max(t.ticket_events.c.id))).scalar() or 0


def ticket_status(session: Session, ticket: Ticket, now: datetime) -> tuple[Service, Counter | None, int, int]:
    """For a visitor's page: the service, the counter (when called), people ahead and minutes to wait."""
    service = session.get(Service, ticket.service_id)
    counter = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
    if ticket.status != TicketStatus.WAITING:
        return service, counter, 0, 0
    # One ticket's place and its line's pace in one statement: counts, not the whole line (which
    # grows to hundreds at a busy office). The same figures as service_lines() gives for the line.
    return service, counter, *place(service, *place_counts(session, ticket, now))


def place_counts(session: Session, ticket: Ticket, now: datetime) -> tuple:
    """What place_columns() counts for a waiting ticket, in one statement."""
    return tuple(session.execute(_place_statement(ticket.priority), place_params(ticket, now)).one())


def place_params(ticket: Ticket, now: datetime) -> dict:
    """The values place_columns() is bound to, for a waiting ticket."""
    return {
        "sid": ticket.service_id,
        "queued_at": ticket.queued_at,
        "tid": ticket.id,
        "day": ticket.service_day,
        "since": now - timedelta(days=7),
        "sample": RECENT_SAMPLE,
    }


def place(service: Service, ahead: int, counters_open: int | None, mean_seconds: float | None) -> tuple[int, int]:
    """People ahead and the minutes to wait, from what place_columns() counted."""
    line = ServiceLine(service, counters_open=counters_open or 0)
    line.recent_mean_minutes = mean_seconds / 60 if mean_seconds is not None else None
    return ahead, line.estimate_for(ahead)


@cache
def _place_statement(priority: bool):
    return select(*place_columns(priority))


@cache
def place_columns(priority: bool) -> tuple:
    """A waiting ticket's people ahead, its line's open counters and recent mean service seconds.

    PostgreSQL's issue_ticket() (persistence/issuing_function.py) counts the same for a ticket it
    issues; a change here needs a migration there (tests/integration/test_issuing.py compares the two).
    """
    tk = t.tickets.c
    queued_at = bindparam("queued_at", type_=tk.queued_at.type)
    earlier = or_(tk.queued_at < queued_at, and_(tk.queued_at == queued_at, tk.id < bindparam("tid")))
    before = and_(tk.priority.is_(True), earlier) if priority else or_(tk.priority.is_(True), earlier)
    ahead = select(func.count()).where(
        tk.status == TicketStatus.WAITING,
        tk.service_id == bindparam("sid"),
        tk.service_day == bindparam("day", type_=tk.service_day.type),
        before,
    )
    cs = t.counter_services.c
    open_counters = (
        select(func.count())
        .select_from(t.counter_services.join(t.counters, t.counters.c.id == cs.counter_id))
        .where(t.counters.c.status == CounterStatus.OPEN, cs.service_id == bindparam("sid"))
    )
    recent = (
        select(tk.service_seconds.label("seconds"))
        .where(
            tk.status == TicketStatus.DONE,
            tk.service_id == bindparam("sid"),
            tk.service_seconds.is_not(None),
            tk.finished_at >= bindparam("since", type_=tk.finished_at.type),
        )
        .order_by(tk.finished_at.desc())
        .limit(bindparam("sample"))
        .subquery()
    )
    return (
        ahead.scalar_subquery(),
        open_counters.scalar_subquery(),
        select(func.avg(recent.c.seconds)).scalar_subquery(),
    )


def numbers_issued(session: Session, day: date) -> dict[int, int]:
    """How many numbers each service has given out on `day` (its daily sequence), by service id."""
    seq = t.daily_sequences
    return dict(session.execute(select(seq.c.service_id, seq.c.last_value).where(seq.c.day == day)).all())
