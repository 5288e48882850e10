"""Every figure of one period and filter, and the names the tables label them with."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ...domain.priority_groups import groups_of
from ...domain.reporting import Period
from .. import scope
from .. import tables as t
from ..engine import unhurried
from . import rollups
from .model import PAGE_COMMENTS, Figures, Filters
from .survey import comments, profile_tallies, source_counts, survey_tallies
from .tickets import arrivals, cancel_reasons, priority_group_counts, ticket_figures


def prepare_aggregates(session: Session) -> None:
    """Prepare the transaction for a period's aggregates (the review's queries call it too)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    # A year is a million rows hashed into histograms: give the hash tables memory instead of
    # temporary files, and skip JIT compilation, which costs more than it saves on these short
    # queries. The tables being read are in memory, where a random read costs little more than
    # a sequential one: priced so, a year's 20,000 transfers look their tickets up by key
    # instead of scanning the year's tickets (0.07 s against 0.2 s). SET LOCAL ends with the
    # transaction.
    unhurried(session)  # a year's figures may take longer than a request's statement bound
    session.execute(text("SET LOCAL work_mem = '64MB'"))
    session.execute(text("SET LOCAL jit = off"))
    session.execute(text("SET LOCAL random_page_cost = 1.1"))


def figures(
    session: Session,
    period: Period,
    time_zone: str,
    filters: Filters | None = None,
    comment_limit: int | None = PAGE_COMMENTS,
    *,
    use_rollups: bool = True,
) -> Figures:
    """Every figure of the report for one period and filter: closed days from their rollups where
    they are rolled up (domain/rollup.py), the other days from the tickets; `use_rollups=False`
    reads every day from the tickets (what the tests compare the rollups with)."""
    filters = filters or Filters()
    start, end = period.bounds(time_zone)
    prepare_aggregates(session)
    reading = rollups.reading_for(session, filters, period.first, period.last, time_zone) if use_rollups else None
    per_service, total, officers, counters = ticket_figures(session, filters, start, end, reading)
    per_service_survey, survey_total = survey_tallies(session, filters, start, end, reading)
    found_comments, comment_count = comments(session, filters, start, end, comment_limit, reading)
    return Figures(
        period=period,
        start=start,
        end=end,
        filters=filters,
        services=per_service,
        total=total,
        officers=officers,
        counters=counters,
        arrivals=arrivals(session, filters, start, end, reading),
        survey=per_service_survey,
        survey_total=survey_total,
        comments=found_comments,
        comment_count=comment_count,
        priority_groups=priority_group_counts(session, filters, start, end, reading),
        profiles=profile_tallies(session, filters, start, end, reading),
        sources=source_counts(session, filters, start, end, reading),
        cancel_reasons=cancel_reasons(session, filters, start, end, reading),
    )


@dataclass(frozen=True)
class Names:
    """Labels for the ids in the figures: services (code, name, standard), officers, counters."""

    services: dict[int, dict]
    officers: dict[int, str]
    counters: dict[int, dict]
    priority_groups: tuple = ()  # the office's PriorityGroup list, for the labels of group keys


def names(session: Session, agency_id: int | None = None) -> Names:
    """The services, officers and counters the report names (an agency's own, for its staff)."""
    services = {
        row.id: {
            "code": row.code,
            "name": row.name,
            "name_en": row.name_en,
            "standard_minutes": row.standard_minutes,
            "position": row.position,
            "active": row.active,
        }
        for row in session.execute(
            select(
                t.services.c.id,
                t.services.c.code,
                t.services.c.name,
                t.services.c.name_en,
                t.services.c.standard_minutes,
                t.services.c.position,
                t.services.c.active,
            ).order_by(t.services.c.position, t.services.c.code),
        )
        if agency_id is None or row.id in _agency_services(session, agency_id)
    }
    people = select(t.users.c.id, t.users.c.full_name).order_by(t.users.c.full_name)
    officers = dict(session.execute(scope.narrowed(people, t.users, agency_id)).all())
    desks = select(t.counters.c.id, t.counters.c.number, t.counters.c.name).order_by(t.counters.c.number)
    counters = {
        row.id: {"number": row.number, "name": row.name}
        for row in session.execute(scope.narrowed(desks, t.counters, agency_id))
    }
    stored = session.execute(select(t.office.c.priority_groups)).scalar()
    return Names(services, officers, counters, groups_of(stored))


def _agency_services(session: Session, agency_id: int) -> set[int]:
    return set(session.scalars(select(t.services.c.id).where(t.services.c.agency_id == agency_id)))
