"""Full states a client receives on connect and reconnect, so a missed event never leaves a screen wrong."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from ..domain.model import ACTIVE_AT_COUNTER, Device, Office, Ticket, TicketStatus, User
from ..persistence import queries
from ..persistence import tables as t
from . import payloads


def office_public(office: Office) -> dict:
    return {
        "name": office.name,
        "address": office.address,
        "time_zone": office.time_zone,
        "language": office.language,
        "running_text": office.running_text,
        "number_reading": office.number_reading,
    }


def display(session: Session, office: Office, now: datetime, device: Device | None = None, area: str = "") -> dict:
    area = device.area if device else area
    service_ids = (device.service_ids or None) if device else None
    services = queries.services(session)
    if service_ids:
        services = [s for s in services if s.id in service_ids]
    lines = queries.service_lines(session, services, now)
    counters = queries.counters(session)
    if area:
        counters = [c for c in counters if c.area == area]
    current = queries.current_tickets(session)
    calls = queries.recent_calls(
        session, queries.local_midnight(now, office), area=area or None, service_ids=service_ids
    )
    return {
        "kind": "display",
        "office": office_public(office),
        "area": area,
        "calls": [payloads.call(row) for row in calls],
        "counters": [payloads.counter_public(c, current.get(c.id)) for c in counters],
        "queues": [payloads.queue_line(line) for line in lines.values()],
        "last_event_id": queries.last_event_id(session),
        "now": payloads.iso(now),  # a reconnecting display tells a fresh missed call from a stale one
    }


def ticket(session: Session, ticket_: Ticket, now: datetime) -> dict:
    service, counter, ahead, estimate = queries.ticket_status(session, ticket_, now)
    return {
        "kind": "ticket",
        "ticket": payloads.ticket_public(ticket_, service, counter, ahead, estimate),
        "queue": payloads.queue_line(queries.line_of(session, service, now)),
    }


def staff(session: Session, now: datetime) -> dict:
    """The whole floor: every queue with its waiting tickets and every counter with its current ticket."""
    services = queries.services(session)
    by_id = {s.id: s for s in services}
    lines = queries.service_lines(session, services, now)
    counters = queries.counters(session)
    counters_by_id = {c.id: c for c in counters}
    current = queries.current_tickets(session)
    names = dict(session.execute(select(t.users.c.id, t.users.c.full_name)).all())
    today = queries.today(session, now)
    open_tickets = session.scalars(
        select(Ticket)
        .where(
            or_(
                t.tickets.c.status.in_([TicketStatus.HELD, *ACTIVE_AT_COUNTER]),
                and_(t.tickets.c.status == TicketStatus.WAITING, t.tickets.c.service_day == today),
            )
        )
        .order_by(t.tickets.c.priority.desc(), t.tickets.c.queued_at, t.tickets.c.id)
    ).all()
    _load_events_of_served(session, open_tickets)
    return {
        "kind": "staff",
        "queues": [payloads.queue_line(line) for line in lines.values()],
        "counters": [payloads.counter_staff(c, current.get(c.id), names.get(c.officer_id)) for c in counters],
        "tickets": [
            payloads.ticket_staff(tk, by_id[tk.service_id], counters_by_id.get(tk.counter_id), now)
            for tk in open_tickets
            if tk.service_id in by_id
        ],
        "muted_displays": [
            payloads.display_sound(f"device:{d.id}", d.name, d.area, True, d.sound_reported_at)
            for d in session.scalars(
                select(Device).where(
                    t.devices.c.kind == "display", t.devices.c.active.is_(True), t.devices.c.sound_muted.is_(True)
                )
            )
        ],
    }


def _load_events_of_served(session: Session, tickets: list[Ticket]) -> None:
    """A served ticket's timer leaves out its holds, which its event rows tell (serving_since): read
    them in one query for the tickets being served, at most one per counter, rather than one by one.
    The waiting tickets' rows are not needed and not read."""
    served = [tk.id for tk in tickets if tk.status == TicketStatus.SERVING]
    if served:
        session.scalars(select(Ticket).where(t.tickets.c.id.in_(served)).options(selectinload(Ticket.events))).all()


def user_public(user: User) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "competences": [payloads.service_ref(s) for s in user.competences],
    }
