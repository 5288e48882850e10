"""The site's agencies (tenancy): created, renamed, deactivated by a site administrator, audited."""

from __future__ import annotations

from collections.abc import Mapping

from ...domain.errors import FieldInvalid
from ...domain.model import Agency
from ...domain.model.agency import agency_code, agency_language, brand_colour
from ...persistence import setup, tables
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Problems, _fits, _get


def agency_snapshot(agency: Agency) -> dict:
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "language": agency.language,
        "brand_colour": agency.brand_colour,
        "active": agency.active,
    }


def agencies(uow: UnitOfWork) -> list[Agency]:
    return setup.agencies(uow.session)


def _fields(uow: UnitOfWork, data: Mapping, agency_id: int | None) -> dict:
    errors = Problems()
    fields = {"name": (data.get("name") or "").strip(), "short_name": (data.get("short_name") or "").strip()}
    for name, parse in (("code", agency_code), ("language", agency_language), ("brand_colour", brand_colour)):
        try:
            fields[name] = parse(data.get(name))
        except FieldInvalid as refused:
            errors[name] = refused.at(name)
    if not fields["name"]:
        errors.add("name", "required")
    _fits(errors, tables.agencies, {"name": fields["name"], "short_name": fields["short_name"]})
    if "code" in fields:
        other = setup.agency_by_code(uow.session, fields["code"])
        if other is not None and other.id != agency_id:
            errors.add("code", "agency_code_taken")
    errors.check()
    return fields


def create_agency(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> Agency:
    fields = _fields(uow, data, None)
    with audit.audited(uow, user_id=actor_id, action="create", entity="agency", snapshot=agency_snapshot) as change:
        change.target = agency = Agency(
            fields["code"],
            fields["name"],
            fields["short_name"],
            language=fields["language"],
            brand_colour=fields["brand_colour"],
        )
        uow.repo.add(agency)
    uow.commit()
    return agency


def update_agency(uow: UnitOfWork, *, actor_id: int | None, agency_id: int, data: Mapping) -> Agency:
    """Rename (name, short name, code, language, colour) and, with `active`, deactivate or bring back."""
    agency = _get(lambda i: setup.find(uow.session, Agency, i), agency_id)
    fields = _fields(uow, data, agency_id)
    with audit.audited(
        uow, user_id=actor_id, action="update", entity="agency", snapshot=agency_snapshot, target=agency
    ):
        agency.code = fields["code"]
        agency.rename(fields["name"], fields["short_name"])
        agency.language, agency.brand_colour = fields["language"], fields["brand_colour"]
        if data.get("active"):
            agency.reactivate()
        else:
            agency.deactivate()
    uow.commit()
    return agency
