"""What a management review adds to the report: the period against the one before it, the per-day
trend, the wait per priority group, open follow-ups, complaints and the audit trail's activity.

The same attribution as the report (see the package docstring): a ticket belongs to the day it was
issued (its service_day, the office's calendar day of its number), its wait to the service it was
taken for, its service time and the SOP check to the service that finished it; survey answers to
the local day they were submitted. The per-day medians come from the same ranked histograms as the
period's (sql.distributions), one group per day: a year's trend is two scans, not 365.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, func, or_, select, true, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

from ...domain.reporting import EMPTY, Distribution, ikm_figures
from ...domain.review import DayFigures, Summary
from ...domain.survey import CODES
from .. import scope
from .. import tables as t
from . import rollups
from .model import Filters, SurveyTally
from .sql import (
    Reading,
    Spans,
    distributions,
    finished,
    histogram,
    issued_within,
    priority_group_key,
    ticket_filters,
    utc_hour,
    within_standard,
)
from .survey import survey_tallies, survey_where
from .tickets import ticket_figures


class day_key(FunctionElement):  # noqa: N801 - reads as a SQL function
    """A date as the integer yyyymmdd, so per-day groups rank like service ids (sql.distributions)."""

    type = Integer()
    name = "day_key"
    inherit_cache = True


@compiles(day_key, "sqlite")
def _day_key_sqlite(element, compiler, **kw) -> str:
    return f"CAST(strftime('%Y%m%d', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(day_key, "postgresql")
def _day_key_postgresql(element, compiler, **kw) -> str:
    return f"CAST(to_char({compiler.process(element.clauses, **kw)}, 'YYYYMMDD') AS INTEGER)"


def _as_date(key: int) -> date:
    """yyyymmdd, or yyyymm for a month (its first day)."""
    return date(key // 10000, key // 100 % 100, key % 100) if key > 999999 else date(key // 100, key % 100, 1)


def _month_of(day: date) -> date:
    return day.replace(day=1)


def summary(
    session: Session, filters: Filters, start: datetime, end: datetime, reading: Reading | None = None
) -> Summary:
    """The period's headline figures, counted exactly as the report's total row (closed days from
    their rollups when `reading` says so)."""
    _per_service, total, _officers, _counters = ticket_figures(session, filters, start, end, reading)
    _per_service_survey, survey = survey_tallies(session, filters, start, end, reading)
    return Summary(
        total.issued,
        total.served,
        total.within_standard,
        total.waiting,
        total.service,
        ikm_figures(survey.index(), total.served),
    )


def _day_counts(session: Session, filters: Filters, reading: Reading) -> dict[date, tuple[int, int, int]]:
    """(issued, served, served within standard) per day the tickets were issued."""
    found = rollups.day_counts(session, filters, reading)
    if reading.count_spans:
        found.update(_ticket_day_counts(session, filters, reading.count_spans))
    return found


def _ticket_day_counts(session: Session, filters: Filters, spans: Spans) -> dict[date, tuple[int, int, int]]:
    tickets = t.tickets.c
    wanted = filters.service_id
    taken_for = tickets.origin_service_id == wanted if wanted else true()
    finished_by = tickets.service_id == wanted if wanted else true()
    # The counter and officer filters as the report applies them; the service one per figure.
    where = [
        issued_within(spans),
        *ticket_filters(Filters(None, filters.counter_id, filters.officer_id, filters.agency_id), None),
    ]
    if wanted:
        where.append(or_(taken_for, finished_by))
    rows = session.execute(
        select(
            tickets.service_day,
            func.count().filter(taken_for),
            func.count().filter(and_(finished(), finished_by)),
            func.count().filter(and_(finished(), finished_by, within_standard())),
        )
        .join(t.services, t.services.c.id == tickets.service_id)
        .where(*where)
        .group_by(tickets.service_day)
    )
    return {day: (issued, served, within) for day, issued, served, within in rows}


def _day_times(session: Session, filters: Filters, reading: Reading, monthly: bool):
    """Waiting and service time distributions per day (or month) of issue; per month, the whole
    months' from their rollups (a day's come from its tickets: the rollups keep months)."""
    tickets = t.tickets.c
    day = day_key(tickets.service_day) // 100 if monthly else day_key(tickets.service_day)
    spans = reading.seconds_spans
    waits = _times(
        session,
        histogram(
            day,
            tickets.wait_seconds,
            [
                issued_within(spans),
                tickets.wait_seconds.is_not(None),
                *ticket_filters(filters, tickets.origin_service_id),
            ],
        ),
        rollups.month_histogram(rollups.WAIT, filters, reading, per_month=True) if reading.months else None,
    )
    service = _times(
        session,
        histogram(
            day,
            tickets.service_seconds,
            [issued_within(spans), finished(), *ticket_filters(filters, tickets.service_id)],
        ),
        rollups.month_histogram(rollups.SERVICE, filters, reading, per_month=True) if reading.months else None,
    )
    return waits, service


def _times(session: Session, from_tickets, from_months) -> dict[date, Distribution]:
    per_second = from_tickets if from_months is None else union_all(from_tickets, from_months)
    found, _all = distributions(session, per_second)
    return {_as_date(k): v for k, v in found.items()}


def _day_surveys(session: Session, filters: Filters, start: datetime, end: datetime, time_zone: str):
    """Respondents and answer sums per local day of submission.

    Counted per UTC hour and folded into local days here: SQLite knows no time zones, and every
    Indonesian zone is a whole number of hours from UTC."""
    s = t.survey_responses.c
    hour = utc_hour(s.submitted_at)
    rows = session.execute(
        select(hour, func.count(), *(func.sum(s[code]) for code in CODES))
        .where(*survey_where(filters, start, end))
        .group_by(hour)
    )
    zone = ZoneInfo(time_zone)
    days: dict[date, SurveyTally] = {}
    for moment, count, *sums in rows:
        moment = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
        local_day = moment.astimezone(zone).date()
        days.setdefault(local_day, SurveyTally()).add(count, {c: int(v) for c, v in zip(CODES, sums, strict=True)})
    return days


def trend(
    session: Session,
    filters: Filters,
    start: datetime,
    end: datetime,
    time_zone: str,
    monthly: bool = False,
    reading: Reading | None = None,
) -> list[DayFigures]:
    """Every day (or month) of the period that had a ticket or a survey answer, oldest first; a
    monthly trend reads closed days from their rollups as `reading` says, a daily one the tickets'
    times (the rollups keep whole months' histograms)."""
    reading = reading or Reading.tickets_only(start, end)
    counts = _day_counts(session, filters, reading)
    times = reading if monthly else replace(reading, seconds_spans=((start, end),), months=())
    waits, services = _day_times(session, filters, times, monthly)
    surveys = _day_surveys(session, filters, start, end, time_zone)
    if monthly:
        counts, surveys = _by_month(counts), _by_month(surveys)
    days = sorted(set(counts) | set(waits) | set(services) | set(surveys))
    found = []
    for day in days:
        issued, served, within = counts.get(day, (0, 0, 0))
        tally = surveys.get(day, SurveyTally())
        found.append(
            DayFigures(
                day,
                Summary(
                    issued,
                    served,
                    within,
                    waits.get(day, EMPTY),
                    services.get(day, EMPTY),
                    ikm_figures(tally.index(), served),
                ),
                monthly,
            )
        )
    return found


def _by_month(per_day: dict) -> dict:
    """Day figures added up per month: (issued, served, within) tuples or SurveyTally."""
    months: dict = {}
    for day, value in per_day.items():
        month = _month_of(day)
        if isinstance(value, SurveyTally):
            months.setdefault(month, SurveyTally()).add(value.respondents, value.sums)
        else:
            before = months.get(month, (0, 0, 0))
            months[month] = tuple(a + b for a, b in zip(before, value, strict=True))
    return months


def group_waits(
    session: Session, filters: Filters, start: datetime, end: datetime, reading: Reading | None = None
) -> tuple[dict[str, Distribution], Distribution]:
    """The wait (issue to the first call) per priority group, regular tickets under REGULAR and
    priority tickets without a group under UNSAID, and over all tickets: the UU 25/2009 check that
    the groups the law protects are in fact served sooner. Whole months from their rollups where
    `reading` says so."""
    reading = reading or Reading.tickets_only(start, end)
    tickets = t.tickets.c
    where = [
        issued_within(reading.seconds_spans),
        tickets.wait_seconds.is_not(None),
        *ticket_filters(filters, tickets.origin_service_id),
    ]
    per_second = histogram(priority_group_key(), tickets.wait_seconds, where)
    if reading.months:
        per_second = union_all(per_second, rollups.month_group_histogram(filters, reading))
    return distributions(session, per_second, everyone="*")


# --- the rest of the review pack ---


def open_follow_ups(session: Session, agency_id: int | None = None) -> list[dict]:
    """Follow-up actions not done yet, of any period, the earliest due first (an agency's: those of
    its services; the site's own, without a service, are the site's)."""
    a = t.follow_up_actions.c
    where = [a.status != "done", *scope.of_agency(a.service_id, agency_id)]
    rows = session.execute(select(t.follow_up_actions).where(*where).order_by(a.due_date, a.id))
    return [dict(row._mapping) for row in rows]


def complaint_counts(session: Session, start: datetime, end: datetime, agency_id: int | None = None) -> dict[str, int]:
    """Complaints received in the period, how many of them are answered, and all still open now
    (an agency's: about its services)."""
    s = t.survey_responses.c
    theirs = scope.of_agency(s.service_id, agency_id)
    received, answered = session.execute(
        select(func.count(), func.count().filter(s.complaint_status == "answered")).where(
            s.is_complaint.is_(True), s.submitted_at >= start, s.submitted_at < end, *theirs
        )
    ).one()
    still_open = session.scalar(
        select(func.count())
        .where(s.is_complaint.is_(True), s.complaint_status == "open", *theirs)
        .select_from(t.survey_responses)
    )
    return {"received": received, "answered": answered, "open": received - answered, "open_now": still_open or 0}


def audit_activity(session: Session, start: datetime, end: datetime) -> list[tuple[str, str, int]]:
    """Audit records of the period per (entity, action), most frequent first."""
    a = t.audit_log.c
    rows = session.execute(
        select(a.entity, a.action, func.count()).where(a.at >= start, a.at < end).group_by(a.entity, a.action)
    )
    return sorted(rows.all(), key=lambda row: (-row[2], row[0], row[1]))
