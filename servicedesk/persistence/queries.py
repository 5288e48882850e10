"""The read side: plain queries for screens and the API. No entity is changed here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..domain.estimate import estimate_wait_minutes, minutes_per_person
from ..domain.model import ACTIVE_AT_COUNTER, Counter, CounterStatus, EventKind, Office, Service, Ticket, TicketStatus
from . import tables as t


@dataclass
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


def services(session: Session, *, active_only: bool = True) -> list[Service]:
    stmt = select(Service).order_by(t.services.c.position, t.services.c.code)
    if active_only:
        stmt = stmt.where(t.services.c.active.is_(True))
    return list(session.scalars(stmt))


def service_lines(
    session: Session, service_list: list[Service], now: datetime, sample: int = 20
) -> dict[int, ServiceLine]:
    """Waiting tickets in call order (priority, then arrival), open counters and recent service times."""
    lines = {s.id: ServiceLine(s) for s in service_list}
    if not lines:
        return lines
    ids = list(lines)
    rows = session.execute(
        select(t.tickets.c.id, t.tickets.c.number, t.tickets.c.priority, t.tickets.c.queued_at, t.tickets.c.service_id)
        .where(t.tickets.c.status == TicketStatus.WAITING, t.tickets.c.service_id.in_(ids))
        .order_by(t.tickets.c.priority.desc(), t.tickets.c.queued_at, t.tickets.c.id)
    )
    for row in rows:
        lines[row.service_id].waiting.append(WaitingEntry(row.id, row.number, row.priority, row.queued_at))

    open_counts = session.execute(
        select(t.counter_services.c.service_id, func.count())
        .join(t.counters, t.counters.c.id == t.counter_services.c.counter_id)
        .where(t.counters.c.status == CounterStatus.OPEN, t.counter_services.c.service_id.in_(ids))
        .group_by(t.counter_services.c.service_id)
    )
    for service_id, count in open_counts:
        lines[service_id].counters_open = count

    ranked = (
        select(
            t.tickets.c.service_id,
            t.tickets.c.started_at,
            t.tickets.c.finished_at,
            func.row_number()
            .over(partition_by=t.tickets.c.service_id, order_by=t.tickets.c.finished_at.desc())
            .label("rank"),
        )
        .where(
            t.tickets.c.status == TicketStatus.DONE,
            t.tickets.c.service_id.in_(ids),
            t.tickets.c.started_at.is_not(None),
            t.tickets.c.finished_at >= now - timedelta(days=7),
        )
        .subquery()
    )
    durations: dict[int, list[float]] = defaultdict(list)
    for service_id, started, finished in session.execute(
        select(ranked.c.service_id, ranked.c.started_at, ranked.c.finished_at).where(ranked.c.rank <= sample)
    ):
        durations[service_id].append((finished - started).total_seconds() / 60)
    for service_id, values in durations.items():
        lines[service_id].recent_mean_minutes = sum(values) / len(values)
    return lines


def line_of(session: Session, service: Service, now: datetime) -> ServiceLine:
    return service_lines(session, [service], now)[service.id]


def current_tickets(session: Session, counter_ids: list[int] | None = None) -> dict[int, Ticket]:
    """The ticket called or being served at each counter."""
    stmt = select(Ticket).where(t.tickets.c.status.in_(ACTIVE_AT_COUNTER), t.tickets.c.counter_id.is_not(None))
    if counter_ids is not None:
        stmt = stmt.where(t.tickets.c.counter_id.in_(counter_ids))
    return {ticket.counter_id: ticket for ticket in session.scalars(stmt)}


def counters(session: Session) -> list[Counter]:
    return list(session.scalars(select(Counter).order_by(t.counters.c.number)))


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
) -> list[CallRow]:
    """Today's calls and recalls, newest first, as a display shows them."""
    e, tk, c, s = t.ticket_events, t.tickets, t.counters, t.services
    stmt = (
        select(e.c.id, e.c.kind, e.c.at, tk.c.number, e.c.service_id, s.c.code, c.c.id, c.c.number, c.c.name, c.c.area)
        .join(tk, tk.c.id == e.c.ticket_id)
        .join(c, c.c.id == e.c.counter_id)
        .join(s, s.c.id == e.c.service_id)
        .where(and_(e.c.kind.in_([EventKind.CALLED, EventKind.RECALLED]), e.c.at >= since))
        .order_by(e.c.id.desc())
        .limit(limit)
    )
    if service_ids:
        stmt = stmt.where(e.c.service_id.in_(service_ids))
    elif area:
        stmt = stmt.where(c.c.area == area)
    return [CallRow(*row) for row in session.execute(stmt)]


def last_event_id(session: Session) -> int:
    return session.execute(select(func.max(t.ticket_events.c.id))).scalar() or 0


def ticket_status(session: Session, ticket: Ticket, now: datetime) -> tuple[Service, Counter | None, int, int]:
    """For a visitor's page: the service, the counter (when called), people ahead and minutes to wait."""
    service = session.get(Service, ticket.service_id)
    counter = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
    if ticket.status != TicketStatus.WAITING:
        return service, counter, 0, 0
    line = line_of(session, service, now)
    ahead = line.people_ahead(ticket.id)
    return service, counter, ahead, line.estimate_for(ahead)
