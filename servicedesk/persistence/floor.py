"""The staff floor's read model (realtime/snapshots.staff): who sits where, the open tickets, the muted displays."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from ..domain.model import ACTIVE_AT_COUNTER, Device, Ticket, TicketStatus
from . import tables as t


def officer_names(session: Session) -> dict[int, str]:
    """Every person's full name by id."""
    return dict(session.execute(select(t.users.c.id, t.users.c.full_name)).all())


def open_tickets(session: Session, today: date) -> list[Ticket]:
    """The tickets at a counter or on hold, and today's waiting ones, in call order; a served ticket
    comes with its event rows (its timer leaves out its holds)."""
    tickets = session.scalars(
        select(Ticket)
        .where(
            or_(
                t.tickets.c.status.in_([TicketStatus.HELD, *ACTIVE_AT_COUNTER]),
                and_(t.tickets.c.status == TicketStatus.WAITING, t.tickets.c.service_day == today),
            )
        )
        .order_by(t.tickets.c.priority.desc(), t.tickets.c.queued_at, t.tickets.c.id)
    ).all()
    _load_events_of_served(session, tickets)
    return list(tickets)


def _load_events_of_served(session: Session, tickets: list[Ticket]) -> None:
    """Read the event rows of the tickets being served (at most one per counter) in one query rather
    than one by one. The waiting tickets' rows are not needed and not read."""
    served = [tk.id for tk in tickets if tk.status == TicketStatus.SERVING]
    if served:
        session.scalars(select(Ticket).where(t.tickets.c.id.in_(served)).options(selectinload(Ticket.events))).all()


def muted_displays(session: Session) -> list[Device]:
    """The active displays whose browser reported its sound muted."""
    stmt = select(Device).where(
        t.devices.c.kind == "display", t.devices.c.active.is_(True), t.devices.c.sound_muted.is_(True)
    )
    return list(session.scalars(stmt))
