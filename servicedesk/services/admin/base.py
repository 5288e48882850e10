"""What the set-up use cases share: the coded errors, loading by id, the services chosen."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Table

from ...domain.errors import FieldInvalid, Invalid, Problems
from ...persistence import queries, setup
from ..unit_of_work import UnitOfWork

__all__ = ["FieldInvalid", "Invalid", "Missing", "Problems"]


class Missing(Exception):
    """The record asked for does not exist."""


def _get(getter, entity_id: int):
    found = getter(entity_id)
    if found is None:
        raise Missing(entity_id)
    return found


def _fits(errors: Problems, table: Table, fields: Mapping) -> None:
    """Text longer than its column is refused as `too_long` on its field, whoever called (page, CLI,
    import): never a database error on PostgreSQL, never silently stored on SQLite."""
    for name, value in fields.items():
        limit = getattr(table.c[name].type, "length", None)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            errors.add(name, "too_long", n=limit)


def _service_ids(uow: UnitOfWork, errors: Problems, field: str, ids, agency_id: int | None = None) -> list[int]:
    """Ids of existing services (of `agency_id`, when an agency's row is set up), each once, in the order given."""
    known = {s.id for s in queries.services(uow.session, active_only=False, agency_id=agency_id)}
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


def _agency_of_new_row(uow: UnitOfWork, data: Mapping) -> int | None:
    """The agency a new service, counter or officer gets: the one of the agency administrator who
    creates it; the one a site administrator chose (`agency_chosen`: None is the site), which must
    be an active agency; else the site's only active agency (a single-office install), or the site."""
    if data.get("agency_chosen"):
        return _chosen_agency(uow, data.get("agency_id"))
    if data.get("agency_id") is not None:
        return data["agency_id"]
    active = [agency for agency in setup.agencies(uow.session) if agency.active]
    return active[0].id if len(active) == 1 else None


def _chosen_agency(uow: UnitOfWork, agency_id: int | None) -> int | None:
    """A site administrator's choice of agency for a row: the site (None) or an active agency."""
    if agency_id is None:
        return None
    if not any(agency.id == agency_id and agency.active for agency in setup.agencies(uow.session)):
        raise Invalid([FieldInvalid("choose_agency", "agency_id")])
    return agency_id


def _agency_of_row(uow: UnitOfWork, data: Mapping) -> int | None:
    """The agency of a new device or holiday: as given, checked when a site administrator chose it."""
    if data.get("agency_chosen"):
        return _chosen_agency(uow, data.get("agency_id"))
    return data.get("agency_id")


def _codes_by_id(uow: UnitOfWork) -> dict[int, str]:
    return {s.id: s.code for s in queries.services(uow.session, active_only=False)}
