"""A visitor's one-word WhatsApp/SMS reply acts on their ticket: BATAL, TUNDA or POSISI.

BATAL goes through the same use case as the phone page's cancel button; every reply that changes a
ticket is recorded in the audit log, as a console action is.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.errors import InvalidTransition, NotFound
from ..domain.model import TicketStatus
from ..domain.notify import Channel, Reply, Trigger, parse_reply
from ..persistence import outbox, queries
from . import audit, tickets
from .notify import Outbox, check_address, to_person
from .unit_of_work import UnitOfWork

#: The note on the event row of a ticket its visitor put one place back by replying TUNDA.
STEPPED_BACK = "stepped back by the visitor (TUNDA)"
OPEN = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.HELD)


class UnknownReply(InvalidTransition):
    code = "unknown_reply"


@dataclass(frozen=True)
class ReplyDone:
    command: Reply
    ticket_id: int
    number: str


def handle_reply(
    uow: UnitOfWork, outbox_: Outbox, *, channel: str, phone: str, text: str, reply_id: str | None = None
) -> ReplyDone:
    """Act on the newest open ticket this number opted in for. `reply_id` (WhatsApp's message id, the same
    on Meta's redeliveries) keys the POSISI answer, so a redelivered reply is answered once; BATAL and
    TUNDA are refused the second time by the ticket's own rules."""
    sender = check_address(Channel.SMS, phone)  # WhatsApp's and SMS's numbers follow one rule
    command = parse_reply(text)
    if command is None:
        raise UnknownReply(
            "Reply BATAL, TUNDA or POSISI (CANCEL, DELAY or POSITION).", details={"text": (text or "")[:40]}
        )
    ticket = None
    for ticket_id in outbox.ticket_ids_by_phone(uow.session, sender):
        candidate = uow.repo.ticket(ticket_id, lock=True)
        if candidate is not None and candidate.status in OPEN:
            ticket = candidate
            break
    if ticket is None:
        raise NotFound("No open ticket for this number.")
    done = ReplyDone(command, ticket.id, ticket.number)
    before = {"number": ticket.number, "status": ticket.status.value, "queued_at": ticket.queued_at}
    if command == Reply.POSITION:
        _, _, ahead, minutes = queries.ticket_status(uow.session, ticket, uow.clock())
        values = outbox_.values_of(uow.repo, ticket) | {"ahead": ahead, "minutes": minutes}
        contact = {"id": 0, "channel": Channel(channel).value, "address": sender}
        key = f"{Trigger.POSITION.value}:{ticket.id}:{reply_id or uow.clock().isoformat()}"
        outbox.add(uow.session, [to_person(contact, Trigger.POSITION, key, values, ticket.id)], uow.clock())
        uow.commit()
        return done
    if command == Reply.CANCEL:
        audit.record(
            uow,
            user_id=None,
            action="cancel_by_reply",
            entity="ticket",
            entity_id=ticket.id,
            before=before,
            after={**before, "status": TicketStatus.CANCELLED.value, "via": channel},
        )
        tickets.cancel_by_visitor(uow, token=ticket.token)  # commits the cancel and its audit row together
        return done
    _step_back(uow, ticket)
    audit.record(
        uow,
        user_id=None,
        action="step_back_by_reply",
        entity="ticket",
        entity_id=ticket.id,
        before=before,
        after={**before, "queued_at": ticket.queued_at, "via": channel},
    )
    uow.commit()
    return done


def _step_back(uow: UnitOfWork, ticket) -> None:
    """One place back, once per ticket: behind the next visitor of the same line."""
    behind = outbox.next_behind(uow.session, ticket)
    ticket.step_back(behind.queued_at if behind else None, uow.clock(), STEPPED_BACK)
