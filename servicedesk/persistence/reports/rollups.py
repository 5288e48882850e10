"""Reading the report rollups (domain/rollup.py says what they hold and when they are read;
rolling.py writes them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from ...domain.reporting import Period, PeriodKind
from ...domain.rollup import DayRange, ReadPlan, everything_from_tickets, read_plan
from .. import scope
from .. import tables as t
from .model import Filters
from .sql import Reading

TRANSFERRED, CANCELLED, PRIORITY_GROUP, ARRIVALS = "transferred", "cancelled", "priority_group", "arrivals"
WAIT, SERVICE = "wait", "service"
#: The service_id of the month histograms' rows over every service (ids of services start at 1).
SITE = 0


def rolled_days(session: Session, first: date, last: date, time_zone: str, table=None) -> set[date]:
    """The days first..last rolled up in the office's time zone (the tickets', or the survey's with
    table=report_survey_days). None is trusted if any was rolled up in another (the office moved
    zones: `flask reports rollup --rebuild` rolls them up again)."""
    days = (t.report_rollup_days if table is None else table).c
    rows = session.execute(select(days.day, days.time_zone).where(days.day >= first, days.day <= last)).all()
    if any(zone != time_zone for _day, zone in rows):
        return set()
    return {day for day, _zone in rows}


def plan_for(session: Session, filters: Filters, first: date, last: date, time_zone: str) -> ReadPlan:
    """What to read where for a period. A counter's or an officer's figures come from the tickets:
    the rollups keep those two keys for the per-officer and per-counter tables only."""
    if filters.counter_id or filters.officer_id:
        return everything_from_tickets(first, last)
    return read_plan(first, last, rolled_days(session, first, last, time_zone))


def reading_for(session: Session, filters: Filters, first: date, last: date, time_zone: str) -> Reading:
    """The plan for whole local days first..last, its day ranges as UTC spans of the tickets."""
    plan = plan_for(session, filters, first, last, time_zone)
    survey = survey_plan_for(session, filters, first, last, time_zone)
    return Reading(
        count_spans=_spans(plan.counts_from_tickets, time_zone),
        seconds_spans=_spans(plan.seconds_from_tickets, time_zone),
        counts_rolled=plan.counts_rolled,
        months=plan.months,
        survey_spans=_spans(survey.seconds_from_tickets, time_zone),
        survey_months=survey.months,
    )


def survey_plan_for(session: Session, filters: Filters, first: date, last: date, time_zone: str) -> ReadPlan:
    """The survey's answers are rolled up into months only: a whole month of the period is read from
    its rows (its rolled-up days; its other days from the answers), every other day from the answers.
    A counter's or an officer's answers always come from the answers."""
    if filters.counter_id or filters.officer_id:
        return everything_from_tickets(first, last)
    return read_plan(first, last, rolled_days(session, first, last, time_zone, t.report_survey_days))


def _spans(ranges: tuple[DayRange, ...], time_zone: str):
    return tuple(Period(PeriodKind.CUSTOM, first, last).bounds(time_zone) for first, last in ranges)


def _days_in(column, ranges: tuple[DayRange, ...]):
    return or_(*(and_(column >= first, column <= last) for first, last in ranges))


def tally_rows(session: Session, filters: Filters, reading: Reading) -> list[tuple]:
    """The rolled-up days' tally, in the shape of tickets._tally's rows."""
    if not reading.counts_rolled:
        return []
    tally = t.report_day_tally.c
    where = [_days_in(tally.day, reading.counts_rolled), *scope.of_agency(tally.origin_service_id, filters.agency_id)]
    if filters.service_id:
        where.append(or_(tally.origin_service_id == filters.service_id, tally.service_id == filters.service_id))
    keys = (tally.origin_service_id, tally.service_id, tally.officer_id, tally.counter_id)
    sums = (
        tally.issued,
        tally.priority,
        tally.served,
        tally.no_show,
        tally.cancelled,
        tally.within_standard,
        tally.service_seconds,
    )
    return session.execute(select(*keys, *(func.sum(column) for column in sums)).where(*where).group_by(*keys)).all()


def counts(session: Session, kind: str, filters: Filters, reading: Reading, *, per_service: bool = False) -> dict:
    """A kind of the rolled-up days' counts, per key (or per service), over the filter's services."""
    if not reading.counts_rolled:
        return {}
    rows = t.report_day_counts.c
    where = [
        rows.kind == kind,
        _days_in(rows.day, reading.counts_rolled),
        *scope.of_agency(rows.service_id, filters.agency_id),
    ]
    if filters.service_id:
        where.append(rows.service_id == filters.service_id)
    key = rows.service_id if per_service else rows.key
    return dict(session.execute(select(key, func.sum(rows.n)).where(*where).group_by(key)).all())


def day_counts(session: Session, filters: Filters, reading: Reading) -> dict[date, tuple[int, int, int]]:
    """(issued, served, served within standard) per rolled-up day, as review._day_counts counts
    them: issued for the service taken for, served for the service that finished the ticket."""
    if not reading.counts_rolled:
        return {}
    tally = t.report_day_tally.c
    wanted = filters.service_id
    where = [_days_in(tally.day, reading.counts_rolled), *scope.of_agency(tally.origin_service_id, filters.agency_id)]
    taken_for = tally.origin_service_id == wanted if wanted else true()
    finished_by = tally.service_id == wanted if wanted else true()
    if wanted:
        where.append(or_(taken_for, finished_by))
    rows = session.execute(
        select(
            tally.day,
            func.coalesce(func.sum(tally.issued).filter(taken_for), 0),
            func.coalesce(func.sum(tally.served).filter(finished_by), 0),
            func.coalesce(func.sum(tally.within_standard).filter(finished_by), 0),
        )
        .where(*where)
        .group_by(tally.day)
    )
    return {day: (int(issued), int(served), int(within)) for day, issued, served, within in rows}


def month_histogram(measure: str, filters: Filters, reading: Reading, *, per_month: bool = False):
    """(grp, sec, k, seconds) of the whole months' histograms, as sql.histogram selects them:
    grouped per service, or per month (grp yyyymm, as review.py keys its monthly trend)."""
    months = t.report_month_seconds.c
    where = _month_where(measure, filters, reading, per_service=not per_month)
    group = (
        case({month: month.year * 100 + month.month for month in reading.months}, value=months.month)
        if per_month
        else months.service_id
    )
    return (
        select(
            group.label("grp"),
            months.sec.label("sec"),
            func.sum(months.k).label("k"),
            func.sum(months.seconds).label("seconds"),
        )
        .where(*where)
        .group_by(group, months.sec)
    )


def month_group_histogram(filters: Filters, reading: Reading):
    """(grp, sec, k, seconds) of the whole months' waits per priority group (review.group_waits)."""
    months = t.report_month_seconds.c
    where = _month_where(WAIT, filters, reading, per_service=False)
    return (
        select(
            months.priority_group.label("grp"),
            months.sec.label("sec"),
            func.sum(months.k).label("k"),
            func.sum(months.seconds).label("seconds"),
        )
        .where(*where)
        .group_by(months.priority_group, months.sec)
    )


def _month_where(measure: str, filters: Filters, reading: Reading, *, per_service: bool) -> list:
    """The months' rows a filter reads: the site's rows when it reads every service as one (the
    monthly trend, the waits per group, site-wide), else the services' own."""
    months = t.report_month_seconds.c
    where = [
        months.measure == measure,
        months.month.in_(reading.months),
        *scope.of_agency(months.service_id, filters.agency_id),
    ]
    if filters.service_id:
        where.append(months.service_id == filters.service_id)
    elif filters.agency_id is None:
        where.append(months.service_id != SITE if per_service else months.service_id == SITE)
    return where
