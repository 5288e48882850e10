"""The rules of the officer's day the office sets itself: when the service day closes, where a late
no-show goes back in line, and the reasons a ticket may be cancelled for. Each change is audited."""

from __future__ import annotations

from collections.abc import Mapping

from ...domain.model import Office, ReturnPosition
from ...domain.service_day import parse_clock
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Problems

FIELDS = ("day_closes_at", "no_show_return_position", "cancel_reasons")
MAX_REASONS = 20
MAX_REASON_LENGTH = 200


def snapshot(office: Office) -> dict:
    return {
        "day_closes_at": office.day_closes_at,
        "no_show_return_position": office.no_show_return_position,
        "cancel_reasons": office.cancel_reason_list,
    }


def parse(data: Mapping) -> dict:
    """The office's rules on the form's values (the close time, the reasons); Invalid names each wrong field."""
    errors = Problems()
    closes_at = str(data.get("day_closes_at") or "").strip()
    try:
        closes_at = parse_clock(closes_at).strftime("%H:%M")
    except ValueError:
        errors.add("day_closes_at", "clock_format")
    position = str(data.get("no_show_return_position") or "")
    if position not in {p.value for p in ReturnPosition}:
        errors.add("no_show_return_position", "choose_option")
    reasons: list[str] = []
    for line in str(data.get("cancel_reasons") or "").splitlines():
        line = " ".join(line.split())
        if line and line not in reasons:
            reasons.append(line)
    if not reasons:
        errors.add("cancel_reasons", "reasons_empty")
    elif len(reasons) > MAX_REASONS:
        errors.add("cancel_reasons", "reasons_many")
    elif any(len(r) > MAX_REASON_LENGTH or "\x00" in r for r in reasons):
        errors.add("cancel_reasons", "reason_too_long")
    errors.check()
    return {"day_closes_at": closes_at, "no_show_return_position": position, "cancel_reasons": reasons}


def update_desk_rules(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> Office:
    fields = parse(data)
    office = uow.repo.office()
    with audit.audited(uow, user_id=actor_id, action="update", entity="office", snapshot=snapshot, target=office):
        for name, value in fields.items():
            setattr(office, name, value)
    uow.commit()
    return office
