"""When a wait or a service has gone on too long: the officer's timer colour and the supervisor's alerts.

Both measure against the service's SOP standard time (jangka waktu penyelesaian), because that is
the promise the office published; a service may set its own alert thresholds instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .model import Service, Ticket, TicketStatus

#: The timer turns amber at this share of the standard time: a warning before the promise is broken.
#: The pages colour the running timer with it (staff.js timerState, tested in tests/e2e/test_staff_helpers.py).
AMBER_SHARE = 0.8


def wait_threshold(service: Service) -> int:
    """Minutes a visitor may wait before the supervisor is alerted; by default the SOP standard time."""
    return service.alert_wait_minutes if service.alert_wait_minutes is not None else service.standard_minutes


def service_threshold(service: Service) -> int:
    """Minutes a service may take before the supervisor is alerted; by default the SOP standard time."""
    return service.alert_service_minutes if service.alert_service_minutes is not None else service.standard_minutes


class AlertKind(StrEnum):
    WAITING = "waiting"
    SERVING = "serving"


@dataclass(frozen=True)
class Alert:
    """One ticket past one threshold: who, since when, by how much."""

    kind: AlertKind
    ticket_id: int
    number: str
    service_id: int
    counter_id: int | None
    since: datetime
    minutes: float
    threshold_minutes: int

    @property
    def over_minutes(self) -> float:
        return self.minutes - self.threshold_minutes


def minutes_between(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds() / 60, 0.0)


def serving_minutes(ticket: Ticket, now: datetime) -> float | None:
    """How long the visitor has been served so far, time on hold left out (Ticket.served_seconds, the
    service time of the reports); None when the ticket is not being served."""
    if ticket.status != TicketStatus.SERVING:
        return None
    return ticket.served_seconds(now) / 60


def serving_since(ticket: Ticket, now: datetime) -> datetime | None:
    """The moment a timer counting up from it shows the service time so far: `now` less the time
    served, so a resumed visit's timer leaves out its holds. None when the ticket is not being served.
    The screens count from it with their own clock, so a timer needs no event to keep going."""
    if ticket.status != TicketStatus.SERVING:
        return None
    return now - timedelta(seconds=ticket.served_seconds(now))


def breaches(tickets: Iterable[Ticket], services: Mapping[int, Service], now: datetime) -> list[Alert]:
    """Waiting tickets past their wait threshold and tickets served past their service threshold,
    the most overdue first. A called or held ticket is neither waiting nor being served, and a
    served ticket's minutes leave out its time on hold (its `since` is serving_since)."""
    found: list[Alert] = []
    for ticket in tickets:
        service = services.get(ticket.service_id)
        if service is None:
            continue
        if ticket.status == TicketStatus.WAITING:
            minutes, limit, since, kind = (
                ticket.waiting_minutes(now),
                wait_threshold(service),
                ticket.queued_at,
                AlertKind.WAITING,
            )
        elif (since := serving_since(ticket, now)) is not None:  # the holds left out, as on the timers
            minutes, limit, kind = minutes_between(since, now), service_threshold(service), AlertKind.SERVING
        else:
            continue
        if minutes > limit:
            found.append(
                Alert(kind, ticket.id, ticket.number, ticket.service_id, ticket.counter_id, since, minutes, limit)
            )
    return sorted(found, key=lambda alert: (-alert.over_minutes, alert.number))
