"""The outbox's SQL: messages written with the event that causes them, claimed and settled by the worker.

A claim is a short transaction of its own: PostgreSQL takes due rows with `FOR UPDATE SKIP LOCKED`
(two workers never take the same row and never wait for each other); SQLite ignores the clause,
and BEGIN IMMEDIATE (persistence/engine.py) serialises the claims instead. Each claimed row gets a
fresh attempt id, and the result of an attempt is only written while that id is still the row's:
a worker that was presumed dead cannot overwrite what a later attempt recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.model import Ticket, TicketStatus
from ..domain.notify import Message, MessageStatus
from .notify_tables import contacts, messages, webhook_subscriptions
from .tables import tickets

m = messages.c


def add(session: Session, batch: list[Message], now: datetime) -> int:
    """Queue `batch` in the session's transaction; a message whose dedupe key is queued already is skipped."""
    if not batch:
        return 0
    rows = [
        {
            "channel": message.channel.value,
            "recipient": message.recipient,
            "trigger": message.trigger.value,
            "dedupe_key": message.dedupe_key,
            "text": message.text,
            "data": message.data,
            "ticket_id": message.ticket_id,
            "subscription_id": message.subscription_id,
            "status": MessageStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for message in batch
    ]
    dialect = session.get_bind().dialect.name
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(messages).on_conflict_do_nothing(
        index_elements=["dedupe_key"]
    )
    return session.execute(statement, rows).rowcount


def claim(session: Session, now: datetime, *, attempt_id: str, lease_seconds: float, limit: int) -> list[dict]:
    """Take up to `limit` due messages for this attempt and commit: pending ones whose time has come,
    and ones left `sending` by a worker that died (its lease ran out). The caller sends, then settles."""
    due = or_(
        and_(m.status == MessageStatus.PENDING.value, m.next_attempt_at <= now),
        and_(m.status == MessageStatus.SENDING.value, m.claimed_at < now - timedelta(seconds=lease_seconds)),
    )
    found = session.execute(
        select(m.id, m.status)
        .where(due)
        .order_by(m.next_attempt_at, m.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    ids = [row.id for row in found]
    reclaimed = {row.id for row in found if row.status == MessageStatus.SENDING.value}
    if not ids:
        session.commit()
        return []
    session.execute(
        update(messages)
        .where(m.id.in_(ids))
        .values(status=MessageStatus.SENDING.value, attempt_id=attempt_id, claimed_at=now, attempts=m.attempts + 1)
    )
    rows = [
        dict(row._mapping, reclaimed=row.id in reclaimed)
        for row in session.execute(select(messages).where(m.id.in_(ids)).order_by(m.id))
    ]
    session.commit()
    return rows


def mark_sent(session: Session, message_id: int, attempt_id: str, now: datetime) -> bool:
    """Record a delivery, if the attempt is still this row's; False when a later attempt took it over."""
    done = session.execute(
        update(messages)
        .where(m.id == message_id, m.attempt_id == attempt_id, m.status == MessageStatus.SENDING.value)
        .values(status=MessageStatus.SENT.value, sent_at=now, last_error=None)
    ).rowcount
    session.commit()
    return bool(done)


def mark_failed(session: Session, message_id: int, attempt_id: str, error: str, retry_at: datetime | None) -> bool:
    """Record a failed attempt: pending again at `retry_at`, or dead when the worker gives up (None)."""
    values = {"last_error": error[:2000]}
    if retry_at is None:
        values["status"] = MessageStatus.DEAD.value
    else:
        values.update(status=MessageStatus.PENDING.value, next_attempt_at=retry_at)
    done = session.execute(
        update(messages)
        .where(m.id == message_id, m.attempt_id == attempt_id, m.status == MessageStatus.SENDING.value)
        .values(**values)
    ).rowcount
    session.commit()
    return bool(done)


def send_again(session: Session, message_id: int, now: datetime) -> bool:
    """A dead (or sent) message back in line, for the admin's "send again"; the same idempotency key."""
    return bool(
        session.execute(
            update(messages)
            .where(m.id == message_id, m.status.in_([MessageStatus.DEAD.value, MessageStatus.SENT.value]))
            .values(status=MessageStatus.PENDING.value, next_attempt_at=now, attempts=0, last_error=None)
        ).rowcount
    )


def message(session: Session, message_id: int) -> dict | None:
    row = session.execute(select(messages).where(m.id == message_id)).first()
    return dict(row._mapping) if row else None


def recent(session: Session, *, status: str | None = None, channel: str | None = None, limit: int = 100) -> list[dict]:
    """The delivery log, newest first."""
    query = select(messages).order_by(m.id.desc()).limit(limit)
    if status:
        query = query.where(m.status == status)
    if channel:
        query = query.where(m.channel == channel)
    return [dict(row._mapping) for row in session.execute(query)]


def counts(session: Session) -> dict[str, int]:
    return dict(session.execute(select(m.status, func.count()).group_by(m.status)).all())


# --- who listens ---


def contacts_of(session: Session, ticket_ids: list[int]) -> dict[int, list[dict]]:
    """The channels each ticket's visitor opted into (and did not withdraw), by ticket id."""
    found: dict[int, list[dict]] = {}
    if not ticket_ids:
        return found
    c = contacts.c
    rows = session.execute(
        select(c.id, c.ticket_id, c.channel, c.address)
        .where(c.ticket_id.in_(ticket_ids), c.withdrawn_at.is_(None))
        .order_by(c.id)
    )
    for row in rows:
        found.setdefault(row.ticket_id, []).append(dict(row._mapping))
    return found


def waiting_with_contacts(session: Session, service_ids: set[int]) -> list[Ticket]:
    """Waiting tickets of these services whose visitors opted into a channel: who may now be near."""
    if not service_ids:
        return []
    c, t = contacts.c, tickets.c
    with_contact = select(c.ticket_id).where(c.withdrawn_at.is_(None))
    return list(
        session.scalars(
            select(Ticket).where(
                t.status == TicketStatus.WAITING, t.service_id.in_(service_ids), t.id.in_(with_contact)
            )
        )
    )


def add_contact(session: Session, *, ticket_id: int, channel: str, address: str, consent_text: str, now: datetime):
    """Record the visitor's consent; a channel given again replaces the earlier address."""
    c = contacts.c
    session.execute(
        update(contacts)
        .where(c.ticket_id == ticket_id, c.channel == channel, c.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
    )
    return session.execute(
        insert(contacts)
        .values(ticket_id=ticket_id, channel=channel, address=address, consent_text=consent_text, consented_at=now)
        .returning(c.id)
    ).scalar_one()


def ticket_ids_by_phone(session: Session, phone: str) -> list[int]:
    """The tickets a phone number opted in for (WhatsApp or SMS), newest first: who a reply comes from."""
    c = contacts.c
    return list(
        session.execute(
            select(c.ticket_id)
            .where(c.address == phone, c.channel.in_(["whatsapp", "sms"]), c.withdrawn_at.is_(None))
            .order_by(c.id.desc())
        ).scalars()
    )


def subscriptions(connection_or_session) -> list[dict]:
    """The active webhook subscriptions (read on a connection of its own by the outbox's cache)."""
    w = webhook_subscriptions.c
    rows = connection_or_session.execute(select(webhook_subscriptions).where(w.active.is_(True)).order_by(w.id))
    return [dict(row._mapping) for row in rows]


def next_behind(session: Session, ticket: Ticket) -> Ticket | None:
    """The waiting ticket right behind `ticket` in its line (same service and priority class), for TUNDA."""
    t = tickets.c
    later = or_(t.queued_at > ticket.queued_at, and_(t.queued_at == ticket.queued_at, t.id > ticket.id))
    return session.scalars(
        select(Ticket)
        .where(
            t.status == TicketStatus.WAITING,
            t.service_id == ticket.service_id,
            t.service_day == ticket.service_day,
            t.priority.is_(ticket.priority),
            t.id != ticket.id,
            later,
        )
        .order_by(t.queued_at, t.id)
        .limit(1)
    ).first()


def withdraw_contacts(session: Session, ticket_id: int, now: datetime) -> int:
    """The visitor withdraws consent (UU PDP): nothing more is queued for them; the record stays."""
    c = contacts.c
    return session.execute(
        update(contacts).where(c.ticket_id == ticket_id, c.withdrawn_at.is_(None)).values(withdrawn_at=now)
    ).rowcount


#: A message whose recipient is this has been redacted (UU PDP): the row stays for the statistics.
REDACTED = ""


def redact_before(session: Session, cutoff: datetime, now: datetime) -> tuple[int, int]:
    """UU PDP retention: the visitors' addresses (phones, e-mails, push subscriptions) consented to
    before `cutoff`, and the recipient, text and template parameters of settled person messages created
    before it, are erased. Consent moments and wordings, channels, triggers, statuses, attempts and
    times stay (statistics and proof of consent). Webhook deliveries hold no personal data: kept.
    (contacts erased, messages erased)."""
    c = contacts.c
    erased_contacts = session.execute(
        update(contacts)
        .where(c.consented_at < cutoff, c.address != REDACTED)
        .values(address=REDACTED, withdrawn_at=func.coalesce(c.withdrawn_at, now))
    ).rowcount
    erased_messages = session.execute(
        update(messages)
        .where(
            m.created_at < cutoff,
            m.channel != "webhook",
            m.status.in_([MessageStatus.SENT.value, MessageStatus.DEAD.value]),
            m.recipient != REDACTED,
        )
        .values(recipient=REDACTED, text="", data={}, last_error=None)
    ).rowcount
    return erased_contacts, erased_messages
