"""The survey figures of a period: respondents and sums per service, per profile group and per
source, and the comments. Answers belong to the period in which they were submitted.

The days whose answers are rolled up (rolling.py, once the day has ended) are read from their
month's rows in report_month_survey when the whole month lies in the period (domain/rollup.py
plans it, as for the waiting times); every other day from the answers, with the same statement
the rollup counted them with (answers_select), so the two readings cannot disagree."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, Select

from ...domain.survey import CODES, PROFILE_FIELDS
from .. import scope
from .. import tables as t
from .model import PAGE_COMMENTS, Comment, Filters, SurveyTally
from .sql import Reading, Spans

#: The dimensions of report_month_survey besides the profile questions.
ALL, SOURCE = "all", "source"
#: The grp of a question not answered, and of the 'all' rows.
NONE = ""


def survey_where(filters: Filters, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    return survey_within(filters, ((start, end),))


def survey_within(filters: Filters, spans: Spans) -> list[ColumnElement[bool]]:
    """The answers submitted in any of the UTC spans, under the filter."""
    s = t.survey_responses.c
    inside = [and_(s.submitted_at >= start, s.submitted_at < end) for start, end in spans]
    where = [or_(*inside) if len(inside) != 1 else inside[0], *scope.of_agency(s.service_id, filters.agency_id)]
    if filters.service_id:
        where.append(s.service_id == filters.service_id)
    if filters.counter_id:
        where.append(s.counter_id == filters.counter_id)
    if filters.officer_id:
        where.append(s.officer_id == filters.officer_id)
    return where


def has_comment() -> ColumnElement[bool]:
    s = t.survey_responses.c
    return and_(s.comment.is_not(None), s.comment != "")


def answers_select(where: list[ColumnElement[bool]], *keys) -> Select:
    """(*keys, respondents, comments, u1..u9 sums) of the answers, grouped by the keys."""
    s = t.survey_responses.c
    return (
        select(
            *keys,
            func.count(),
            func.count().filter(has_comment()),
            *(func.sum(s[code]) for code in CODES),
        )
        .where(*where)
        .group_by(*keys)
    )


def _sources(reading: Reading | None, start: datetime, end: datetime) -> tuple[Spans, tuple]:
    """The spans read from the answers and the months read from the rollups."""
    if reading is None or reading.survey_spans is None:
        return ((start, end),), ()
    return reading.survey_spans, reading.survey_months


def _month_select(filters: Filters, months: tuple, dimensions, *keys) -> Select:
    """The same columns as answers_select, summed over the months' rolled-up rows."""
    m = t.report_month_survey.c
    where = [m.month.in_(months), m.dimension.in_(dimensions), *scope.of_agency(m.service_id, filters.agency_id)]
    if filters.service_id:
        where.append(m.service_id == filters.service_id)
    sums = (func.sum(m.respondents), func.sum(m.comments), *(func.sum(m[code]) for code in CODES))
    return select(*(m[key] for key in keys), *sums).where(*where).group_by(*(m[key] for key in keys))


def _rows(session: Session, filters: Filters, spans: Spans, months: tuple, dimension: str, answer_keys, month_keys):
    """The answers' rows over the spans, then the months' rows: (*keys, respondents, comments, *sums)."""
    rows = list(session.execute(answers_select(survey_within(filters, spans), *answer_keys))) if spans else []
    if months:
        rows += session.execute(_month_select(filters, months, [dimension], *month_keys)).all()
    return rows


def _tally(count, sums) -> SurveyTally:
    tally = SurveyTally()
    tally.add(int(count), {code: int(value or 0) for code, value in zip(CODES, sums, strict=True)})
    return tally


def survey_tallies(
    session: Session, filters: Filters, start: datetime, end: datetime, reading: Reading | None = None
) -> tuple[dict[int, SurveyTally], SurveyTally]:
    """Respondents and the sum of each element's answers, per service and in total."""
    spans, months = _sources(reading, start, end)
    s = t.survey_responses.c
    per_service: dict[int, SurveyTally] = {}
    total = SurveyTally()
    for service_id, count, _comments, *sums in _rows(
        session, filters, spans, months, ALL, [s.service_id], ["service_id"]
    ):
        tally = _tally(count, sums)
        per_service.setdefault(service_id, SurveyTally()).add(tally.respondents, tally.sums)
        total.add(tally.respondents, tally.sums)
    return per_service, total


def profile_tallies(
    session: Session, filters: Filters, start: datetime, end: datetime, reading: Reading | None = None
) -> dict[str, dict[str | None, SurveyTally]]:
    """Respondents and sums of answers per group of each profile question (None: not answered)."""
    spans, months = _sources(reading, start, end)
    s = t.survey_responses.c
    profiles: dict[str, dict[str | None, SurveyTally]] = {name: {} for name in PROFILE_FIELDS}

    def add(name: str, group, count, sums) -> None:
        tally = _tally(count, sums)
        profiles[name].setdefault(group or None, SurveyTally()).add(tally.respondents, tally.sums)

    if spans:
        for name in PROFILE_FIELDS:
            for group, count, _comments, *sums in session.execute(
                answers_select(survey_within(filters, spans), s[name])
            ):
                add(name, group, count, sums)
    if months:
        rolled = _month_select(filters, months, PROFILE_FIELDS, "dimension", "grp")
        for name, group, count, _comments, *sums in session.execute(rolled):
            add(name, group, count, sums)
    return profiles


def source_counts(
    session: Session, filters: Filters, start: datetime, end: datetime, reading: Reading | None = None
) -> dict[int | None, dict[str, int]]:
    """Respondents per service and source: answered on the phone (online) or on a paper form staff
    typed in (paper); the None key holds the totals."""
    spans, months = _sources(reading, start, end)
    s = t.survey_responses.c
    counts: dict[int | None, dict[str, int]] = {None: {"online": 0, "paper": 0}}
    for service_id, source, count, *_ in _rows(
        session, filters, spans, months, SOURCE, [s.service_id, s.source], ["service_id", "grp"]
    ):
        per_service = counts.setdefault(service_id, {"online": 0, "paper": 0})
        per_service[source] = per_service.get(source, 0) + int(count)
        counts[None][source] = counts[None].get(source, 0) + int(count)
    return counts


def comments(
    session: Session,
    filters: Filters,
    start: datetime,
    end: datetime,
    limit: int | None = PAGE_COMMENTS,
    reading: Reading | None = None,
) -> tuple[list[Comment], int]:
    """Comments newest first (the first `limit`, from the answers), and how many there are in all
    (the rolled-up months' counted)."""
    s = t.survey_responses.c
    where = [*survey_where(filters, start, end), has_comment()]
    stmt = (
        select(s.submitted_at, s.service_id, s.counter_id, s.officer_id, s.comment)
        .where(*where)
        .order_by(s.submitted_at.desc(), s.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    found = [Comment(*row) for row in session.execute(stmt)]
    spans, months = _sources(reading, start, end)
    count = 0
    if spans:
        count += (
            session.scalar(
                select(func.count())
                .select_from(t.survey_responses)
                .where(*survey_within(filters, spans), has_comment())
            )
            or 0
        )
    if months:
        count += sum(row[1] or 0 for row in session.execute(_month_select(filters, months, [ALL])))
    return found, count
