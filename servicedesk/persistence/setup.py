"""The SQL of the office's set-up (administration): what the admin use cases and pages read."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.announcements import Announcement
from ..domain.model import Device, Holiday, Role, User
from . import tables as t


def find(session: Session, entity: type, entity_id: int):
    """One row of the set-up by its id (a service, counter, user, device, holiday, announcement), or None."""
    return session.get(entity, entity_id)


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


def holiday_on(session: Session, day: date) -> Holiday | None:
    return session.scalars(select(Holiday).where(t.holidays.c.day == day)).first()


def holidays(session: Session) -> list[Holiday]:
    return list(session.scalars(select(Holiday).order_by(t.holidays.c.day)))


def devices(session: Session) -> list[Device]:
    return list(session.scalars(select(Device).order_by(t.devices.c.kind, t.devices.c.name)))


def people(session: Session, *, active_first: bool = False) -> list[User]:
    order = (t.users.c.active.desc(), t.users.c.username) if active_first else (t.users.c.username,)
    return list(session.scalars(select(User).order_by(*order)))


def counts(session: Session, today: date) -> dict[str, int]:
    """What the administration's start page counts: active services, counters, active people and
    devices, and holidays from today on."""

    def count(table, *where) -> int:
        return session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()

    return {
        "services": count(t.services, t.services.c.active.is_(True)),
        "counters": count(t.counters),
        "users": count(t.users, t.users.c.active.is_(True)),
        "devices": count(t.devices, t.devices.c.active.is_(True)),
        "holidays": count(t.holidays, t.holidays.c.day >= today),
    }
