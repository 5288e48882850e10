"""The audit trail: recording set-up changes, and reading them next to the ticket events.

Rows are only ever added. `refuse_audit_changes` stops the ORM from updating or deleting one, so
no code path of the application, present or future, can rewrite history by accident.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, aliased

from ..domain.audit import diff, jsonable
from ..domain.audit_chain import hash_of
from ..domain.cells import spreadsheet_safe
from ..domain.model import AuditEntry
from ..persistence import audit_chain as chain
from ..persistence import tables as t
from .unit_of_work import UnitOfWork

ENTITIES = ("service", "counter", "user", "device", "office", "holiday", "session", "ticket", "ticket_events")


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit row."""


def refuse_audit_changes(session: Session, flush_context, instances) -> None:
    """A before_flush hook: audit rows may be added, never modified or deleted."""
    for entity in list(session.dirty) + list(session.deleted):
        if isinstance(entity, AuditEntry) and (entity in session.deleted or session.is_modified(entity)):
            raise AuditLogIsAppendOnly("Audit rows cannot be changed or deleted.")


def guard_audit_log() -> None:
    """Install the hook once per process (every Session); the app factory may run many times."""
    if not event.contains(Session, "before_flush", refuse_audit_changes):
        event.listen(Session, "before_flush", refuse_audit_changes)


def record(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry | None:
    """Add an audit row to the caller's transaction, so the change and its record commit together.

    An update that changes nothing writes nothing: the log stays a list of real changes.
    """
    before, after = jsonable(before), jsonable(after)
    if before is not None and after is not None and not diff(before, after):
        return None
    entry = AuditEntry(
        at=uow.clock(),
        user_id=user_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    _seal(uow, entry)
    uow.repo.add(entry)
    return entry


class Change:
    """What a `with audited(...)` block changed: `target` (set by a block that creates it) and, after
    the block, `entry`, the audit row recorded (None when nothing changed)."""

    def __init__(self, target):
        self.target = target
        self.entry: AuditEntry | None = None


@contextmanager
def audited(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    action: str,
    entity: str,
    snapshot: Callable[[object], dict],
    target=None,
) -> Iterator[Change]:
    """Snapshot, change, record: `target` is snapshotted before the block and after it, and the
    difference is recorded in the caller's transaction. A block that creates its target sets
    `change.target` (the new row is flushed for its id); a "delete" records no after-snapshot.
    If the block raises, nothing is recorded."""
    change = Change(target)
    before = None if target is None else snapshot(target)
    yield change
    if change.target is None:
        raise ValueError("an audited change must name what it changed")
    if change.target.id is None:
        uow.session.flush()
    after = None if action == "delete" else snapshot(change.target)
    change.entry = record(
        uow, user_id=user_id, action=action, entity=entity, entity_id=change.target.id, before=before, after=after
    )


def _seal(uow: UnitOfWork, entry: AuditEntry) -> None:
    """Link the entry to the chain: the head stays locked until the caller's transaction ends."""
    entry.seq, entry.prev_hash = chain.advance_head(uow.session)
    entry.hash = hash_of(entry, entry.prev_hash)
    chain.set_head_hash(uow.session, entry.seq, entry.hash)


# --- reading ---


@dataclass(frozen=True)
class Period:
    """Whole local days, as a person picks them; converted to UTC with the office's time zone."""

    since: date | None = None
    until: date | None = None

    def bounds(self, time_zone: str) -> tuple[datetime | None, datetime | None]:
        zone = ZoneInfo(time_zone)
        start = datetime.combine(self.since, time.min, tzinfo=zone) if self.since else None
        end = datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=zone) if self.until else None
        return start, end


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user: str
    action: str
    entity: str
    entity_id: int | None
    before: dict | None
    after: dict | None

    @property
    def changes(self) -> dict[str, tuple]:
        return diff(self.before, self.after)


@dataclass(frozen=True)
class EventRow:
    id: int
    at: datetime
    number: str
    kind: str
    service: str
    to_service: str | None
    counter: str | None
    officer: str | None
    note: str | None


def audit_rows(
    session: Session,
    *,
    time_zone: str,
    period: Period = Period(),
    entity: str | None = None,
    action: str | None = None,
    user_id: int | None = None,
    limit: int | None = 200,
) -> list[AuditRow]:
    """Newest first; `user` is the person's name then, or "system" for a command-line change."""
    a, u = t.audit_log, t.users
    stmt = select(a.c.id, a.c.at, u.c.username, a.c.action, a.c.entity, a.c.entity_id, a.c.before, a.c.after).outerjoin(
        u, u.c.id == a.c.user_id
    )
    start, end = period.bounds(time_zone)
    if start:
        stmt = stmt.where(a.c.at >= start)
    if end:
        stmt = stmt.where(a.c.at < end)
    if entity:
        stmt = stmt.where(a.c.entity == entity)
    if action:
        stmt = stmt.where(a.c.action == action)
    if user_id:
        stmt = stmt.where(a.c.user_id == user_id)
    stmt = stmt.order_by(a.c.at.desc(), a.c.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    return [AuditRow(row.id, row.at, row.username or "system", *row[3:]) for row in session.execute(stmt)]


def audit_actions(session: Session) -> list[str]:
    return list(session.scalars(select(t.audit_log.c.action).distinct().order_by(t.audit_log.c.action)))


def event_rows(
    session: Session,
    *,
    time_zone: str,
    period: Period = Period(),
    kind: str | None = None,
    service_id: int | None = None,
    officer_id: int | None = None,
    number: str | None = None,
    limit: int | None = 200,
) -> list[EventRow]:
    """Ticket events, newest first, with the names a reader needs (never a visitor's details)."""
    e, tk, c, u = t.ticket_events, t.tickets, t.counters, t.users
    s, to = aliased(t.services), aliased(t.services)
    stmt = (
        select(e.c.id, e.c.at, tk.c.number, e.c.kind, s.c.code, to.c.code, c.c.name, u.c.username, e.c.note)
        .join(tk, tk.c.id == e.c.ticket_id)
        .join(s, s.c.id == e.c.service_id)
        .outerjoin(to, to.c.id == e.c.to_service_id)
        .outerjoin(c, c.c.id == e.c.counter_id)
        .outerjoin(u, u.c.id == e.c.officer_id)
    )
    start, end = period.bounds(time_zone)
    if start:
        stmt = stmt.where(e.c.at >= start)
    if end:
        stmt = stmt.where(e.c.at < end)
    if kind:
        stmt = stmt.where(e.c.kind == kind)
    if service_id:
        stmt = stmt.where(e.c.service_id == service_id)
    if officer_id:
        stmt = stmt.where(e.c.officer_id == officer_id)
    if number:
        stmt = stmt.where(func.upper(tk.c.number) == number.strip().upper())
    stmt = stmt.order_by(e.c.at.desc(), e.c.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    return [
        EventRow(row[0], row[1], row[2], getattr(row[3], "value", row[3]), *row[4:]) for row in session.execute(stmt)
    ]


# --- CSV ---


def _local(moment: datetime, time_zone: str) -> str:
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%Y-%m-%d %H:%M:%S")


def _csv(header: list[str], rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(value) for value in row] for row in rows)
    return out.getvalue()


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_csv(rows: list[AuditRow], time_zone: str) -> str:
    """One line per change, local time first; before/after as JSON so nothing is lost."""
    return _csv(
        ["id", "at", "time_zone", "user", "action", "entity", "entity_id", "changed_fields", "before", "after"],
        (
            [
                r.id,
                _local(r.at, time_zone),
                time_zone,
                r.user,
                r.action,
                r.entity,
                "" if r.entity_id is None else r.entity_id,
                " ".join(r.changes),
                _json(r.before),
                _json(r.after),
            ]
            for r in rows
        ),
    )


def events_csv(rows: list[EventRow], time_zone: str) -> str:
    return _csv(
        ["id", "at", "time_zone", "number", "event", "service", "to_service", "counter", "officer", "note"],
        (
            [
                r.id,
                _local(r.at, time_zone),
                time_zone,
                r.number,
                r.kind,
                r.service,
                r.to_service or "",
                r.counter or "",
                r.officer or "",
                r.note or "",
            ]
            for r in rows
        ),
    )
