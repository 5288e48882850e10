"""Kiosks and displays are registered devices holding a token, not user logins."""

from __future__ import annotations

from datetime import datetime

from ..domain.model import DEVICE_KINDS as KINDS
from ..domain.model import Device, hash_token
from ..persistence.repository import Repository
from . import admin
from .unit_of_work import UnitOfWork

__all__ = ["KINDS", "authenticate", "hash_token", "register_device"]


def register_device(
    uow: UnitOfWork,
    *,
    kind: str,
    name: str,
    area: str = "",
    service_ids: list[int] | None = None,
    agency_id: int | None = None,
) -> tuple[Device, str]:
    """Register from a terminal or a test: the admin use case, audited as done by the system. With
    `agency_id`, the device is that (active) agency's; without, the site's (a hall device)."""
    data = {"kind": kind, "name": name, "area": area, "service_ids": service_ids or []}
    if agency_id is not None:
        data |= {"agency_id": agency_id, "agency_chosen": True}
    return admin.register_device(uow, actor_id=None, data=data)


def authenticate(repo: Repository, token: str | None, kind: str) -> Device | None:
    if not token:
        return None
    device = repo.device_by_token_hash(hash_token(token))
    if device is None or not device.active or device.kind != kind:
        return None
    return device


def report_sound(uow: UnitOfWork, *, token: str | None, muted: bool, at: datetime) -> Device | None:
    """A registered display says whether its browser lets it speak; the floor lists the muted ones.
    An unknown token changes nothing (an unregistered display is only reported live)."""
    device = authenticate(uow.repo, token, "display")
    if device is None:
        return None
    if device.sound_muted is not muted:
        device.sound_muted = muted
        device.sound_reported_at = at
        uow.commit()
    return device
