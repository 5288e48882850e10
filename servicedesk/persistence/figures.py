"""Today's figures for the counters: what each officer served and how fast, and what is overdue.

Service time is the ticket's service_seconds, which Ticket.served_seconds works out from the
ticket's event rows when the visit finishes: time on hold (the visitor fetching a document) is not
service, and a visit that continued in another service after a transfer counts only the part
served there. The reports aggregate the same column with the same within-standard rule
(reports.within_standard), so an officer's figures and the management review agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..domain.alerts import Alert, breaches
from ..domain.model import EventKind, Office, Role, Ticket, TicketStatus
from ..domain.numbering import service_day
from . import queries
from . import tables as t
from .reports import within_standard
from .scope import of_agency


@dataclass
class OfficerFigures:
    officer_id: int
    full_name: str
    served: int = 0
    no_shows: int = 0
    transferred: int = 0
    service_seconds: float = 0.0  # of the `served` visits, together
    within_standard: int = 0

    @property
    def mean_service_minutes(self) -> float | None:
        return self.service_seconds / self.served / 60 if self.served else None

    @property
    def within_standard_share(self) -> float | None:
        """Share of finished services that took no longer than the SOP standard time (0..1)."""
        return self.within_standard / self.served if self.served else None


def _served_today(session: Session, since: datetime) -> dict[int | None, tuple[int, float, int]]:
    """Per officer who finished them: visits finished since `since`, their service seconds, and
    how many kept the SOP standard time. Today's `done` event rows name the tickets (index on
    kind, at), so the query never scans the finished tickets of earlier days."""
    tk, e = t.tickets.c, t.ticket_events.c
    finished_today = select(e.ticket_id).where(e.kind == EventKind.DONE, e.at >= since)
    rows = session.execute(
        select(
            tk.officer_id,
            func.count(),
            func.sum(tk.service_seconds),
            func.count().filter(within_standard()),
        )
        .join(t.services, t.services.c.id == tk.service_id)
        .where(tk.id.in_(finished_today), tk.status == TicketStatus.DONE, tk.service_seconds.is_not(None))
        .group_by(tk.officer_id)
    )
    return {officer: (count, float(seconds or 0), within) for officer, count, seconds, within in rows}


def _outcomes_today(session: Session, since: datetime) -> dict[tuple[int | None, EventKind], int]:
    """No-shows and transfers since `since`, per officer who made them."""
    e = t.ticket_events.c
    rows = session.execute(
        select(e.officer_id, e.kind, func.count())
        .where(e.kind.in_([EventKind.NO_SHOW, EventKind.TRANSFERRED]), e.at >= since)
        .group_by(e.officer_id, e.kind)
    )
    return {(officer, EventKind(kind)): count for officer, kind, count in rows}


def officer_figures(
    session: Session, now: datetime, office: Office, officer_ids: list[int] | None = None, agency_id: int | None = None
) -> list[OfficerFigures]:
    """Today's figures (since midnight in the office's time zone) per officer.

    Without `officer_ids`: every active officer, and anyone else (a supervisor helping out) who
    served today or sits at a counter now; with `agency_id`, only that agency's people.
    """
    since = queries.local_midnight(now, office)
    served = _served_today(session, since)
    outcomes = _outcomes_today(session, since)
    users = t.users
    if officer_ids is None:
        active = set(served) | {officer for officer, _ in outcomes}
        active |= {c.officer_id for c in queries.counters(session) if c.officer_id}
        stmt = select(users.c.id, users.c.full_name).where(
            users.c.id.in_(active - {None}) | ((users.c.role == Role.OFFICER) & users.c.active.is_(True))
        )
        if agency_id is not None:
            stmt = stmt.where(users.c.agency_id == agency_id)
    else:
        stmt = select(users.c.id, users.c.full_name).where(users.c.id.in_(officer_ids))
    figures = []
    for uid, name in session.execute(stmt.order_by(users.c.full_name)):
        count, seconds, within = served.get(uid, (0, 0.0, 0))
        figures.append(
            OfficerFigures(
                uid,
                name,
                served=count,
                no_shows=outcomes.get((uid, EventKind.NO_SHOW), 0),
                transferred=outcomes.get((uid, EventKind.TRANSFERRED), 0),
                service_seconds=seconds,
                within_standard=within,
            )
        )
    return figures


def alerts(session: Session, now: datetime, agency_id: int | None = None) -> list[Alert]:
    """Every waiting or served ticket (of `agency_id`'s services, if given) past its service's
    threshold right now.

    A served ticket's time leaves out its holds, worked out from its event rows: those are read
    in one query for the tickets being served, and not at all for the waiting ones."""
    services = {s.id: s for s in queries.services(session, active_only=False)}
    status = t.tickets.c.status
    today = queries.today(session, now)
    agency = of_agency(t.tickets.c.service_id, agency_id)
    waiting = session.scalars(
        select(Ticket).where(status == TicketStatus.WAITING, t.tickets.c.service_day == today, *agency)
    )
    serving = session.scalars(
        select(Ticket).where(status == TicketStatus.SERVING, *agency).options(selectinload(Ticket.events))
    )
    return breaches([*waiting, *serving], services, now)


def no_shows_today(session: Session, now: datetime, office: Office, agency_id: int | None = None) -> list[Ticket]:
    """Today's no-shows (of `agency_id`'s services, if given), the latest first: the ones a late
    visitor may still come back for."""
    stmt = (
        select(Ticket)
        .where(
            t.tickets.c.status == TicketStatus.NO_SHOW,
            t.tickets.c.service_day == service_day(now, office.time_zone),
            *of_agency(t.tickets.c.service_id, agency_id),
        )
        .order_by(t.tickets.c.called_at.desc(), t.tickets.c.id.desc())
    )
    return list(session.scalars(stmt))
