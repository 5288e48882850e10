"""Follow-up actions (rencana tindak lanjut) for the weakest SKM element of a period, audited."""

from __future__ import annotations

from datetime import date

from ..domain.errors import NotFound
from ..domain.reporting import FOLLOW_UP_STATUSES, Period
from ..domain.survey import CODES
from ..persistence import follow_up as store
from . import audit
from .unit_of_work import UnitOfWork


class InvalidAction(ValueError):
    """A field of the action is missing or wrong; `errors` maps the field to what is wrong."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _snapshot(row: dict) -> dict:
    return {
        key: (value.isoformat() if isinstance(value, date) else value)
        for key, value in row.items()
        if key not in ("id", "created_at", "updated_at")
    }


def record_action(
    uow: UnitOfWork,
    *,
    actor_id: int,
    period: Period,
    service_id: int | None,
    element: str,
    action: str,
    owner: str,
    due_date: date | None,
    status: str = "planned",
) -> int:
    """One action for an element of a period's survey: what, who, by when, and how far it is."""
    errors = {}
    if element not in CODES:
        errors["element"] = "choose one of the nine elements"
    action, owner = (action or "").strip(), (owner or "").strip()
    if not action or len(action) > 2000:
        errors["action"] = "describe the action (at most 2000 characters)"
    if not owner or len(owner) > 200:
        errors["owner"] = "name who is responsible (at most 200 characters)"
    if due_date is None:
        errors["due_date"] = "give a due date"
    if status not in FOLLOW_UP_STATUSES:
        errors["status"] = "planned, in_progress or done"
    if errors:
        raise InvalidAction(errors)
    now = uow.clock()
    values = {
        "period_kind": period.kind.value,
        "period_first": period.first,
        "period_last": period.last,
        "service_id": service_id,
        "element": element,
        "action": action,
        "owner": owner,
        "due_date": due_date,
        "status": status,
    }
    action_id = store.add_action(uow.session, **values, created_at=now, updated_at=now)
    audit.record(
        uow, user_id=actor_id, action="create", entity="follow_up", entity_id=action_id, after=_snapshot(values)
    )
    uow.commit()
    return action_id


def change_status(uow: UnitOfWork, *, actor_id: int, action_id: int, status: str) -> None:
    if status not in FOLLOW_UP_STATUSES:
        raise InvalidAction({"status": "planned, in_progress or done"})
    before = store.action(uow.session, action_id)
    if before is None:
        raise NotFound("No such follow-up action.")
    store.set_status(uow.session, action_id, status, uow.clock())
    audit.record(
        uow,
        user_id=actor_id,
        action="update",
        entity="follow_up",
        entity_id=action_id,
        before={"status": before["status"]},
        after={"status": status},
    )
    uow.commit()
