"""The queue's use cases at the counter: call, serve, finish, skip, requeue, transfer, hold, cancel.

Issuing lives in services/issuing.py, a counter's opening and closing in services/counters.py and
the day's close in services/day_close.py; their names stay importable from here.
"""

from __future__ import annotations

import math
from datetime import timedelta

from ..domain.errors import InvalidTransition, NotAllowed, NotFound, QueueEmpty
from ..domain.model import (
    REASON_SEPARATOR,
    VISITOR_CANCEL_REASON,
    EventKind,
    Ticket,
    TicketStatus,
    TransferPosition,
    User,
)
from ..domain.numbering import service_day
from ..domain.routing import callable_services, next_streak, plan_call
from . import audit, journeys

# The use cases that moved out, importable from their old place (callers use tickets.open_counter, ...).
from .counters import (  # noqa: F401, E402
    _counter,
    _require_free,
    _sees_service,
    _staff,
    _staff_and_ticket,
    _ticket,
    close_counter,
    open_counter,
    pause_counter,
    take_over_counter,
)
from .day_close import DayClosed, close_day  # noqa: F401, E402
from .issuing import Issued, issue_ticket, new_token  # noqa: F401, E402
from .unit_of_work import UnitOfWork


def call_next(uow: UnitOfWork, *, counter_id: int, user_id: int) -> Ticket:
    """Priority first (within the office's rule), then in the counter's mode (its services in the
    admin's order, or the oldest across them), among today's tickets this officer may serve."""
    user = _staff(uow, user_id)
    counter = _counter(uow, counter_id, lock=True, user=user)
    counter.require_open_for(user.id)
    _require_free(uow, counter)
    service_ids = callable_services([s.id for s in counter.services if s.active], {s.id for s in user.competences})
    ticket = None
    if service_ids:
        office = uow.repo.office()
        plan = plan_call(office.priority_rule, counter.priority_streak, service_ids, counter.call_order)
        today = service_day(uow.clock(), office.time_zone)  # a ticket never crosses its service day
        ticket = uow.repo.next_to_call(plan, today)
    if ticket is None:
        uow.rollback()
        raise QueueEmpty("Nobody is waiting for the services of this counter.")
    ticket.call(counter.id, user.id, uow.clock())
    counter.priority_streak = next_streak(counter.priority_streak, ticket.priority)
    uow.commit()
    return ticket


def call_ticket(uow: UnitOfWork, *, counter_id: int, user_id: int, ticket_id: int, reason: str) -> Ticket:
    """Call one ticket out of order; the reason is kept on its event row."""
    if not reason or not reason.strip():
        raise InvalidTransition("Say why this ticket is called out of order.", code="reason_required")
    user = _staff(uow, user_id)
    counter = _counter(uow, counter_id, lock=True, user=user)
    counter.require_open_for(user.id)
    ticket = _ticket(uow, ticket_id, user)  # another agency's ticket is not found, busy or not
    _require_free(uow, counter)
    counter.require_desk_for(user, ticket.service_id)
    ticket.call(counter.id, user.id, uow.clock(), note=reason.strip())
    uow.commit()
    return ticket


def _at_own_counter(uow: UnitOfWork, user: User, ticket: Ticket) -> None:
    """Officers act on the tickets at the counter they opened, if it serves the ticket's service (the
    desk rule, Counter.require_desk_for); supervisors may act anywhere, e.g. to end a visit whose
    counter no longer serves it."""
    if user.is_supervisor:
        return
    counter = uow.repo.counter(ticket.counter_id) if ticket.counter_id else None
    if counter is None or counter.officer_id != user.id:
        user.require_competence(ticket.service_id)
        raise NotAllowed(f"Ticket {ticket.number} is not at your counter.", code="not_your_counter")
    counter.require_desk_for(user, ticket.service_id, open_now=False)


def recall(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    user, ticket = _staff_and_ticket(uow, user_id, ticket_id)
    _at_own_counter(uow, user, ticket)
    ticket.recall(uow.clock(), uow.repo.office().max_recalls)
    uow.commit()
    return ticket


def start(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    user, ticket = _staff_and_ticket(uow, user_id, ticket_id)
    _at_own_counter(uow, user, ticket)
    ticket.start(uow.clock())
    uow.commit()
    return ticket


def finish(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    """Service done; a journey's step issues the journey's next ticket in the same commit (services/journeys.py)."""

    def finished() -> Ticket:
        user, ticket = _staff_and_ticket(uow, user_id, ticket_id)
        _at_own_counter(uow, user, ticket)
        ticket.finish(uow.clock())
        return ticket

    return journeys.finish_step(uow, finished)


def no_show(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    user, ticket = _staff_and_ticket(uow, user_id, ticket_id)
    _at_own_counter(uow, user, ticket)
    ticket.mark_no_show(uow.clock())
    uow.commit()
    return ticket


def hold(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    user, ticket = _staff_and_ticket(uow, user_id, ticket_id)
    _at_own_counter(uow, user, ticket)
    ticket.hold(uow.clock())
    uow.commit()
    return ticket


def resume(uow: UnitOfWork, *, ticket_id: int, user_id: int, counter_id: int | None = None) -> Ticket:
    """Take a held ticket back, at the officer's own open counter (by default, the one it was held at)."""
    user, ticket = _staff_and_ticket(uow, user_id, ticket_id)
    if ticket.status != TicketStatus.HELD:
        raise InvalidTransition(f"Cannot resume ticket {ticket.number}: it is {ticket.status.value}.")
    counter = _counter(uow, counter_id or ticket.counter_id, lock=True, user=user)
    counter.require_desk_for(user, ticket.service_id)
    _require_free(uow, counter)
    ticket.resume(counter.id, user.id, uow.clock())
    uow.commit()
    return ticket


def requeue(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    """A late visitor is back: "late, back in line", within the office's no-show window, at the
    place its rule says (the end of the line or the original place). Audited."""
    user, ticket = _staff_and_ticket(uow, user_id, ticket_id)
    if not user.is_supervisor:
        user.require_competence(ticket.service_id)
    office = uow.repo.office()
    now = uow.clock()
    if ticket.status == TicketStatus.NO_SHOW and ticket.service_day != service_day(now, office.time_zone):
        raise InvalidTransition(f"{ticket.number} is from another day.", code="not_today")
    ticket.requeue(now, office.no_show_window_minutes, user.id, office.no_show_return_position)
    _audit_late_return(uow, user, ticket, office.no_show_return_position)
    uow.commit()
    return ticket


def _audit_late_return(uow: UnitOfWork, user: User, ticket: Ticket, position: str) -> None:
    audit.record(
        uow,
        user_id=user.id,
        action="late_return",
        entity="ticket",
        entity_id=ticket.id,
        before={"number": ticket.number, "status": TicketStatus.NO_SHOW.value},
        after={"number": ticket.number, "status": ticket.status.value, "position": position},
    )


def transfer(uow: UnitOfWork, *, ticket_id: int, user_id: int, to_service_id: int, note: str | None = None) -> Ticket:
    user, ticket = _staff_and_ticket(uow, user_id, ticket_id)
    if ticket.status == TicketStatus.WAITING:
        # Moving a waiting visitor to another queue is a supervisor's call.
        if not user.is_supervisor:
            raise NotAllowed("Only a supervisor moves a waiting ticket.", code="forbidden")
    else:
        _at_own_counter(uow, user, ticket)
    target = uow.repo.service(to_service_id)
    if target is None or not target.active or not _sees_service(uow, user, target.id):
        raise NotFound(f"No active service with id {to_service_id}.")
    now = uow.clock()
    queued_at = ticket.issued_at
    if uow.repo.office().transfer_position == TransferPosition.FRONT:
        head = uow.repo.earliest_queued_at(target.id, ticket.service_day)
        if head is not None and head <= queued_at:
            queued_at = head - timedelta(milliseconds=1)
    ticket.transfer(target.id, now, queued_at, user.id, (note or "").strip() or None)
    uow.commit()
    return ticket


def cancel(
    uow: UnitOfWork, *, ticket_id: int, user_id: int, reason: str | None = None, note: str | None = None
) -> Ticket:
    """Cancel a ticket for a reason from the office's list, with the officer's own words if any.

    The event row keeps who, where, when and why; the audit log keeps it with the set-up changes."""
    reason, note = (reason or "").strip(), (note or "").strip()
    if not reason:
        raise InvalidTransition("Choose why the ticket is cancelled.", code="reason_required")
    office = uow.repo.office()
    if reason not in office.cancel_reason_list:
        raise InvalidTransition("Choose a reason from the office's list.", code="unknown_reason")
    user, ticket = _staff_and_ticket(uow, user_id, ticket_id)
    if ticket.status != TicketStatus.WAITING and ticket.status != TicketStatus.NO_SHOW:
        _at_own_counter(uow, user, ticket)
    elif not user.is_supervisor:
        user.require_competence(ticket.service_id)
    before = {"number": ticket.number, "status": ticket.status.value}
    text = f"{reason}{REASON_SEPARATOR}{note}" if note else reason
    ticket.cancel(uow.clock(), user.id, text[:500])
    audit.record(
        uow,
        user_id=user.id,
        action="cancel",
        entity="ticket",
        entity_id=ticket.id,
        before=before,
        after={"number": ticket.number, "status": ticket.status.value, "reason": reason, "note": note},
    )
    uow.commit()
    return ticket


def cancel_by_visitor(uow: UnitOfWork, *, token: str) -> Ticket:
    """A visitor gives up their own waiting ticket from their phone."""
    ticket = uow.repo.ticket_by_token(token, lock=True)
    if ticket is None:
        raise NotFound("No such ticket.")
    if ticket.status != TicketStatus.WAITING:
        raise InvalidTransition(f"Ticket {ticket.number} can no longer be cancelled: it is {ticket.status.value}.")
    ticket.cancel(uow.clock(), None, VISITOR_CANCEL_REASON)
    uow.commit()
    return ticket


def reopen_no_show(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    """A supervisor puts a no-show of today back in its queue, even past the office's requeue window:
    the window guards the counters from stale tickets, the supervisor judges the exception."""
    user, ticket = _staff_and_ticket(uow, user_id, ticket_id)
    if not user.is_supervisor:
        raise NotAllowed("Only a supervisor reopens a no-show past the window.", code="forbidden")
    if ticket.status != TicketStatus.NO_SHOW:
        raise InvalidTransition(f"Cannot reopen ticket {ticket.number}: it is {ticket.status.value}.")
    now = uow.clock()
    if ticket.service_day != service_day(now, uow.repo.office().time_zone):
        raise InvalidTransition(f"{ticket.number} is from another day.", code="not_today")
    since_no_show = now - ticket.last_event(EventKind.NO_SHOW).at
    position = uow.repo.office().no_show_return_position
    ticket.requeue(now, math.ceil(since_no_show.total_seconds() / 60) + 1, user.id, position)
    _audit_late_return(uow, user, ticket, position)
    uow.commit()
    return ticket
