"""The survey figures of a period: respondents and sums per service, per profile group and per
source, and the comments. Answers belong to the period in which they were submitted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from ...domain.survey import CODES, PROFILE_FIELDS
from .. import scope
from .. import tables as t
from .model import PAGE_COMMENTS, Comment, Filters, SurveyTally


def survey_where(filters: Filters, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    s = t.survey_responses.c
    where = [s.submitted_at >= start, s.submitted_at < end, *scope.of_agency(s.service_id, filters.agency_id)]
    if filters.service_id:
        where.append(s.service_id == filters.service_id)
    if filters.counter_id:
        where.append(s.counter_id == filters.counter_id)
    if filters.officer_id:
        where.append(s.officer_id == filters.officer_id)
    return where


def survey_tallies(
    session: Session, filters: Filters, start: datetime, end: datetime
) -> tuple[dict[int, SurveyTally], SurveyTally]:
    """Respondents and the sum of each element's answers, per service and in total."""
    s = t.survey_responses.c
    rows = session.execute(
        select(s.service_id, func.count(), *(func.sum(s[code]) for code in CODES))
        .where(*survey_where(filters, start, end))
        .group_by(s.service_id)
    )
    per_service: dict[int, SurveyTally] = {}
    total = SurveyTally()
    for service_id, count, *sums in rows:
        tally = SurveyTally()
        tally.add(count, {code: int(value) for code, value in zip(CODES, sums, strict=True)})
        per_service[service_id] = tally
        total.add(tally.respondents, tally.sums)
    return per_service, total


def profile_tallies(
    session: Session, filters: Filters, start: datetime, end: datetime
) -> dict[str, dict[str | None, SurveyTally]]:
    """Respondents and sums of answers per group of each profile question (None: not answered)."""
    s = t.survey_responses.c
    profiles: dict[str, dict[str | None, SurveyTally]] = {}
    for name in PROFILE_FIELDS:
        rows = session.execute(
            select(s[name], func.count(), *(func.sum(s[code]) for code in CODES))
            .where(*survey_where(filters, start, end))
            .group_by(s[name])
        )
        groups: dict[str | None, SurveyTally] = {}
        for group, count, *sums in rows:
            tally = SurveyTally()
            tally.add(count, {code: int(value) for code, value in zip(CODES, sums, strict=True)})
            groups[group] = tally
        profiles[name] = groups
    return profiles


def source_counts(
    session: Session, filters: Filters, start: datetime, end: datetime
) -> dict[int | None, dict[str, int]]:
    """Respondents per service and source: answered on the phone (online) or on a paper form staff
    typed in (paper); the None key holds the totals."""
    s = t.survey_responses.c
    rows = session.execute(
        select(s.service_id, s.source, func.count())
        .where(*survey_where(filters, start, end))
        .group_by(s.service_id, s.source)
    )
    counts: dict[int | None, dict[str, int]] = {None: {"online": 0, "paper": 0}}
    for service_id, source, count in rows:
        counts.setdefault(service_id, {"online": 0, "paper": 0})[source] = count
        counts[None][source] += count
    return counts


def comments(
    session: Session, filters: Filters, start: datetime, end: datetime, limit: int | None = PAGE_COMMENTS
) -> tuple[list[Comment], int]:
    """Comments newest first, and how many there are in all."""
    s = t.survey_responses.c
    where = [*survey_where(filters, start, end), s.comment.is_not(None), s.comment != ""]
    stmt = (
        select(s.submitted_at, s.service_id, s.counter_id, s.officer_id, s.comment)
        .where(*where)
        .order_by(s.submitted_at.desc(), s.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    found = [Comment(*row) for row in session.execute(stmt)]
    count = session.scalar(select(func.count()).select_from(t.survey_responses).where(*where))
    return found, count or 0
