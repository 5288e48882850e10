"""Reading the audit trail and the ticket events next to it, newest first (a read model: rows, no entities)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ..domain.audit import diff
from . import tables as t


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
    stmt = _within(stmt, a.c.at, period, time_zone)
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


def _within(stmt, moment, period: Period, time_zone: str):
    """Rows whose `moment` falls in the period (either bound may be open)."""
    start, end = period.bounds(time_zone)
    if start:
        stmt = stmt.where(moment >= start)
    if end:
        stmt = stmt.where(moment < end)
    return stmt


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
    stmt = _within(stmt, e.c.at, period, time_zone)
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
