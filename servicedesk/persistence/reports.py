"""The management-review figures, aggregated by the database (issue 7).

A year of a busy office is a million tickets and several million event rows, so nothing here loads
tickets into Python: each figure is one GROUP BY on indexed columns, and a median or 90th
percentile asks the database only for the two or four ranked values it needs (row_number() and
count() as window functions, which SQLite and PostgreSQL both have; percentile_cont is
PostgreSQL-only).

Which tickets a period holds: those *issued* in it (the office's calendar, see domain/reporting.py).
A ticket taken at 23:50 and served after midnight belongs, with its wait and its service, to the
day its number belongs to. Survey answers belong to the period in which they were submitted.

Which service a figure belongs to, when a visit was transferred:
- issued, priority and waiting time (issued -> first call): the service the ticket was taken for;
- served, service time and the share within the SOP standard time: the service that finished it,
  measured against that service's standard;
- no-show and cancelled: the service the ticket was in at the end;
- transferred: the service it was transferred out of (each transfer counts).
With a counter or officer filter, a ticket counts where that counter or officer handled it last
(the ticket row's counter and officer); transfers where the transfer was made.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Float, and_, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from ..domain.model import EventKind, TicketStatus
from ..domain.reporting import EMPTY, Distribution, Period, wanted_ranks
from ..domain.survey import CODES, ikm
from . import tables as t

#: The group key of a whole-report total row.
TOTAL = 0
#: Comments shown on the page; the export has them all.
PAGE_COMMENTS = 200


class seconds_between(FunctionElement):  # noqa: N801 - reads as a SQL function
    """end - start in seconds, as a float, on either backend."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    # julianday() counts whole milliseconds internally; rounding to 3 places gives them back exactly.
    return f"ROUND((julianday({end}) - julianday({start})) * 86400.0, 3)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element, compiler, **kw) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION)"


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


@dataclass(frozen=True)
class Filters:
    service_id: int | None = None
    counter_id: int | None = None
    officer_id: int | None = None

    @property
    def any(self) -> bool:
        return any((self.service_id, self.counter_id, self.officer_id))


@dataclass
class ServiceFigures:
    """One row of the per-service table (or the total row)."""

    issued: int = 0
    priority: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    transferred: int = 0
    within_standard: int = 0
    waiting: Distribution = EMPTY
    service: Distribution = EMPTY


@dataclass
class StaffFigures:
    """One officer's or one counter's work: served, mean service time, share within standard."""

    key: int
    served: int = 0
    no_show: int = 0
    mean_service: float | None = None
    within_standard: int = 0


@dataclass
class SurveyTally:
    respondents: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CODES, 0))

    def add(self, respondents: int, sums: dict[str, int]) -> None:
        self.respondents += respondents
        for code in CODES:
            self.sums[code] += sums[code]

    def index(self):
        return ikm(self.sums, self.respondents)


@dataclass(frozen=True)
class Comment:
    submitted_at: datetime
    service_id: int
    counter_id: int | None
    officer_id: int | None
    text: str


@dataclass
class Figures:
    """Everything the report page and its exports show for one period and filter."""

    period: Period
    start: datetime
    end: datetime
    filters: Filters
    services: dict[int, ServiceFigures]
    total: ServiceFigures
    officers: list[StaffFigures]
    counters: list[StaffFigures]
    arrivals: dict[datetime, int]  # per UTC hour
    survey: dict[int, SurveyTally]
    survey_total: SurveyTally
    comments: list[Comment]
    comment_count: int


# --- the queries ---


def _issued_in(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(t.tickets.c.issued_at >= start, t.tickets.c.issued_at < end)


def _ticket_filters(filters: Filters, service_column) -> list[ColumnElement[bool]]:
    where = []
    if filters.service_id:
        where.append(service_column == filters.service_id)
    if filters.counter_id:
        where.append(t.tickets.c.counter_id == filters.counter_id)
    if filters.officer_id:
        where.append(t.tickets.c.officer_id == filters.officer_id)
    return where


def _service_seconds() -> ColumnElement[float]:
    return seconds_between(t.tickets.c.started_at, t.tickets.c.finished_at)


def _done() -> ColumnElement[bool]:
    return and_(t.tickets.c.status == TicketStatus.DONE, t.tickets.c.started_at.is_not(None))


def _within() -> ColumnElement[bool]:
    # The rule of domain.reporting.within_standard, in SQL.
    return _service_seconds() <= t.services.c.standard_minutes * 60


def _distributions(session: Session, values) -> dict[int, Distribution]:
    """Count, mean, median and p90 per group of a (grp, seconds) select, fetching only the ranks needed."""
    v = values.subquery("v")
    ranked = select(
        v.c.grp,
        v.c.seconds,
        func.row_number().over(partition_by=v.c.grp, order_by=v.c.seconds).label("rn"),
        func.count().over(partition_by=v.c.grp).label("n"),
        func.avg(v.c.seconds).over(partition_by=v.c.grp).label("mean"),
    ).subquery("ranked")
    n, rn = ranked.c.n, ranked.c.rn
    median_lower = (n - 1) // 2 + 1
    p90_lower = (n - 1) * 9 // 10 + 1
    rows = session.execute(
        select(ranked.c.grp, n, ranked.c.mean, rn, ranked.c.seconds).where(
            or_(rn == median_lower, rn == median_lower + 1, rn == p90_lower, rn == p90_lower + 1)
        )
    )
    found: dict[int, tuple[int, float, dict[int, float]]] = {}
    for grp, count, mean, rank, seconds in rows:
        entry = found.setdefault(grp, (count, float(mean), {}))
        entry[2][rank] = float(seconds)
    result = {}
    for grp, (count, mean, values_at) in found.items():
        missing = wanted_ranks(count) - values_at.keys()
        if missing:  # the rule in SQL and in domain.reporting must agree; they do, or this is a bug
            raise RuntimeError(f"ranks {sorted(missing)} not returned for group {grp}")
        result[grp] = Distribution.from_ranks(count, mean, values_at)
    return result


def _waits(filters: Filters, start: datetime, end: datetime, group):
    """(grp, seconds from issue to the first call) per ticket issued in the period and called."""
    first_call = func.min(t.ticket_events.c.at)
    return (
        select(group.label("grp"), seconds_between(t.tickets.c.issued_at, first_call).label("seconds"))
        .select_from(t.tickets)
        .join(t.ticket_events, t.ticket_events.c.ticket_id == t.tickets.c.id)
        .where(
            _issued_in(start, end),
            t.ticket_events.c.kind == EventKind.CALLED,
            t.ticket_events.c.at >= start,  # lets the (kind, at) index narrow the events
            *_ticket_filters(filters, t.tickets.c.origin_service_id),
        )
        .group_by(t.tickets.c.id, t.tickets.c.issued_at, group)
    )


def _service_times(filters: Filters, start: datetime, end: datetime, group):
    return select(group.label("grp"), _service_seconds().label("seconds")).where(
        _issued_in(start, end), _done(), *_ticket_filters(filters, t.tickets.c.service_id)
    )


def service_figures(
    session: Session, filters: Filters, start: datetime, end: datetime
) -> tuple[dict[int, ServiceFigures], ServiceFigures]:
    """The per-service table and its total row."""
    rows: dict[int, ServiceFigures] = defaultdict(ServiceFigures)
    total = ServiceFigures()

    issued = session.execute(
        select(
            t.tickets.c.origin_service_id,
            func.count(),
            func.count().filter(t.tickets.c.priority.is_(True)),
        )
        .where(_issued_in(start, end), *_ticket_filters(filters, t.tickets.c.origin_service_id))
        .group_by(t.tickets.c.origin_service_id)
    )
    for service_id, count, priority in issued:
        rows[service_id].issued, rows[service_id].priority = count, priority

    outcomes = session.execute(
        select(
            t.tickets.c.service_id,
            func.count().filter(_done()),
            func.count().filter(t.tickets.c.status == TicketStatus.NO_SHOW),
            func.count().filter(t.tickets.c.status == TicketStatus.CANCELLED),
            func.count().filter(and_(_done(), _within())),
        )
        .join(t.services, t.services.c.id == t.tickets.c.service_id)
        .where(_issued_in(start, end), *_ticket_filters(filters, t.tickets.c.service_id))
        .group_by(t.tickets.c.service_id)
    )
    for service_id, served, no_show, cancelled, within in outcomes:
        row = rows[service_id]
        row.served, row.no_show, row.cancelled, row.within_standard = served, no_show, cancelled, within

    events = t.ticket_events.c
    transfer_where = [
        events.kind == EventKind.TRANSFERRED,
        events.at >= start,
        _issued_in(start, end),
    ]
    if filters.service_id:
        transfer_where.append(events.service_id == filters.service_id)
    if filters.counter_id:
        transfer_where.append(events.counter_id == filters.counter_id)
    if filters.officer_id:
        transfer_where.append(events.officer_id == filters.officer_id)
    transfers = session.execute(
        select(events.service_id, func.count())
        .select_from(t.ticket_events)
        .join(t.tickets, t.tickets.c.id == events.ticket_id)
        .where(*transfer_where)
        .group_by(events.service_id)
    )
    for service_id, count in transfers:
        rows[service_id].transferred = count

    for service_id, distribution in _distributions(
        session, _waits(filters, start, end, t.tickets.c.origin_service_id)
    ).items():
        rows[service_id].waiting = distribution
    for service_id, distribution in _distributions(
        session, _service_times(filters, start, end, t.tickets.c.service_id)
    ).items():
        rows[service_id].service = distribution

    for row in rows.values():
        for name in ("issued", "priority", "served", "no_show", "cancelled", "transferred", "within_standard"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    total.waiting = _distributions(session, _waits(filters, start, end, literal(TOTAL))).get(TOTAL, EMPTY)
    total.service = _distributions(session, _service_times(filters, start, end, literal(TOTAL))).get(TOTAL, EMPTY)
    return dict(rows), total


def staff_figures(session: Session, filters: Filters, start: datetime, end: datetime, by) -> list[StaffFigures]:
    """Per officer (by=tickets.officer_id) or per counter (by=tickets.counter_id)."""
    rows = session.execute(
        select(
            by,
            func.count().filter(_done()),
            func.count().filter(t.tickets.c.status == TicketStatus.NO_SHOW),
            func.avg(_service_seconds()).filter(_done()),
            func.count().filter(and_(_done(), _within())),
        )
        .join(t.services, t.services.c.id == t.tickets.c.service_id)
        .where(
            _issued_in(start, end),
            by.is_not(None),
            t.tickets.c.status.in_([TicketStatus.DONE, TicketStatus.NO_SHOW]),
            *_ticket_filters(filters, t.tickets.c.service_id),
        )
        .group_by(by)
    )
    return [
        StaffFigures(key, served, no_show, float(mean) if mean is not None else None, within)
        for key, served, no_show, mean, within in rows
    ]


def arrivals(session: Session, filters: Filters, start: datetime, end: datetime) -> dict[datetime, int]:
    """Tickets issued per UTC hour."""
    hour = utc_hour(t.tickets.c.issued_at)
    rows = session.execute(
        select(hour, func.count())
        .where(_issued_in(start, end), *_ticket_filters(filters, t.tickets.c.origin_service_id))
        .group_by(hour)
    )
    return {(datetime.fromisoformat(h) if isinstance(h, str) else h): count for h, count in rows}


def _survey_where(filters: Filters, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    s = t.survey_responses.c
    where = [s.submitted_at >= start, s.submitted_at < end]
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
        .where(*_survey_where(filters, start, end))
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


def comments(
    session: Session, filters: Filters, start: datetime, end: datetime, limit: int | None = PAGE_COMMENTS
) -> tuple[list[Comment], int]:
    """Comments newest first, and how many there are in all."""
    s = t.survey_responses.c
    where = [*_survey_where(filters, start, end), s.comment.is_not(None), s.comment != ""]
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


def figures(
    session: Session,
    period: Period,
    time_zone: str,
    filters: Filters | None = None,
    comment_limit: int | None = PAGE_COMMENTS,
) -> Figures:
    """Every figure of the report for one period and filter."""
    filters = filters or Filters()
    start, end = period.bounds(time_zone)
    per_service, total = service_figures(session, filters, start, end)
    per_service_survey, survey_total = survey_tallies(session, filters, start, end)
    found_comments, comment_count = comments(session, filters, start, end, comment_limit)
    return Figures(
        period=period,
        start=start,
        end=end,
        filters=filters,
        services=per_service,
        total=total,
        officers=staff_figures(session, filters, start, end, t.tickets.c.officer_id),
        counters=staff_figures(session, filters, start, end, t.tickets.c.counter_id),
        arrivals=arrivals(session, filters, start, end),
        survey=per_service_survey,
        survey_total=survey_total,
        comments=found_comments,
        comment_count=comment_count,
    )


@dataclass(frozen=True)
class Names:
    """Labels for the ids in the figures: services (code, name, standard), officers, counters."""

    services: dict[int, dict]
    officers: dict[int, str]
    counters: dict[int, dict]


def names(session: Session) -> Names:
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
            ).order_by(t.services.c.position, t.services.c.code)
        )
    }
    officers = dict(session.execute(select(t.users.c.id, t.users.c.full_name).order_by(t.users.c.full_name)).all())
    counters = {
        row.id: {"number": row.number, "name": row.name}
        for row in session.execute(
            select(t.counters.c.id, t.counters.c.number, t.counters.c.name).order_by(t.counters.c.number)
        )
    }
    return Names(services, officers, counters)
