"""The queue's use cases: issue, call, serve, finish, skip, requeue, transfer, hold, cancel."""

from __future__ import annotations

import math
import secrets
from collections import Counter as Counter_
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError

from ..domain.errors import CounterBusy, InvalidTransition, IssuingRefused, NotAllowed, NotFound, QueueEmpty
from ..domain.model import (
    DAY_END_REASON,
    REASON_SEPARATOR,
    VISITOR_CANCEL_REASON,
    Counter,
    CounterStatus,
    EventKind,
    Service,
    Ticket,
    TicketStatus,
    TransferPosition,
    User,
)
from ..domain.numbering import service_day
from ..domain.priority_groups import groups_of
from ..domain.routing import callable_services, next_streak, plan_call
from ..domain.service_day import last_day_to_close
from . import audit
from .audit_chain import seal_ended_days
from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Issued:
    ticket: Ticket
    replayed: bool = False  # the Idempotency-Key was seen before: this is the first answer again
    service: Service | None = None  # held, so the answer reads it from the session, not the database
    place: tuple[int, int] | None = None  # people ahead and minutes to wait, read before the commit


def new_token() -> str:
    """192 random bits: a visitor's link cannot be guessed from another's."""
    return secrets.token_urlsafe(24)


def issue_ticket(
    uow: UnitOfWork,
    *,
    service_id: int,
    priority: bool = False,
    idempotency_key: str | None = None,
    priority_group: str | None = None,
    queue_at: datetime | None = None,
) -> Issued:
    """Take a number. A repeated Idempotency-Key answers with its first ticket, whatever changed since.

    queue_at: where the ticket stands in line when not at its issue time (a booking checked in on
    time stands at its slot time, services/booking.py); stored with the ticket, so the place counted
    and the call order agree from the first moment.

    The key is not looked up first: a repeated tap is rare, and the unique key on the ticket catches
    it at commit (the number taken meanwhile is given back by the rollback).
    Everything it writes is one statement on PostgreSQL (Repository.store_issued), so the API runs its
    unit of work in autocommit (UnitOfWork.write_in_one_statement): a second write here would break that.
    """
    try:
        priority = priority or priority_group is not None
        return _new_ticket(uow, service_id, priority, idempotency_key, priority_group, queue_at)
    except (IntegrityError, IssuingRefused, NotFound):
        uow.rollback()
        if idempotency_key and (existing := uow.repo.ticket_by_idempotency_key(idempotency_key)):
            return Issued(existing, replayed=True)
        raise


def _new_ticket(
    uow: UnitOfWork,
    service_id: int,
    priority: bool,
    idempotency_key: str | None,
    priority_group: str | None = None,
    queue_at: datetime | None = None,
) -> Issued:
    now = uow.clock()
    # Settings as kept for a moment: a kiosk peak reads them hundreds of times a second.
    service = uow.repo.service(service_id, kept=True)
    if service is None:
        raise NotFound(f"No service with id {service_id}.")
    if priority and not service.priority_allowed:
        raise IssuingRefused("This service has no priority line.", code="priority_not_allowed")
    office = uow.repo.office(kept=True)
    if priority_group is not None and priority_group not in {g.key for g in groups_of(office.priority_groups)}:
        raise IssuingRefused(
            f"No priority group {priority_group!r} in the office's list.", code="priority_group_unknown"
        )
    policy = office.issuing_policy(uow.repo.holidays(kept=True))
    policy.check(now, service_active=service.active, cutoff=service.cutoff_time)
    ticket = Ticket(
        service_id=service.id,
        service_day=service_day(now, office.time_zone),
        token=new_token(),
        issued_at=now,
        priority=priority,
        idempotency_key=idempotency_key,
        priority_group=priority_group,
    )
    if queue_at is not None:
        ticket.queued_at = queue_at
    # The number is taken as the ticket is stored (a refused quota gives it back), and the visitor's
    # place is read right after: the answer needs no second checkout.
    place = uow.repo.store_issued(ticket, service, now)
    uow.commit()
    return Issued(ticket, service=service, place=place)


# --- at the counter ---


def _staff(uow: UnitOfWork, user_id: int) -> User:
    user = uow.repo.user(user_id)
    if user is None or not user.active:
        raise NotAllowed("Unknown or deactivated user.", code="unauthorized")
    return user


def _counter(uow: UnitOfWork, counter_id: int, *, lock: bool = False) -> Counter:
    counter = uow.repo.counter(counter_id, lock=lock)
    if counter is None:
        raise NotFound(f"No counter with id {counter_id}.")
    return counter


def _ticket(uow: UnitOfWork, ticket_id: int) -> Ticket:
    ticket = uow.repo.ticket(ticket_id, lock=True)
    if ticket is None:
        raise NotFound(f"No ticket with id {ticket_id}.")
    return ticket


def _require_free(uow: UnitOfWork, counter: Counter) -> None:
    current = uow.repo.active_ticket_at(counter.id)
    if current is not None:
        raise CounterBusy(
            f"{counter.name} is still busy with {current.number}: finish, skip or hold it first.",
            details={"ticket_id": current.id, "number": current.number},
        )


def open_counter(uow: UnitOfWork, *, counter_id: int, user_id: int) -> Counter:
    """The officer sits at a counter for today; any other counter they had open is closed."""
    user = _staff(uow, user_id)
    counter = _counter(uow, counter_id, lock=True)
    for other in uow.repo.counters_of_officer(user.id):
        if other.id != counter.id:
            _require_free(uow, other)
            other.close()
            _audit_counter(uow, other, user, "close")
    counter.open(user.id, uow.clock())
    _audit_counter(uow, counter, user, "open")
    uow.commit()
    return counter


def take_over_counter(uow: UnitOfWork, *, counter_id: int, user_id: int) -> Counter:
    """Handover: a colleague left this counter open; the officer takes it over, explicitly, with the
    ticket at it (if any). Any other counter the officer had open is closed. Audited: who had it."""
    user = _staff(uow, user_id)
    counter = _counter(uow, counter_id, lock=True)
    if counter.officer_id in (None, user.id) or counter.status == CounterStatus.CLOSED:
        raise InvalidTransition(f"{counter.name} is not open under a colleague.", code="nothing_to_take_over")
    for other in uow.repo.counters_of_officer(user.id):
        if other.id != counter.id:
            _require_free(uow, other)
            other.close()
            _audit_counter(uow, other, user, "close")
    colleague = uow.repo.user(counter.officer_id)
    before = {"officer": colleague.username if colleague else None, "status": counter.status.value}
    counter.take_over(user.id, uow.clock())
    current = uow.repo.active_ticket_at(counter.id)
    if current is not None:
        current.hand_over(user.id)
    audit.record(
        uow,
        user_id=user.id,
        action="take_over",
        entity="counter",
        entity_id=counter.id,
        before=before,
        after={"officer": user.username, "status": counter.status.value},
    )
    uow.commit()
    return counter


def _audit_counter(uow: UnitOfWork, counter: Counter, user: User | None, action: str) -> None:
    """Who sat at which counter and when, for the audit trail (the events say what they did there).
    No user: the end of the day closed it."""
    audit.record(
        uow,
        user_id=user.id if user else None,
        action=action,
        entity="counter",
        entity_id=counter.id,
        after={"number": counter.number, "name": counter.name, "officer": user.username if user else None},
    )


def pause_counter(uow: UnitOfWork, *, counter_id: int, user_id: int) -> Counter:
    counter = _counter(uow, counter_id, lock=True)
    counter.take_break(user_id)
    uow.commit()
    return counter


def close_counter(uow: UnitOfWork, *, counter_id: int, user_id: int) -> Counter:
    user = _staff(uow, user_id)
    counter = _counter(uow, counter_id, lock=True)
    if not user.is_supervisor:
        counter.require_officer(user.id)
    _require_free(uow, counter)
    counter.close()
    _audit_counter(uow, counter, user, "close")
    uow.commit()
    return counter


def call_next(uow: UnitOfWork, *, counter_id: int, user_id: int) -> Ticket:
    """Priority first (within the office's rule), then in the counter's mode (its services in the
    admin's order, or the oldest across them), among today's tickets this officer may serve."""
    user = _staff(uow, user_id)
    counter = _counter(uow, counter_id, lock=True)
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
    counter = _counter(uow, counter_id, lock=True)
    counter.require_open_for(user.id)
    _require_free(uow, counter)
    ticket = _ticket(uow, ticket_id)
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
    user, ticket = _staff(uow, user_id), _ticket(uow, ticket_id)
    _at_own_counter(uow, user, ticket)
    ticket.recall(uow.clock(), uow.repo.office().max_recalls)
    uow.commit()
    return ticket


def start(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    user, ticket = _staff(uow, user_id), _ticket(uow, ticket_id)
    _at_own_counter(uow, user, ticket)
    ticket.start(uow.clock())
    uow.commit()
    return ticket


def finish(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    user, ticket = _staff(uow, user_id), _ticket(uow, ticket_id)
    _at_own_counter(uow, user, ticket)
    ticket.finish(uow.clock())
    uow.commit()
    return ticket


def no_show(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    user, ticket = _staff(uow, user_id), _ticket(uow, ticket_id)
    _at_own_counter(uow, user, ticket)
    ticket.mark_no_show(uow.clock())
    uow.commit()
    return ticket


def hold(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    user, ticket = _staff(uow, user_id), _ticket(uow, ticket_id)
    _at_own_counter(uow, user, ticket)
    ticket.hold(uow.clock())
    uow.commit()
    return ticket


def resume(uow: UnitOfWork, *, ticket_id: int, user_id: int, counter_id: int | None = None) -> Ticket:
    """Take a held ticket back, at the officer's own open counter (by default, the one it was held at)."""
    user, ticket = _staff(uow, user_id), _ticket(uow, ticket_id)
    if ticket.status != TicketStatus.HELD:
        raise InvalidTransition(f"Cannot resume ticket {ticket.number}: it is {ticket.status.value}.")
    counter = _counter(uow, counter_id or ticket.counter_id, lock=True)
    counter.require_desk_for(user, ticket.service_id)
    _require_free(uow, counter)
    ticket.resume(counter.id, user.id, uow.clock())
    uow.commit()
    return ticket


def requeue(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    """A late visitor is back: "late, back in line", within the office's no-show window, at the
    place its rule says (the end of the line or the original place). Audited."""
    user, ticket = _staff(uow, user_id), _ticket(uow, ticket_id)
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
    user, ticket = _staff(uow, user_id), _ticket(uow, ticket_id)
    if ticket.status == TicketStatus.WAITING:
        # Moving a waiting visitor to another queue is a supervisor's call.
        if not user.is_supervisor:
            raise NotAllowed("Only a supervisor moves a waiting ticket.", code="forbidden")
    else:
        _at_own_counter(uow, user, ticket)
    target = uow.repo.service(to_service_id)
    if target is None or not target.active:
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
    user, ticket = _staff(uow, user_id), _ticket(uow, ticket_id)
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


@dataclass(frozen=True)
class DayClosed:
    """What a day's close did: the last day it ended, the tickets it found unserved (by the status
    they were left in) and the counters it closed."""

    day: date
    due: bool
    tickets: list[Ticket]
    left_in: dict[str, int]
    counters: list[Counter]

    def report_line(self) -> str:
        detail = ", ".join(f"{n} {status}" for status, n in sorted(self.left_in.items()))
        return (
            f"Day {self.day.isoformat()} closed{'' if self.due else ' (today is not over yet)'}. "
            f"Closed {len(self.tickets)} unserved ticket(s) as cancelled, reason {DAY_END_REASON}"
            f"{f' ({detail})' if detail else ''}; closed {len(self.counters)} counter(s) left open."
        )


def close_day(uow: UnitOfWork, *, if_due: bool = False) -> DayClosed:
    """End the service day: tickets still open are closed as not served (DAY_END_REASON), and the
    counters left open are closed. Idempotent: a second run finds nothing left to close.

    if_due (the timer's run): today is closed only once the office's close time has passed; earlier
    days always are, and a counter is closed only if it was opened on an earlier day."""
    now = uow.clock()
    office = uow.repo.office()
    last_day = last_day_to_close(now, office.time_zone, office.day_closes_at, at_once=not if_due)
    today = service_day(now, office.time_zone)
    due = last_day == today
    closed = uow.repo.unfinished_tickets(last_day)
    left_in = dict(Counter_(ticket.status.value for ticket in closed))
    for ticket in closed:
        ticket.close_unserved(now)
    counters = [
        counter
        for counter in uow.repo.open_counters()
        if due or counter.opened_at is None or service_day(counter.opened_at, office.time_zone) < today
    ]
    for counter in counters:
        counter.close()
        _audit_counter(uow, counter, None, "close")
    seal_ended_days(uow)  # the days before this one join the audit chain (services/audit_chain.py)
    uow.commit()
    return DayClosed(last_day, due, closed, left_in, counters)


def reopen_no_show(uow: UnitOfWork, *, ticket_id: int, user_id: int) -> Ticket:
    """A supervisor puts a no-show of today back in its queue, even past the office's requeue window:
    the window guards the counters from stale tickets, the supervisor judges the exception."""
    user, ticket = _staff(uow, user_id), _ticket(uow, ticket_id)
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
