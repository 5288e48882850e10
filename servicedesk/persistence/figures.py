"""Today's figures for the counters: what each officer served and how fast, and what is overdue.

Service time is read from the event rows, not from the ticket's columns, so a visit that was held
(the visitor fetching a document) counts only the time actually spent serving, and a visit that
continued in another service after a transfer counts each officer's part separately.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.alerts import Alert, breaches, minutes_between
from ..domain.model import EventKind, Office, Role, Ticket, TicketStatus
from ..domain.numbering import service_day
from . import queries
from . import tables as t

#: Event rows that open, pause or close a stretch of service.
_TIMED = (
    EventKind.CALLED,
    EventKind.SERVING,
    EventKind.RESUMED,
    EventKind.HELD,
    EventKind.TRANSFERRED,
    EventKind.DONE,
    EventKind.NO_SHOW,
)
_OUTCOMES = (EventKind.DONE, EventKind.NO_SHOW, EventKind.TRANSFERRED)


@dataclass
class OfficerFigures:
    officer_id: int
    full_name: str
    served: int = 0
    no_shows: int = 0
    transferred: int = 0
    service_minutes: list[float] = field(default_factory=list)
    within_standard: int = 0

    @property
    def mean_service_minutes(self) -> float | None:
        return sum(self.service_minutes) / len(self.service_minutes) if self.service_minutes else None

    @property
    def within_standard_share(self) -> float | None:
        """Share of finished services that took no longer than the SOP standard time (0..1)."""
        return self.within_standard / self.served if self.served else None


@dataclass(frozen=True)
class EventRow:
    ticket_id: int
    kind: EventKind
    at: datetime
    service_id: int
    officer_id: int | None


@dataclass(frozen=True)
class Served:
    """One finished visit: who finished it, in which service, after how many minutes of service."""

    officer_id: int | None
    service_id: int
    minutes: float


def served_visits(rows: Iterable[EventRow]) -> tuple[list[Served], list[EventRow]]:
    """Walk event rows (ordered by ticket, then time) into finished visits and other outcomes.

    Service runs from `serving` or `resumed` to `held`, `transferred` or `done`; a new call starts
    a new visit, so time spent in a previous service's visit is not counted twice.
    """
    served: list[Served] = []
    others: list[EventRow] = []
    ticket_id, spent, running_since = None, 0.0, None
    for row in rows:
        if row.ticket_id != ticket_id:
            ticket_id, spent, running_since = row.ticket_id, 0.0, None
        if row.kind == EventKind.CALLED:
            spent, running_since = 0.0, None
        elif row.kind in (EventKind.SERVING, EventKind.RESUMED):
            running_since = row.at
        elif row.kind in (EventKind.HELD, EventKind.TRANSFERRED, EventKind.DONE):
            if running_since is not None:
                spent += minutes_between(running_since, row.at)
                running_since = None
            if row.kind == EventKind.DONE:
                served.append(Served(row.officer_id, row.service_id, spent))
            elif row.kind == EventKind.TRANSFERRED:
                others.append(row)
                spent = 0.0
        elif row.kind == EventKind.NO_SHOW:
            others.append(row)
    return served, others


def _today_rows(session: Session, since: datetime) -> list[EventRow]:
    e = t.ticket_events
    finished_today = select(e.c.ticket_id).where(e.c.kind.in_(_OUTCOMES), e.c.at >= since)
    stmt = (
        select(e.c.ticket_id, e.c.kind, e.c.at, e.c.service_id, e.c.officer_id)
        .where(e.c.at >= since, e.c.kind.in_(_TIMED), e.c.ticket_id.in_(finished_today))
        .order_by(e.c.ticket_id, e.c.at, e.c.id)
    )
    return [EventRow(*row) for row in session.execute(stmt)]


def officer_figures(
    session: Session, now: datetime, office: Office, officer_ids: list[int] | None = None
) -> list[OfficerFigures]:
    """Today's figures (since midnight in the office's time zone) per officer.

    Without `officer_ids`: every active officer, and anyone else (a supervisor helping out) who
    served today or sits at a counter now.
    """
    standards = dict(session.execute(select(t.services.c.id, t.services.c.standard_minutes)).all())
    served, others = served_visits(_today_rows(session, queries.local_midnight(now, office)))
    users = t.users
    if officer_ids is None:
        active = {v.officer_id for v in served} | {r.officer_id for r in others}
        active |= {c.officer_id for c in queries.counters(session) if c.officer_id}
        stmt = select(users.c.id, users.c.full_name).where(
            users.c.id.in_(active - {None}) | ((users.c.role == Role.OFFICER) & users.c.active.is_(True))
        )
    else:
        stmt = select(users.c.id, users.c.full_name).where(users.c.id.in_(officer_ids))
    figures = {uid: OfficerFigures(uid, name) for uid, name in session.execute(stmt.order_by(users.c.full_name))}
    for visit in served:
        if (fig := figures.get(visit.officer_id)) is None:
            continue
        fig.served += 1
        fig.service_minutes.append(visit.minutes)
        if visit.minutes <= standards.get(visit.service_id, 0):
            fig.within_standard += 1
    for row in others:
        if (fig := figures.get(row.officer_id)) is None:
            continue
        if row.kind == EventKind.NO_SHOW:
            fig.no_shows += 1
        else:
            fig.transferred += 1
    return list(figures.values())


def alerts(session: Session, now: datetime) -> list[Alert]:
    """Every waiting or served ticket past its service's threshold right now."""
    services = {s.id: s for s in queries.services(session, active_only=False)}
    open_tickets = session.scalars(
        select(Ticket).where(t.tickets.c.status.in_([TicketStatus.WAITING, TicketStatus.SERVING]))
    )
    return breaches(open_tickets, services, now)


def no_shows_today(session: Session, now: datetime, office: Office) -> list[Ticket]:
    """Today's no-shows, the latest first: the ones a late visitor may still come back for."""
    stmt = (
        select(Ticket)
        .where(
            t.tickets.c.status == TicketStatus.NO_SHOW,
            t.tickets.c.service_day == service_day(now, office.time_zone),
        )
        .order_by(t.tickets.c.called_at.desc(), t.tickets.c.id.desc())
    )
    return list(session.scalars(stmt))
