"""Full states a client receives on connect and reconnect, so a missed event never leaves a screen wrong."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.branding import device_language
from ..domain.journey import Journey
from ..domain.model import Device, Office, Ticket, User
from ..persistence import floor, journeys, queries, setup
from ..persistence.bookings import BookingRepository
from ..persistence.repository import Repository
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
    """A TV's state. A hall TV (no agency) shows every agency's calls and, in a hall of several agencies,
    names the agency after each counter (`hall`); an agency's own TV shows its agency's only, in its
    agency's language when it names one."""
    area = device.area if device else area
    service_ids = (device.service_ids or None) if device else None
    agency = Repository(session).agency(device.agency_id) if device else None
    agency_id = agency.id if agency else None
    hall = agency is None and queries.active_agency_count(session) > 1
    services = queries.services(session, agency_id=agency_id)
    if service_ids:
        services = [s for s in services if s.id in service_ids]
    lines = queries.service_lines(session, services, now)
    counters = queries.counters(session, agency_id)
    if area:
        counters = [c for c in counters if c.area == area]
    current = queries.current_tickets(session)
    calls = queries.recent_calls(
        session, queries.local_midnight(now, office), area=area or None, service_ids=service_ids, agency_id=agency_id
    )
    return {
        "kind": "display",
        "office": office_public(office),
        "agency": {
            "id": agency.id,
            "code": agency.code,
            "name": agency.name,
            "short_name": agency.short_name,
            "language": agency.language,  # None: the site's; else the TV's voice says its calls in it
        }
        if agency
        else None,
        # The TV's language: its agency's, else the site's. A page drawn in another (a TV reloaded
        # without its ?device=, an agency that changed its language) is drawn again.
        "language": device_language(agency=agency.language if agency else None, office=office.language),
        "hall": hall,
        "agencies": {str(a.id): a.short_name for a in setup.agencies(session)} if hall else {},
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


def journey(session: Session, journey_: Journey, status_url: Callable[[str], str]) -> dict:
    """A visitor's journey with each step's agency, service and ticket (GET /api/v1/journeys, the phone page)."""
    return payloads.journey_public(journey_, journeys.steps_of(session, journey_.id), status_url)


def staff(session: Session, now: datetime, agency_id: int | None = None) -> dict:
    """The whole floor: every queue with its waiting tickets and every counter with its current ticket;
    for an agency's staff (`agency_id`), their agency's queues, counters and tickets only."""
    services = queries.services(session, agency_id=agency_id)
    by_id = {s.id: s for s in services}
    lines = queries.service_lines(session, services, now)
    counters = queries.counters(session, agency_id)
    counters_by_id = {c.id: c for c in counters}
    current = queries.current_tickets(session)
    names = floor.officer_names(session)
    open_tickets = floor.open_tickets(session, queries.today(session, now))
    holders = BookingRepository(session).holders([tk.id for tk in open_tickets if tk.status in payloads.AT_COUNTER])
    return {
        "kind": "staff",
        "queues": [payloads.queue_line(line) for line in lines.values()],
        "counters": [payloads.counter_staff(c, current.get(c.id), names.get(c.officer_id)) for c in counters],
        "tickets": [
            payloads.ticket_staff(tk, by_id[tk.service_id], counters_by_id.get(tk.counter_id), now, holders.get(tk.id))
            for tk in open_tickets
            if tk.service_id in by_id
        ],
        "muted_displays": [
            payloads.display_sound(f"device:{d.id}", d.name, d.area, True, d.sound_reported_at)
            for d in floor.muted_displays(session)
            if agency_id is None or d.agency_id in (agency_id, None)
        ],
    }


def user_public(user: User) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "competences": [payloads.service_ref(s) for s in user.competences],
    }
