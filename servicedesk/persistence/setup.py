"""The SQL of the office's set-up (administration): what the admin use cases and pages read."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.announcements import Announcement
from ..domain.model import Agency, Device, Holiday, Role, User
from . import scope
from . import tables as t


def find(session: Session, entity: type, entity_id: int, agency_id: int | None = None):
    """One row of the set-up by its id (a service, counter, user, device, holiday, announcement), or
    None; for an agency's staff (`agency_id`), None too when the row is not their agency's."""
    return scope.find(session, entity, entity_id, agency_id)


def remove(session: Session, entity) -> None:
    """Delete a row of the set-up (a holiday, an announcement) in the caller's transaction."""
    session.delete(entity)


def announcements(session: Session) -> list[Announcement]:
    """Every announcement in the order the display shows them."""
    a = t.announcements.c
    return list(session.scalars(select(Announcement).order_by(a.position, a.id)))


def next_announcement_position(session: Session) -> int:
    """Where a new announcement goes: after the last one (positions start at 1)."""
    return (session.scalar(select(func.max(t.announcements.c.position))) or 0) + 1


def next_service_position(session: Session) -> int:
    """Where a new service goes in the kiosk's order: after the last one."""
    last = session.execute(select(func.max(t.services.c.position))).scalar()
    return 0 if last is None else last + 1


def active_admins(session: Session) -> int:
    u = t.users
    return session.execute(
        select(func.count()).select_from(u).where(u.c.role == Role.ADMIN, u.c.active.is_(True))
    ).scalar_one()


def holiday_on(session: Session, day: date, agency_id: int | None) -> Holiday | None:
    """The agency's holiday on `day` (agency None: the building's own); each scope has its own days."""
    h = t.holidays.c
    scoped = h.agency_id.is_(None) if agency_id is None else h.agency_id == agency_id
    return session.scalars(select(Holiday).where(h.day == day, scoped)).first()


def holidays(session: Session, agency_id: int | None = None) -> list[Holiday]:
    stmt = select(Holiday).order_by(t.holidays.c.day)
    return list(session.scalars(scope.narrowed(stmt, t.holidays, agency_id, shared=True)))


def devices(session: Session, agency_id: int | None = None) -> list[Device]:
    stmt = select(Device).order_by(t.devices.c.kind, t.devices.c.name)
    return list(session.scalars(scope.narrowed(stmt, t.devices, agency_id, shared=True)))


def people(session: Session, *, active_first: bool = False, agency_id: int | None = None) -> list[User]:
    order = (t.users.c.active.desc(), t.users.c.username) if active_first else (t.users.c.username,)
    return list(session.scalars(scope.narrowed(select(User).order_by(*order), t.users, agency_id)))


def counts(session: Session, today: date, agency_id: int | None = None) -> dict[str, int]:
    """What the administration's start page counts: active services, counters, active people and
    devices, and holidays from today on (an agency's own and shared ones, for its staff)."""

    def count(table, *where) -> int:
        stmt = select(func.count()).select_from(table).where(*where)
        shared = table is t.devices or table is t.holidays
        return session.execute(scope.narrowed(stmt, table, agency_id, shared=shared)).scalar_one()

    return {
        "services": count(t.services, t.services.c.active.is_(True)),
        "counters": count(t.counters),
        "users": count(t.users, t.users.c.active.is_(True)),
        "devices": count(t.devices, t.devices.c.active.is_(True)),
        "holidays": count(t.holidays, t.holidays.c.day >= today),
    }


def agencies(session: Session) -> list[Agency]:
    """The site's agencies, by code."""
    return list(session.scalars(select(Agency).order_by(t.agencies.c.code)))


def agency_by_code(session: Session, code: str) -> Agency | None:
    return session.scalars(select(Agency).where(t.agencies.c.code == code)).first()
