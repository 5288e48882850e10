"""The SQL pieces every report query shares: rounding to whole seconds, the UTC hour, the period's
tickets, the SOP rule, and the median and 90th percentile computed by the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Float,
    Integer,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from ...domain.model import TicketStatus
from ...domain.reporting import EMPTY, Distribution, wanted_ranks
from ...domain.review import REGULAR, UNSAID
from .. import scope
from .. import tables as t
from .model import Filters


class whole_seconds(FunctionElement):  # noqa: N801 - reads as a SQL function
    """A duration rounded to whole seconds, halves up, the same on either backend.

    PostgreSQL's round() of a double rounds halves to even and SQLite's rounds them away from zero;
    the durations are never negative, so floor(x + 0.5) and a truncating cast agree everywhere. The
    0.5 is written into the SQL, not bound, so PostgreSQL can match the expression statistics of
    migration 0004 (which tell the planner a year has thousands of distinct seconds, not a million)."""

    type = Integer()
    name = "whole_seconds"
    inherit_cache = True


@compiles(whole_seconds, "sqlite")
def _whole_sqlite(element, compiler, **kw) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} + 0.5 AS INTEGER)"


@compiles(whole_seconds, "postgresql")
def _whole_postgresql(element, compiler, **kw) -> str:
    return f"CAST(floor({compiler.process(element.clauses, **kw)} + 0.5) AS INTEGER)"


class utc_hour(FunctionElement):  # noqa: N801
    """The UTC hour a moment falls in; the local weekday and hour are read in Python."""

    name = "utc_hour"
    inherit_cache = True


@compiles(utc_hour, "sqlite")
def _hour_sqlite(element, compiler, **kw) -> str:
    return f"strftime('%Y-%m-%d %H:00:00', {compiler.process(element.clauses, **kw)})"


@compiles(utc_hour, "postgresql")
def _hour_postgresql(element, compiler, **kw) -> str:
    return f"date_trunc('hour', ({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC')"


def priority_group_key() -> ColumnElement[str]:
    """A ticket's priority group for the review's waits per group (UU 25/2009): REGULAR for a ticket
    without priority, UNSAID for a priority ticket without a group, else the group's key.

    The keys are written into the SQL, not bound: the CASE appears in the SELECT and the GROUP BY,
    and PostgreSQL only matches the two when they are the same text."""
    tickets = t.tickets.c
    return case(
        (tickets.priority.is_(True), func.coalesce(tickets.priority_group, literal_column(f"'{UNSAID}'"))),
        else_=literal_column(f"'{REGULAR}'"),
    )


def issued_in(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(t.tickets.c.issued_at >= start, t.tickets.c.issued_at < end)


Spans = tuple[tuple[datetime, datetime], ...]


def issued_within(spans: Spans) -> ColumnElement[bool]:
    """Tickets issued in any of the [start, end) spans (one span: issued_in, the usual case)."""
    if not spans:
        return false()
    return or_(*(issued_in(start, end) for start, end in spans)) if len(spans) > 1 else issued_in(*spans[0])


@dataclass(frozen=True)
class Reading:
    """Where one period's figures come from (domain/rollup.py): the UTC spans whose counts, and
    those whose waiting and service times, are read from the tickets; the local day ranges whose
    counts, and the months whose histograms, are read from the rollups; the same for the survey's
    answers (read by the moment they were submitted, not by their ticket's day)."""

    count_spans: Spans
    seconds_spans: Spans
    counts_rolled: tuple[tuple[date, date], ...] = ()
    months: tuple[date, ...] = ()
    survey_spans: Spans | None = None  # the UTC spans whose survey answers are read (None: the period)
    survey_months: tuple[date, ...] = ()  # the months whose rolled-up survey answers are read

    @classmethod
    def tickets_only(cls, start: datetime, end: datetime) -> Reading:
        return cls(((start, end),), ((start, end),))


def ticket_filters(filters: Filters, service_column) -> list[ColumnElement[bool]]:
    where = scope.of_agency(t.tickets.c.origin_service_id, filters.agency_id)
    if filters.service_id:
        where.append(service_column == filters.service_id)
    if filters.counter_id:
        where.append(t.tickets.c.counter_id == filters.counter_id)
    if filters.officer_id:
        where.append(t.tickets.c.officer_id == filters.officer_id)
    return where


def finished() -> ColumnElement[bool]:
    return and_(t.tickets.c.status == TicketStatus.DONE, t.tickets.c.service_seconds.is_not(None))


def within_standard() -> ColumnElement[bool]:
    """The rule of domain.reporting.within_standard, in SQL, over tickets joined to their service.

    persistence/figures.py counts an officer's day with it too."""
    return t.tickets.c.service_seconds <= t.services.c.standard_minutes * 60


#: The group key of the overall row in distributions (service ids are positive).
ALL = -1


def distributions(session: Session, per_second, everyone=ALL) -> tuple[dict, Distribution]:
    """Count, mean, median and p90 per group, and over all groups, of a (grp, sec, k, seconds)
    select: k tickets of the group took sec whole seconds, exactly `seconds` seconds between them.

    The database has counted how many tickets took each number of seconds (a hash aggregate over
    the period's tickets, no sort of a million rows); here it ranks those few thousand distinct
    values with running sums (window functions, which SQLite and PostgreSQL both have) and
    returns only the values at the ranks the median and the 90th percentile need: a handful of
    rows per group. The mean is of the exact durations; the percentiles of the whole seconds.
    `everyone` keys the overall row: a value of the groups' own type that no group takes."""
    per_second = per_second.cte("per_second")
    overall = select(
        literal(everyone).label("grp"),
        per_second.c.sec,
        func.sum(per_second.c.k).label("k"),
        func.sum(per_second.c.seconds).label("seconds"),
    ).group_by(per_second.c.sec)
    levels = union_all(
        select(per_second.c.grp, per_second.c.sec, per_second.c.k, per_second.c.seconds), overall
    ).subquery("levels")
    grp, sec, k = levels.c.grp, levels.c.sec, levels.c.k
    ranked = select(
        grp,
        sec,
        cast(k, BigInteger).label("k"),
        cast(func.sum(k).over(partition_by=grp, order_by=sec, rows=(None, 0)), BigInteger).label("cum"),
        cast(func.sum(k).over(partition_by=grp), BigInteger).label("n"),
        cast(func.sum(levels.c.seconds).over(partition_by=grp), Float).label("total"),
    ).subquery("ranked")
    c = ranked.c
    median_lower = (c.n - 1) // 2 + 1
    p90_lower = (c.n - 1) * 9 // 10 + 1
    covers = [
        and_(c.cum - c.k < rank, rank <= c.cum) for rank in (median_lower, median_lower + 1, p90_lower, p90_lower + 1)
    ]
    rows = session.execute(select(c.grp, c.sec, c.k, c.cum, c.n, c.total).where(or_(*covers)))

    found: dict[int, tuple[int, float, list[tuple[int, int, int]]]] = {}
    for group, value, count, cumulative, n, total in rows:
        found.setdefault(group, (n, total, []))[2].append((cumulative - count, cumulative, value))

    def distribution(n: int, total: float, spans: list[tuple[int, int, int]]) -> Distribution:
        values_at = {rank: value for rank in wanted_ranks(n) for before, upto, value in spans if before < rank <= upto}
        return Distribution.from_ranks(n, total / n, values_at)

    per_group = {group: distribution(*entry) for group, entry in found.items() if group != everyone}
    return per_group, distribution(*found[everyone]) if everyone in found else EMPTY


def histogram(group, seconds, where: list[ColumnElement[bool]]):
    """(group, whole seconds, tickets, their exact seconds) over the tickets matching `where`."""
    sec = whole_seconds(seconds)
    return (
        select(group.label("grp"), sec.label("sec"), func.count().label("k"), func.sum(seconds).label("seconds"))
        .where(*where)
        .group_by(group, sec)
    )
