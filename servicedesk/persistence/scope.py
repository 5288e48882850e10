"""The one place a query is narrowed to an agency (tenancy, domain/model/agency.py).

`agency_id` is the reader's agency: None reads the whole site (site administrators, site
supervisors, the command line); a number reads that agency's rows only, plus, for `shared`
tables, the site's own rows (site-wide holidays, hall devices), which agency staff may read but
not change.
"""

from __future__ import annotations

from sqlalchemy import Select, Table, or_, select
from sqlalchemy.orm import Session

from ..domain.model import Counter, Device, Holiday, Service, User
from ..domain.model.agency import may_see, may_see_strictly
from . import tables as t

#: The entities that belong to an agency, and their tables.
SCOPED = {Service: t.services, Counter: t.counters, User: t.users, Device: t.devices, Holiday: t.holidays}
#: Of those, the ones whose site rows agency staff also read.
SHARED = (Device, Holiday)


def narrowed(stmt: Select, table: Table, agency_id: int | None, *, shared: bool = False) -> Select:
    """`stmt` limited to the rows an agency's staff read (nothing limited for the site's staff)."""
    if agency_id is None:
        return stmt
    column = table.c.agency_id
    return stmt.where(or_(column == agency_id, column.is_(None)) if shared else column == agency_id)


def visible(row, agency_id: int | None, *, shared: bool = False) -> bool:
    """Is one loaded row readable by staff of `agency_id`? (Rows without an agency are the site's.)"""
    if type(row) not in SCOPED:
        return True
    rule = may_see if shared else may_see_strictly
    return rule(agency_id, row.agency_id)


def of_agency(service_column, agency_id: int | None) -> list:
    """Report conditions: rows whose service is the agency's ([] for the whole site)."""
    if agency_id is None:
        return []
    return [service_column.in_(select(t.services.c.id).where(t.services.c.agency_id == agency_id))]


def find(session: Session, entity: type, entity_id: int, agency_id: int | None):
    """One row by its id, or None when it does not exist or is not the agency's own (a site row is
    not an agency's to change): what the pages and the API answer 404 for."""
    row = session.get(entity, entity_id)
    if row is None or not visible(row, agency_id):
        return None
    return row
