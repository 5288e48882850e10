"""A journey: one visitor, several services in sequence (in a hall, often of different agencies:
Dukcapil's KTP, then BPJS's card) on one slip and one phone page.

The visitor holds one ticket at a time: the first step's ticket is issued when the journey starts,
and each next step's ticket is issued when the previous step's ticket is finished (done), in the
same transaction as that finish (services/tickets.py `finish`, services/journeys.py `advance`).
A step's ticket that ends otherwise (no-show, cancelled) drops the remaining steps: the journey has
ended and says so. A journey whose next service refuses the ticket (closed, quota reached...) ends
too, with that refusal kept as its reason.

The state of a journey is read from its steps' tickets (`states`), not stored beside them: a no-show
that an officer takes back in line (a late return) continues the journey as its ticket does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .errors import DomainError, NotFound
from .model.kinds import TicketStatus

MIN_STEPS = 2
MAX_STEPS = 5


class JourneyRefused(DomainError):
    """A journey that cannot start as asked (a service inactive or twice in a row); `code` says which."""

    code = "journey_invalid"


class JourneyLength(JourneyRefused):
    """Too few or too many steps: the request's shape (its schema says 2 to 5), not the catalogue's."""


class StepState(StrEnum):
    WAITING_PREVIOUS = "waiting_previous"  # no ticket yet: its turn comes after the previous step
    CURRENT = "current"  # its ticket is in the queue or at a counter
    DONE = "done"  # its ticket was finished
    ENDED = "ended"  # its ticket was a no-show or cancelled: the journey stopped here
    DROPPED = "dropped"  # never reached: an earlier step ended the journey


class JourneyState(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED = "ended"


#: A step's ticket in one of these ends the journey (the steps after it are dropped).
ENDING = (TicketStatus.NO_SHOW, TicketStatus.CANCELLED)


def checked_steps(service_ids: Sequence[int]) -> list[int]:
    """The ordered services of a new journey, as given, or refused: 2 to 5 steps, never the same
    service twice in a row (twice with another step between is a real visit: the KTP office, then
    BPJS, then the KTP office again to collect)."""
    steps = list(service_ids)
    if len(steps) < MIN_STEPS:
        raise JourneyLength(f"A journey has at least {MIN_STEPS} services.", code="journey_too_short")
    if len(steps) > MAX_STEPS:
        raise JourneyLength(f"A journey has at most {MAX_STEPS} services.", code="journey_too_long")
    for before, after in zip(steps, steps[1:], strict=False):
        if before == after:
            raise JourneyRefused("The same service cannot follow itself in a journey.", code="journey_repeated_service")
    return steps


def check_services(service_ids: Sequence[int], active: Mapping[int, bool]) -> None:
    """Every step's service exists (`active` has it) and takes tickets (its value is True)."""
    for service_id in service_ids:
        if service_id not in active:
            raise NotFound(f"No service with id {service_id}.", code="journey_unknown_service")
        if not active[service_id]:
            raise JourneyRefused(f"Service {service_id} is not active.", code="journey_inactive_service")


@dataclass
class JourneyStep:
    position: int  # 0, 1, ... in the visitor's order
    service_id: int
    ticket_id: int | None = None
    journey_id: int | None = None


@dataclass
class Journey:
    token: str
    created_at: datetime
    steps: list[JourneyStep] = field(default_factory=list)
    ended_at: datetime | None = None  # only a refused next step ends the journey by itself
    end_reason: str | None = None  # that refusal's code ("closed", "quota_reached"...)
    id: int | None = None

    @classmethod
    def start(cls, token: str, service_ids: Sequence[int], now: datetime) -> Journey:
        steps = [JourneyStep(position=i, service_id=s) for i, s in enumerate(checked_steps(service_ids))]
        return cls(token=token, created_at=now, steps=steps)

    def ordered(self) -> list[JourneyStep]:
        return sorted(self.steps, key=lambda s: s.position)

    def step_of(self, ticket_id: int) -> JourneyStep | None:
        return next((s for s in self.steps if s.ticket_id == ticket_id), None)

    def next_after(self, ticket_id: int) -> JourneyStep | None:
        """The step to issue now that `ticket_id` was finished: the one after its step, if the
        journey was not ended and that step has no ticket yet. None: nothing to issue."""
        if self.end_reason is not None:
            return None
        step = self.step_of(ticket_id)
        if step is None:
            return None
        following = [s for s in self.ordered() if s.position > step.position]
        if not following or following[0].ticket_id is not None:
            return None  # the last step, or the next one has its ticket already: never twice
        return following[0]

    def issued(self, step: JourneyStep, ticket_id: int) -> None:
        if step.ticket_id is not None:
            raise JourneyRefused("This step has its ticket already.", code="journey_step_issued")
        step.ticket_id = ticket_id

    def refused(self, reason: str, now: datetime) -> None:
        """The next step's service would not take the visitor: the journey ends here."""
        self.end_reason = reason
        self.ended_at = now


def states(statuses: Sequence[TicketStatus | None], end_reason: str | None = None) -> list[StepState]:
    """Each step's state, from its ticket's status in order (None: no ticket yet)."""
    result: list[StepState] = []
    stopped = False
    for status in statuses:
        if stopped:
            result.append(StepState.DROPPED)
        elif status is None:
            result.append(StepState.DROPPED if end_reason is not None else StepState.WAITING_PREVIOUS)
            stopped = end_reason is not None
        elif status == TicketStatus.DONE:
            result.append(StepState.DONE)
        elif status in ENDING:
            result.append(StepState.ENDED)
            stopped = True
        else:
            result.append(StepState.CURRENT)
    return result


def journey_state(step_states: Sequence[StepState]) -> JourneyState:
    if all(s == StepState.DONE for s in step_states):
        return JourneyState.COMPLETED
    if any(s in (StepState.ENDED, StepState.DROPPED) for s in step_states):
        return JourneyState.ENDED
    return JourneyState.ACTIVE
