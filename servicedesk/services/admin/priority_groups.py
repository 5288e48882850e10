"""The office's list of priority groups (kelompok rentan), edited by an admin and kept in the audit log."""

from __future__ import annotations

from ...domain import priority_groups
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import FieldInvalid, Invalid


def update_priority_groups(uow: UnitOfWork, *, actor_id: int | None, text: str) -> tuple:
    """Replace the office's list from the admin's text (one group a line: key | Indonesian | English).

    A key no longer listed stays on its old tickets; the reports show it as it is.
    """
    try:
        groups = priority_groups.from_text(text)
    except FieldInvalid as refused:
        raise Invalid([refused.at("groups")]) from None
    office = uow.repo.office()
    with audit.audited(uow, user_id=actor_id, action="update", entity="office", snapshot=_snapshot, target=office):
        office.priority_groups = [g.to_dict() for g in groups]
    uow.commit()
    return groups


def _snapshot(office) -> dict:
    return {"priority_groups": [g.to_dict() for g in priority_groups.groups_of(office.priority_groups)]}
