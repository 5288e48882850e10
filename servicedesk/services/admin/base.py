"""What the set-up use cases share: the coded errors and the field readers."""

from __future__ import annotations

from ...domain.errors import FieldInvalid, Invalid, Problems
from ...persistence import queries
from ..unit_of_work import UnitOfWork

__all__ = ["FieldInvalid", "Invalid", "Missing", "Problems"]


class Missing(Exception):
    """The record asked for does not exist."""


def _get(getter, entity_id: int):
    found = getter(entity_id)
    if found is None:
        raise Missing(entity_id)
    return found


def _whole(errors: Problems, field: str, value, *, minimum: int, maximum: int) -> int | None:
    """A whole number within bounds, or an error under `field`."""
    text = "" if value is None else str(value).strip()
    if not text:
        errors.add(field, "required")
        return None
    try:
        number = int(text)
    except ValueError:
        errors.add(field, "whole_number")
        return None
    if not minimum <= number <= maximum:
        errors.add(field, "between", low=minimum, high=maximum)
        return None
    return number


def _text(errors: Problems, field: str, value, *, limit: int, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors.add(field, "required")
    elif len(text) > limit:
        errors.add(field, "too_long", n=limit)
    return text


def _choice(errors: Problems, field: str, value, choices) -> str:
    text = "" if value is None else str(value).strip()
    if text not in choices:
        errors.add(field, "choose_option")
    return text


def _service_ids(uow: UnitOfWork, errors: Problems, field: str, ids) -> list[int]:
    """Ids of existing services, each once, in the order given."""
    known = set(_codes_by_id(uow))
    chosen: list[int] = []
    for value in ids or []:
        try:
            service_id = int(value)
        except (TypeError, ValueError):
            errors.add(field, "unknown_service")
            continue
        if service_id not in known:
            errors.add(field, "unknown_service")
        elif service_id not in chosen:
            chosen.append(service_id)
    return chosen


def _codes_by_id(uow: UnitOfWork) -> dict[int, str]:
    return {s.id: s.code for s in queries.services(uow.session, active_only=False)}
