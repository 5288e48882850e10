"""The management review (ISO 9001 §9.3 inputs): the period against the one before it, day by day,
waits per priority group, and, for the review pack, open follow-ups, complaints and the audit
trail with its chain verified.

Read only: nothing here writes, so nothing is audited or published. The tables the page, the
exports and the PDF show are built from these figures by services/review_tables.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..domain.reporting import Distribution, Period, ikm_figures
from ..domain.review import Change, DayFigures, Summary, compare, monthly_trend, preceding
from ..persistence import reports
from ..persistence.reports import rollups
from . import audit_chain


@dataclass(frozen=True)
class ReviewFigures:
    period: Period
    previous_period: Period
    current: Summary
    previous: Summary
    changes: list[Change]
    days: list[DayFigures]
    group_waits: dict[str, Distribution]  # per group key, REGULAR and UNSAID included
    all_waits: Distribution


def summary_of(figures: reports.Figures) -> Summary:
    """The headline figures of a report already computed (its total row and its survey)."""
    total = figures.total
    return Summary(
        total.issued,
        total.served,
        total.within_standard,
        total.waiting,
        total.service,
        ikm_figures(figures.survey_total.index(), total.served),
    )


def review_figures(
    session: Session,
    period: Period,
    time_zone: str,
    filters: reports.Filters,
    current: Summary | None = None,
    *,
    use_rollups: bool = True,
) -> ReviewFigures:
    """The comparison, the trend and the per-group waits of one period and filter; `current`, when
    the report's figures are at hand already, spares counting the period twice. `use_rollups=False`
    reads every day from the tickets (the benchmark's comparison)."""
    start, end = period.bounds(time_zone)
    reports.prepare_aggregates(session)
    before = preceding(period)
    previous_start, previous_end = before.bounds(time_zone)
    # Closed days from their rollups (domain/rollup.py), as the report's own figures.
    reading = rollups.reading_for(session, filters, period.first, period.last, time_zone) if use_rollups else None
    current = current or reports.summary(session, filters, start, end, reading)
    before_reading = (
        rollups.reading_for(session, filters, before.first, before.last, time_zone) if use_rollups else None
    )
    previous = reports.summary(session, filters, previous_start, previous_end, before_reading)
    groups, everyone = reports.group_waits(session, filters, start, end, reading)
    return ReviewFigures(
        period,
        before,
        current,
        previous,
        compare(current, previous),
        reports.trend(session, filters, start, end, time_zone, monthly=monthly_trend(period), reading=reading),
        groups,
        everyone,
    )


@dataclass(frozen=True)
class ReviewPack:
    """Everything the review pack prints beside the figures."""

    review: ReviewFigures
    follow_ups: list[dict]
    complaints: dict[str, int]
    audit_activity: list[tuple[str, str, int]]
    verdict: audit_chain.Verdict


def review_pack(session: Session, period: Period, time_zone: str) -> ReviewPack:
    """The whole office's pack for one period (a review looks at the office, not one desk)."""
    start, end = period.bounds(time_zone)
    return ReviewPack(
        review_figures(session, period, time_zone, reports.Filters()),
        reports.open_follow_ups(session),
        reports.complaint_counts(session, start, end),
        reports.audit_activity(session, start, end),
        audit_chain.verify(session),
    )
