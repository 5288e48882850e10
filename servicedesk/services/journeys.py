"""Journeys: one visitor, several services in sequence (domain/journey.py).

Every ticket of a journey is issued by the one issuing use case (services/issuing.py `issue_ticket`):
the first when the journey starts, each next one in the transaction that finishes the previous
step's ticket (`finish_step`, called by services/tickets.py `finish`). The finish and the next
ticket commit together or not at all, so a crash loses no step; the journey's row is locked while it
advances and each step names at most one ticket, so two finishes never issue a step twice. The
events of both tickets are published after that commit, like a kiosk's ticket's.

A next service that refuses the ticket (closed, holiday, quota reached, inactive) does not refuse
the officer's finish: the finish commits alone and the journey ends with the refusal as its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..domain.errors import InvalidTransition, IssuingRefused, NotFound
from ..domain.journey import Journey, JourneyStep, check_services, checked_steps
from ..domain.model import Ticket
from .issuing import Issued, issue_ticket, new_token
from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Started:
    journey: Journey
    issued: Issued


def start_journey(
    uow: UnitOfWork,
    service_ids: list[int],
    *,
    priority: bool = False,
    priority_group: str | None = None,
    idempotency_key: str | None = None,
) -> Started:
    """A journey through `service_ids` in order, with the first step's ticket issued.

    A repeated Idempotency-Key answers with the journey of its first ticket."""
    steps = checked_steps(service_ids)
    services = {sid: uow.repo.service(sid, kept=True) for sid in dict.fromkeys(steps)}
    check_services(steps, {sid: s.active for sid, s in services.items() if s is not None})
    journey = Journey.start(new_token(), steps, uow.clock())
    first = journey.ordered()[0]
    issued = issue_ticket(
        uow,
        service_id=first.service_id,
        priority=priority,
        priority_group=priority_group,
        idempotency_key=idempotency_key,
        before_commit=lambda ticket: _stored(uow, journey, first, ticket),
    )
    if issued.replayed:
        journey = uow.repo.journey_of_ticket(issued.ticket.id)
        if journey is None:
            raise InvalidTransition("This Idempotency-Key was used for a single ticket.", code="idempotency_conflict")
    return Started(journey, issued)


def _stored(uow: UnitOfWork, journey: Journey, step: JourneyStep, ticket: Ticket) -> None:
    journey.issued(step, ticket.id)
    if journey.id is None:
        uow.repo.add(journey)


def finish_step(uow: UnitOfWork, finished: Callable[[], Ticket]) -> Ticket:
    """Commit what `finished` did (a ticket loaded, locked and finished), and when that ticket is a
    journey's step, the next step's ticket in the same transaction. `finished` may run twice: once
    more, alone, when the next service refuses the ticket (issue_ticket rolled both back)."""
    ticket = finished()
    journey = uow.repo.journey_of_ticket(ticket.id, lock=True)
    step = journey.next_after(ticket.id) if journey is not None else None
    if step is None:
        uow.commit()
        return ticket
    try:
        _issue_step(uow, journey, step, ticket)
    except (IssuingRefused, NotFound) as refusal:
        ticket = finished()
        journey = uow.repo.journey_of_ticket(ticket.id, lock=True)
        journey.refused(refusal.code, uow.clock())
        uow.commit()
    return ticket


def _issue_step(uow: UnitOfWork, journey: Journey, step: JourneyStep, previous: Ticket) -> Issued:
    """The visitor keeps a priority (an elderly visitor stays one) where the next service has a priority line."""
    service = uow.repo.service(step.service_id, kept=True)
    priority = previous.priority and service is not None and service.priority_allowed
    return issue_ticket(
        uow,
        service_id=step.service_id,
        priority=priority,
        priority_group=previous.priority_group if priority else None,
        before_commit=lambda ticket: journey.issued(step, ticket.id),
    )
