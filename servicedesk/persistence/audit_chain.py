"""The SQL of the tamper-evident records: the audit chain's head, its records in order, the ticket
events of a day, and the sealed days' roots."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.audit_chain import GENESIS, ChainRecord, event_leaf
from . import tables as t

HEAD_ID = 1


def advance_head(session: Session) -> tuple[int, str]:
    """Take the next position of the chain: (that position, the previous record's hash).

    The UPDATE locks the head row until the transaction ends (PostgreSQL), or takes the database's
    write lock (SQLite), before the head is read: a second writer waits and then links to this one.
    """
    h = t.audit_chain_head
    statement = update(h).where(h.c.id == HEAD_ID).values(seq=h.c.seq + 1).returning(h.c.seq, h.c.hash)
    row = session.execute(statement).first()
    if row is None:  # a new database: the head is created once, whoever comes first
        dialect = session.get_bind().dialect.name
        maker = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(maker(h).values(id=HEAD_ID, seq=0, hash=GENESIS).on_conflict_do_nothing())
        row = session.execute(statement).one()
    return row.seq, row.hash


def set_head_hash(session: Session, seq: int, hash_: str) -> None:
    h = t.audit_chain_head
    session.execute(update(h).where(h.c.id == HEAD_ID, h.c.seq == seq).values(hash=hash_))


def head(session: Session) -> tuple[int, str] | None:
    h = t.audit_chain_head
    row = session.execute(select(h.c.seq, h.c.hash).where(h.c.id == HEAD_ID)).first()
    return None if row is None else (row.seq, row.hash)


def chain_records(session: Session, batch: int = 1000) -> Iterator[ChainRecord]:
    """Every audit record in chain order (unsealed rows, without a position, come first)."""
    a = t.audit_log
    statement = select(
        a.c.id,
        a.c.seq,
        a.c.at,
        a.c.user_id,
        a.c.action,
        a.c.entity,
        a.c.entity_id,
        a.c.before,
        a.c.after,
        a.c.prev_hash,
        a.c.hash,
    ).order_by(a.c.seq.is_not(None), a.c.seq, a.c.id)
    with session.execute(statement.execution_options(yield_per=batch)) as result:  # closed when the caller stops early
        for row in result:
            yield ChainRecord(*row)


def hash_at(session: Session, seq: int) -> str | None:
    return session.scalar(select(t.audit_log.c.hash).where(t.audit_log.c.seq == seq))


def day_root(session: Session, day: date) -> str | None:
    return session.scalar(select(t.event_day_roots.c.root).where(t.event_day_roots.c.day == day))


def audit_after(session: Session, audit_id: int) -> dict | None:
    return session.scalar(select(t.audit_log.c.after).where(t.audit_log.c.id == audit_id))


# --- ticket events by day ---


def event_leaves(session: Session, starts_at: datetime, ends_at: datetime) -> list[str]:
    """The leaf hashes of the events in [starts_at, ends_at), in id order."""
    e = t.ticket_events
    statement = (
        select(
            e.c.id,
            e.c.ticket_id,
            e.c.kind,
            e.c.at,
            e.c.service_id,
            e.c.to_service_id,
            e.c.counter_id,
            e.c.officer_id,
            e.c.note,
        )
        .where(e.c.at >= starts_at, e.c.at < ends_at)
        .order_by(e.c.id)
    )
    return [
        event_leaf(**{**row._mapping, "kind": getattr(row.kind, "value", row.kind)})
        for row in session.execute(statement.execution_options(yield_per=2000))
    ]


def first_event_at(session: Session) -> datetime | None:
    return session.scalar(select(func.min(t.ticket_events.c.at)))


def sealed_days(session: Session) -> list:
    r = t.event_day_roots
    return list(session.execute(select(r).order_by(r.c.day)))


def last_sealed_day(session: Session) -> date | None:
    return session.scalar(select(func.max(t.event_day_roots.c.day)))


def add_day_root(
    session: Session, *, day: date, starts_at: datetime, ends_at: datetime, events: int, root: str, audit_id: int
) -> None:
    session.execute(
        insert(t.event_day_roots).values(
            day=day, starts_at=starts_at, ends_at=ends_at, events=events, root=root, audit_id=audit_id
        )
    )
