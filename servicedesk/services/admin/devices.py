"""Kiosks and displays: registered with a token (only its hash is stored), audited."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from ...domain.audit import (
    device_snapshot,
)
from ...domain.errors import FieldInvalid
from ...domain.model import DEVICE_KINDS, Device, hash_token
from ...domain.slip import parse_printer
from ...persistence import setup, tables
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Invalid, Problems, _agency_of_row, _codes_by_id, _fits, _get, _service_ids

# --- devices (kiosks and displays) ---


def _device_fields(uow: UnitOfWork, kind: str, data: Mapping) -> dict:
    """`name` and `area` as the page's form checked them; the services and a kiosk's printer are checked here."""
    errors = Problems()
    fields = {
        "name": data["name"],
        "area": data.get("area") or "",
        "service_ids": _service_ids(uow, errors, "service_ids", data.get("service_ids"), data.get("agency_id")),
        "settings": {},
    }
    _fits(errors, tables.devices, {"name": fields["name"], "area": fields["area"]})
    if kind == "kiosk":
        # A kiosk prints on its own thermal printer, from the browser or over ESC/POS; its paper may
        # differ from the office default.
        form = parse_printer(data)
        errors.update(form.errors)
        if form.printer is not None:
            fields["settings"] = form.printer.settings()
    errors.check()
    return fields


def register_device(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> tuple[Device, str]:
    """The token is returned once, for the admin to type into the device; only its hash is kept."""
    kind = (data.get("kind") or "").strip()
    if kind not in DEVICE_KINDS:
        raise Invalid([FieldInvalid("choose_option", "kind")])
    data = {**data, "agency_id": _agency_of_row(uow, data)}
    fields = _device_fields(uow, kind, data)
    token = secrets.token_urlsafe(24)
    codes = _codes_by_id(uow)
    snapshot = lambda device: device_snapshot(device, codes)  # noqa: E731
    with audit.audited(uow, user_id=actor_id, action="create", entity="device", snapshot=snapshot) as change:
        agency_id = data.get("agency_id")
        change.target = device = Device(kind=kind, token_hash=hash_token(token), agency_id=agency_id, **fields)
        uow.repo.add(device)
    uow.commit()
    return device, token


def update_device(uow: UnitOfWork, *, actor_id: int | None, device_id: int, data: Mapping) -> Device:
    device = _get(lambda i: setup.find(uow.session, Device, i), device_id)
    fields = _device_fields(uow, device.kind, {**data, "agency_id": device.agency_id})
    codes = _codes_by_id(uow)
    snapshot = lambda device: device_snapshot(device, codes)  # noqa: E731
    with audit.audited(uow, user_id=actor_id, action="update", entity="device", snapshot=snapshot, target=device):
        device.name, device.area, device.service_ids = fields["name"], fields["area"], fields["service_ids"]
        device.settings = fields["settings"]
        device.active = bool(data.get("active"))
    uow.commit()
    return device


def rotate_device_token(uow: UnitOfWork, *, actor_id: int | None, device_id: int) -> str:
    """A new token (shown once); the old one stops working at once."""
    device = _get(lambda i: setup.find(uow.session, Device, i), device_id)
    token = secrets.token_urlsafe(24)
    old = device.token_hash
    with audit.audited(
        uow, user_id=actor_id, action="rotate_token", entity="device", snapshot=_token_snapshot(old), target=device
    ):
        device.token_hash = hash_token(token)
    uow.commit()
    return token


def _token_snapshot(old_hash: str):
    """That the token changed, never the token nor its hash."""
    return lambda device: {
        "name": device.name,
        "token": "(old)" if device.token_hash == old_hash else "(new, not recorded)",
    }
