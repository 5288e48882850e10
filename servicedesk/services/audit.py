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
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..domain.audit import diff, jsonable
from ..domain.audit_chain import hash_of
from ..domain.cells import spreadsheet_safe
from ..domain.model import AuditEntry
from ..persistence import audit_chain as chain
from ..persistence.audit_log import (  # noqa: F401 - the admin pages read the trail through this module
    AuditRow,
    EventRow,
    Period,
    audit_actions,
    audit_rows,
    event_rows,
)
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
