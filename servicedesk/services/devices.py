"""Kiosks and displays are registered devices holding a token, not user logins."""

from __future__ import annotations

from ..domain.model import DEVICE_KINDS as KINDS
from ..domain.model import Device, hash_token
from ..persistence.repository import Repository
from . import admin
from .unit_of_work import UnitOfWork

__all__ = ["KINDS", "authenticate", "hash_token", "register_device"]


def register_device(
    uow: UnitOfWork, *, kind: str, name: str, area: str = "", service_ids: list[int] | None = None
) -> tuple[Device, str]:
    """Register from a terminal or a test: the admin use case, audited as done by the system."""
    return admin.register_device(
        uow, actor_id=None, data={"kind": kind, "name": name, "area": area, "service_ids": service_ids or []}
    )


def authenticate(repo: Repository, token: str | None, kind: str) -> Device | None:
    if not token:
        return None
    device = repo.device_by_token_hash(hash_token(token))
    if device is None or not device.active or device.kind != kind:
        return None
    return device
