"""Services (jenis layanan): created, edited, (de)activated and ordered, audited."""

from __future__ import annotations

from collections.abc import Mapping

from ...domain.audit import (
    service_snapshot,
)
from ...domain.catalogue import FIELDS as SERVICE_FIELDS
from ...domain.catalogue import parse_row
from ...domain.model import Service
from ...persistence import queries, setup
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Problems, _agency_of_new_row, _get

# --- services (jenis layanan) ---


def parse_service(uow: UnitOfWork, data: Mapping, *, service_id: int | None = None) -> dict:
    """The catalogue's row rules (the same as `flask import-services`), plus a unique prefix."""
    fields, row_errors = parse_row({k: v for k, v in data.items() if k in SERVICE_FIELDS}, line=0)
    errors = Problems({e.field: e.error for e in row_errors})
    code = fields.get("code")
    if code:
        other = uow.repo.service_by_code(code)
        if other is not None and other.id != service_id:
            errors.add("code", "prefix_taken", code=code, name=other.name)
    errors.check()
    return fields


def create_service(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> Service:
    fields = parse_service(uow, data)
    with audit.audited(uow, user_id=actor_id, action="create", entity="service", snapshot=service_snapshot) as change:
        position = setup.next_service_position(uow.session)
        agency_id = _agency_of_new_row(uow, data)
        change.target = service = Service(position=position, agency_id=agency_id, **fields)
        uow.repo.add(service)
    uow.commit()
    return service


def update_service(uow: UnitOfWork, *, actor_id: int | None, service_id: int, data: Mapping) -> Service:
    service = _get(uow.repo.service, service_id)
    fields = parse_service(uow, data, service_id=service_id)
    with audit.audited(
        uow, user_id=actor_id, action="update", entity="service", snapshot=service_snapshot, target=service
    ):
        for name, value in fields.items():
            setattr(service, name, value)
    uow.commit()
    return service


def set_service_active(uow: UnitOfWork, *, actor_id: int | None, service_id: int, active: bool) -> Service:
    """Deactivate (the kiosk stops offering it; history keeps it) or bring it back."""
    service = _get(uow.repo.service, service_id)
    action = "activate" if active else "deactivate"
    with audit.audited(
        uow, user_id=actor_id, action=action, entity="service", snapshot=service_snapshot, target=service
    ):
        service.active = active
    uow.commit()
    return service


def move_service(uow: UnitOfWork, *, actor_id: int | None, service_id: int, offset: int) -> None:
    """One place up (-1) or down (+1) in the kiosk's order; positions are renumbered 0..n."""
    ordered = queries.services(uow.session, active_only=False)
    moved = _get(uow.repo.service, service_id)
    snapshot = lambda _: {"order": [s.code for s in ordered]}  # noqa: E731  (the whole order, before and after)
    with audit.audited(uow, user_id=actor_id, action="reorder", entity="service", snapshot=snapshot, target=moved):
        index = ordered.index(moved)
        target = min(max(index + offset, 0), len(ordered) - 1)
        ordered.insert(target, ordered.pop(index))
        for position, service in enumerate(ordered):
            service.position = position
    uow.commit()
