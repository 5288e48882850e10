"""What the set-up use cases share: the Invalid/Missing errors and the field readers."""

from __future__ import annotations

from collections.abc import Mapping

from ...persistence import queries
from ..unit_of_work import UnitOfWork


class Invalid(Exception):
    """What is wrong with a form, field by field; nothing was saved."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = dict(errors)


class Missing(Exception):
    """The record asked for does not exist."""


def _get(getter, entity_id: int):
    found = getter(entity_id)
    if found is None:
        raise Missing(entity_id)
    return found


def _whole(errors: dict, field: str, value, *, minimum: int, maximum: int) -> int | None:
    """A whole number within bounds, or an error under `field`."""
    text = "" if value is None else str(value).strip()
    if not text:
        errors[field] = "is required"
        return None
    try:
        number = int(text)
    except ValueError:
        errors[field] = "must be a whole number"
        return None
    if not minimum <= number <= maximum:
        errors[field] = f"must be between {minimum} and {maximum}"
        return None
    return number


def _text(errors: dict, field: str, value, *, limit: int, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors[field] = "is required"
    elif len(text) > limit:
        errors[field] = f"at most {limit} characters"
    return text


def _choice(errors: dict, field: str, value, choices) -> str:
    text = "" if value is None else str(value).strip()
    if text not in choices:
        errors[field] = "choose one of the options"
    return text


def _service_ids(uow: UnitOfWork, errors: dict, field: str, ids) -> list[int]:
    """Ids of existing services, each once, in the order given."""
    known = {s.id for s in queries.services(uow.session, active_only=False)}
    chosen: list[int] = []
    for value in ids or []:
        try:
            service_id = int(value)
        except (TypeError, ValueError):
            errors[field] = "unknown service"
            continue
        if service_id not in known:
            errors[field] = "unknown service"
        elif service_id not in chosen:
            chosen.append(service_id)
    return chosen


def _codes_by_id(uow: UnitOfWork) -> dict[int, str]:
    return {s.id: s.code for s in queries.services(uow.session, active_only=False)}
