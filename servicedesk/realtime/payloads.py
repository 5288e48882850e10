"""Every JSON shape the API and the sockets send, built in one place. docs/events.md describes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..domain.alerts import Alert, serving_since
from ..domain.errors import DomainError
from ..domain.journey import Journey, journey_state, states
from ..domain.model import Counter, EventKind, Service, Ticket, TicketStatus
from ..domain.slip import Holder
from ..persistence.figures import OfficerFigures
from ..persistence.queries import CallRow, ServiceLine

#: Socket.IO event name for each ticket event row.
EVENT_NAMES = {
    EventKind.ISSUED: "ticket.issued",
    EventKind.CALLED: "ticket.called",
    EventKind.RECALLED: "ticket.recalled",
    EventKind.SERVING: "ticket.started",
    EventKind.DONE: "ticket.finished",
    EventKind.NO_SHOW: "ticket.no_show",
    EventKind.REQUEUED: "ticket.requeued",
    EventKind.TRANSFERRED: "ticket.transferred",
    EventKind.HELD: "ticket.held",
    EventKind.RESUMED: "ticket.resumed",
    EventKind.CANCELLED: "ticket.cancelled",
}


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def service_ref(service: Service) -> dict:
    return {
        "id": service.id,
        "code": service.code,
        "name": service.name,
        "name_en": service.name_en,
        "agency_id": service.agency_id,
    }


def counter_ref(counter: Counter | None) -> dict | None:
    if counter is None:
        return None
    return {
        "id": counter.id,
        "number": counter.number,
        "name": counter.name,
        "area": counter.area,
        "agency_id": counter.agency_id,
    }


def service_public(service: Service, line: ServiceLine, refusal: DomainError | None = None) -> dict:
    """A service as the kiosk and the public pages show it: the six published components and the queue.
    `refusal`: why no ticket can be taken now (the start screen says it before the visitor chooses)."""
    return {
        **service_ref(service),
        "description": service.description,
        "unit": service.unit,
        "requirements": list(service.requirements),
        "procedure": list(service.procedure),
        "standard_minutes": service.standard_minutes,
        "fee": service.fee,
        "product": service.product,
        "complaint_channel": service.complaint_channel,
        "sop": {
            "number": service.sop_number,
            "effective_date": service.sop_effective_date.isoformat() if service.sop_effective_date else None,
            "approved_by": service.sop_approved_by,
        },
        "daily_quota": service.daily_quota,
        "cutoff_time": service.cutoff_time.strftime("%H:%M") if service.cutoff_time else None,
        "priority_allowed": service.priority_allowed,
        "waiting": len(line.waiting),
        "estimated_wait_minutes": line.estimate_for(len(line.waiting)),
        "counters_open": line.counters_open,
        # The English versions, where the office wrote them; the kiosk falls back to the Indonesian.
        "en": {
            "description": service.description_en or "",
            "requirements": list(service.requirements_en or []),
            "procedure": list(service.procedure_en or []),
            "fee": service.fee_en or "",
            "product": service.product_en or "",
            "complaint_channel": service.complaint_channel_en or "",
        },
        "refusal": {"code": refusal.code, "details": refusal.details} if refusal is not None else None,
    }


def ticket_public(ticket: Ticket, service: Service, counter: Counter | None, people_ahead: int, estimate: int) -> dict:
    """What a visitor's phone shows. Nothing about other visitors, no internal people."""
    return {
        "number": ticket.number,
        "status": ticket.status.value,
        "priority": ticket.priority,
        "service": service_ref(service),
        "counter": counter_ref(counter),
        "people_ahead": people_ahead,
        "estimated_wait_minutes": estimate,
        "recall_count": ticket.recall_count,
        "created_at": iso(ticket.issued_at),
        "called_at": iso(ticket.called_at),
    }


def ticket_issued(ticket: Ticket, service: Service, people_ahead: int, estimate: int, status_url: str) -> dict:
    """The answer to POST /api/v1/tickets: what the kiosk prints and the link in the QR code."""
    return {
        "id": ticket.id,
        "number": ticket.number,
        "status": ticket.status.value,
        "priority": ticket.priority,
        "service": service_ref(service),
        "people_ahead": people_ahead,
        "estimated_wait_minutes": estimate,
        "token": ticket.token,
        "status_url": status_url,
        "created_at": iso(ticket.issued_at),
    }


#: The states in which a ticket is at a counter: its booking's holder is shown there.
AT_COUNTER = (TicketStatus.CALLED, TicketStatus.SERVING)


def slip_printed(mode: str, printed: bool, error: str | None) -> dict:
    """Whether the server printed the slip on the kiosk's ESC/POS printer: part of the answer to
    POST /api/v1/tickets and of POST /kiosk/tickets/<token>/print. `mode` "browser": the kiosk prints."""
    return {"printed": printed, "print_mode": mode, "print_error": error}


def ticket_staff(
    ticket: Ticket, service: Service, counter: Counter | None, now: datetime, holder: Holder | None = None
) -> dict:
    """A ticket as officers and supervisors see it. The service timers count from `serving_since`,
    not `started_at`, so time on hold is not shown as service (the reports leave it out too).
    `booking`: whom the booking it was checked in from is for, while it is called or served only
    (the counter checks the identity card against it; nobody else needs the name)."""
    shown = holder if holder is not None and ticket.status in AT_COUNTER else None
    return {
        "id": ticket.id,
        "number": ticket.number,
        "status": ticket.status.value,
        "priority": ticket.priority,
        "service": service_ref(service),
        "counter": counter_ref(counter),
        "officer_id": ticket.officer_id,
        "issued_at": iso(ticket.issued_at),
        "queued_at": iso(ticket.queued_at),
        "called_at": iso(ticket.called_at),
        "started_at": iso(ticket.started_at),
        "serving_since": iso(serving_since(ticket, now)),
        "finished_at": iso(ticket.finished_at),
        "recall_count": ticket.recall_count,
        "transfer_note": ticket.transfer_note,
        "waiting_minutes": round(ticket.waiting_minutes(now), 1),
        "standard_minutes": service.standard_minutes,
        "booking": shown.to_dict() if shown else None,
    }


def call(row: CallRow) -> dict:
    """A call as the waiting-room display announces it; `event_id` lets a display skip calls it has seen."""
    return {
        "event_id": row.event_id,
        "recall": row.kind == EventKind.RECALLED,
        "number": row.number,
        "service_id": row.service_id,
        "service_code": row.service_code,
        "counter": {
            "id": row.counter_id,
            "number": row.counter_number,
            "name": row.counter_name,
            "area": row.area,
            "agency_id": row.agency_id,
            # The hall names the agency after the counter ("Loket 2 · Imigrasi"): two agencies' Loket 2.
            "agency": {"code": row.agency_code, "name": row.agency_name} if row.agency_code else None,
        },
        "at": iso(row.at),
    }


def queue_line(line: ServiceLine) -> dict:
    """One service's queue. Phones find their own place in `waiting_numbers` without asking the server."""
    return {
        "service_id": line.service.id,
        "code": line.service.code,
        "name": line.service.name,
        "name_en": line.service.name_en,
        "waiting": len(line.waiting),
        "waiting_numbers": [entry.number for entry in line.waiting],
        "counters_open": line.counters_open,
        "minutes_per_person": round(line.per_person, 2),
        "longest_wait_since": iso(min((e.queued_at for e in line.waiting), default=None)),
    }


def counter_public(counter: Counter, current: Ticket | None) -> dict:
    """A counter on a display: its number and the ticket at it, never the officer's name. The ticket's
    status tells a display to drop a call it has not said yet once the visitor is served or gone."""
    return {
        **counter_ref(counter),
        "status": counter.status.value,
        "current_number": current.number if current else None,
        "current_status": current.status.value if current else None,
    }


def display_sound(key: str, name: str, area: str, muted: bool, at: datetime | None) -> dict:
    """A display's sound as the supervisor's floor lists it: muted when its browser forbids audio.
    `key` is "device:<id>" for a registered display, "sid:<socket id>" for an unregistered one."""
    return {"key": key, "name": name, "area": area, "muted": muted, "at": iso(at)}


def counter_staff(counter: Counter, current: Ticket | None, officer_name: str | None) -> dict:
    return {
        **counter_public(counter, current),
        "officer_id": counter.officer_id,
        "officer_name": officer_name,
        "current_ticket_id": current.id if current else None,
        "current_status": current.status.value if current else None,
        "service_ids": [s.id for s in counter.services],
    }


def alert(alert_: Alert, service: Service, counter: Counter | None) -> dict:
    """A ticket past its wait or service threshold, as the supervisor's floor lists it."""
    return {
        "kind": alert_.kind.value,
        "ticket_id": alert_.ticket_id,
        "number": alert_.number,
        "service": service_ref(service),
        "counter": counter_ref(counter),
        "since": iso(alert_.since),
        "minutes": round(alert_.minutes, 1),
        "threshold_minutes": alert_.threshold_minutes,
    }


def officer_figures(figures: OfficerFigures) -> dict:
    """An officer's day so far: served, no-shows, transfers, mean service time, share within the SOP time."""
    mean, share = figures.mean_service_minutes, figures.within_standard_share
    return {
        "officer_id": figures.officer_id,
        "full_name": figures.full_name,
        "served": figures.served,
        "no_shows": figures.no_shows,
        "transferred": figures.transferred,
        "mean_service_minutes": round(mean, 1) if mean is not None else None,
        "within_standard": figures.within_standard,
        "within_standard_share": round(share, 3) if share is not None else None,
    }


def journey_public(journey: Journey, steps: list, status_url: Callable[[str], str]) -> dict:
    """A visitor's journey (domain/journey.py): each step's service, agency, state and ticket once
    issued; `current` is the newest ticket's (the one the phone page follows). `steps` are
    persistence/journeys.py StepRows; `status_url(token)` is a ticket's public link."""
    step_states = states([row.status for row in steps], journey.end_reason)
    issued = [row for row in steps if row.token is not None]
    return {
        "token": journey.token,
        "state": journey_state(step_states).value,
        "end_reason": journey.end_reason,
        "created_at": iso(journey.created_at),
        "current": {"number": issued[-1].number, "token": issued[-1].token} if issued else None,
        "steps": [
            {
                "position": row.position,
                "state": state.value,
                "service": {
                    "id": row.service_id,
                    "code": row.service_code,
                    "name": row.service_name,
                    "name_en": row.service_name_en,
                },
                "agency": {"id": row.agency_id, "name": row.agency_name} if row.agency_id is not None else None,
                "ticket": {
                    "number": row.number,
                    "status": row.status.value,
                    "token": row.token,
                    "status_url": status_url(row.token),
                }
                if row.token is not None
                else None,
            }
            for row, state in zip(steps, step_states, strict=True)
        ],
    }
