"""The admin's side of booking ahead: each service's split and rules, the office's retention; audited."""

from __future__ import annotations

from ..domain.booking import BookingSettings, CapacitySplit
from ..persistence.bookings import BookingRepository
from . import audit
from .unit_of_work import UnitOfWork

FIELDS = (
    "enabled",
    "online_percent",
    "priority_percent",
    "walk_in_reserve_percent",
    "requires_identity",
    "early_minutes",
    "late_minutes",
    "change_cutoff_hours",
    "horizon_days",
    "same_day",
    *BookingSettings.LIMIT_FIELDS,
    "max_no_shows",
    "no_show_days",
)


def snapshot(settings: BookingSettings) -> dict:
    return {"service_id": settings.service_id, **{name: getattr(settings, name) for name in FIELDS}}


def update_settings(uow: UnitOfWork, *, actor_id: int | None, service_id: int, values: dict) -> BookingSettings:
    """Save a service's booking settings. The split is checked first (BookingRefused split_over_reserve):
    the online and priority shares may never eat into the walk-in reserve."""
    CapacitySplit(values["online_percent"], values["priority_percent"], values["walk_in_reserve_percent"])
    repo = BookingRepository(uow.session)
    settings = repo.settings(service_id)
    created = settings is None
    with audit.audited(
        uow,
        user_id=actor_id,
        action="create" if created else "update",
        entity="booking_settings",
        snapshot=snapshot,
        target=None if created else settings,
    ) as change:
        if created:
            settings = repo.settings_or_new(service_id)
            change.target = settings
        for name in FIELDS:
            setattr(settings, name, values[name])
        uow.session.flush()
    uow.commit()
    return settings


def set_retention(uow: UnitOfWork, *, actor_id: int | None, days: int) -> None:
    repo = BookingRepository(uow.session)
    before = repo.retention_days()
    repo.set_retention_days(days)
    audit.record(
        uow,
        user_id=actor_id,
        action="update",
        entity="booking_office",
        entity_id=1,
        before={"retention_days": before},
        after={"retention_days": days},
    )
    uow.commit()
