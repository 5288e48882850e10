"""Issuing: a kiosk or the API takes a number (the hottest request of a peak)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from ..domain.errors import IssuingRefused, NotFound
from ..domain.model import (
    Service,
    Ticket,
)
from ..domain.numbering import service_day
from ..domain.priority_groups import groups_of
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
    before_commit: Callable[[Ticket], None] | None = None,
) -> Issued:
    """Take a number. A repeated Idempotency-Key answers with its first ticket, whatever changed since.

    The key is not looked up first: a repeated tap is rare, and the unique key on the ticket catches
    it at commit (the number taken meanwhile is given back by the rollback).
    Everything it writes is one statement on PostgreSQL (Repository.store_issued), so the API runs its
    unit of work in autocommit (UnitOfWork.write_in_one_statement): a second write here would break that.
    `before_commit` writes more in the same transaction, once the ticket is stored (a journey's step
    names its ticket, services/journeys.py); a unit of work in one statement cannot take it.
    """
    try:
        priority = priority or priority_group is not None
        return _new_ticket(uow, service_id, priority, idempotency_key, priority_group, queue_at, before_commit)
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
    before_commit: Callable[[Ticket], None] | None = None,
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
    policy = uow.repo.issuing_policy(kept=True, agency_id=service.agency_id)
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
    if before_commit is not None:
        before_commit(ticket)
    uow.commit()
    return Issued(ticket, service=service, place=place)
