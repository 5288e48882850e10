"""A counter's day: the officer opens it, pauses, hands it over, closes it; and the checks the
counter's use cases share (services/tickets.py, services/day_close.py)."""

from __future__ import annotations

from ..domain.errors import CounterBusy, InvalidTransition, NotAllowed, NotFound
from ..domain.model import (
    Counter,
    CounterStatus,
    Ticket,
    User,
)
from ..domain.model.agency import may_see_strictly
from . import audit
from .unit_of_work import UnitOfWork


def _staff(uow: UnitOfWork, user_id: int) -> User:
    user = uow.repo.user(user_id)
    if user is None or not user.active:
        raise NotAllowed("Unknown or deactivated user.", code="unauthorized")
    return user


def _counter(uow: UnitOfWork, counter_id: int, *, lock: bool = False, user: User | None = None) -> Counter:
    """The counter; not found for `user` when it is another agency's (tenancy: never another's data)."""
    counter = uow.repo.counter(counter_id, lock=lock)
    if counter is None or (user is not None and not may_see_strictly(user.agency_id, counter.agency_id)):
        raise NotFound(f"No counter with id {counter_id}.")
    return counter


def _ticket(uow: UnitOfWork, ticket_id: int, user: User | None = None) -> Ticket:
    """The ticket, locked; not found for `user` when its service is another agency's."""
    ticket = uow.repo.ticket(ticket_id, lock=True)
    if ticket is None or (user is not None and not _sees_service(uow, user, ticket.service_id)):
        raise NotFound(f"No ticket with id {ticket_id}.")
    return ticket


def _staff_and_ticket(uow: UnitOfWork, user_id: int, ticket_id: int) -> tuple[User, Ticket]:
    user = _staff(uow, user_id)
    return user, _ticket(uow, ticket_id, user)


def _sees_service(uow: UnitOfWork, user: User, service_id: int) -> bool:
    if user.agency_id is None:
        return True
    service = uow.repo.service(service_id)
    return service is not None and may_see_strictly(user.agency_id, service.agency_id)


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
    counter = _counter(uow, counter_id, lock=True, user=user)
    _close_others_of(uow, user, counter)
    counter.open(user.id, uow.clock())
    _audit_counter(uow, counter, user, "open")
    uow.commit()
    return counter


def take_over_counter(uow: UnitOfWork, *, counter_id: int, user_id: int) -> Counter:
    """Handover: a colleague left this counter open; the officer takes it over, explicitly, with the
    ticket at it (if any). Any other counter the officer had open is closed. Audited: who had it."""
    user = _staff(uow, user_id)
    counter = _counter(uow, counter_id, lock=True, user=user)
    if counter.officer_id in (None, user.id) or counter.status == CounterStatus.CLOSED:
        raise InvalidTransition(f"{counter.name} is not open under a colleague.", code="nothing_to_take_over")
    _close_others_of(uow, user, counter)
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


def _close_others_of(uow: UnitOfWork, user: User, counter: Counter) -> None:
    """An officer sits at one counter at a time: any other they had open is closed (it must be free)."""
    for other in uow.repo.counters_of_officer(user.id):
        if other.id != counter.id:
            _require_free(uow, other)
            other.close()
            _audit_counter(uow, other, user, "close")


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
    counter = _counter(uow, counter_id, lock=True, user=_staff(uow, user_id))
    counter.take_break(user_id)
    uow.commit()
    return counter


def close_counter(uow: UnitOfWork, *, counter_id: int, user_id: int) -> Counter:
    user = _staff(uow, user_id)
    counter = _counter(uow, counter_id, lock=True, user=user)
    if not user.is_supervisor:
        counter.require_officer(user.id)
    _require_free(uow, counter)
    counter.close()
    _audit_counter(uow, counter, user, "close")
    uow.commit()
    return counter
