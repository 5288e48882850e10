"""The management-review figures, aggregated by the database (issue 7).

A year of a busy office is a million tickets and four million event rows, so nothing here loads
tickets into Python, and no figure replays event rows: the ticket row carries its waiting time and
its service time (Ticket.call and Ticket.served_seconds put them there, time on hold excluded), so
a year is a few scans of one table. The counts come from one GROUP BY over the period's tickets (a
few hundred rows back); a median or 90th percentile from how many tickets took each whole number of
seconds, ranked with running sums (window functions, which SQLite and PostgreSQL both have;
PostgreSQL's percentile_cont sorts every value, which is slower), so only the values at the needed
ranks come back. bench/report_bench.py times it; docs/benchmarks.md has the results.

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
from datetime import datetime, timedelta

from sqlalchemy import (
    BigInteger,
    Float,
    Integer,
    and_,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from ..domain.model import REASON_SEPARATOR, EventKind, TicketStatus
from ..domain.priority_groups import groups_of
from ..domain.reporting import EMPTY, Distribution, Period, wanted_ranks
from ..domain.survey import CODES, PROFILE_FIELDS, ikm
from . import tables as t
from .engine import unhurried

#: Comments shown on the page; the export has them all.
PAGE_COMMENTS = 200


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
    # Priority tickets issued per group key (None: the visitor did not say, e.g. before groups existed).
    priority_groups: dict[str | None, int] = field(default_factory=dict)
    # field -> profile code (None: not answered) -> tally; and respondents per source (online, paper)
    profiles: dict[str, dict[str | None, SurveyTally]] = field(default_factory=dict)
    sources: dict[int | None, dict[str, int]] = field(default_factory=dict)  # per service; None: in total
    # Cancellations by reason (the note of the cancel event), most frequent first.
    cancel_reasons: dict[str, int] = field(default_factory=dict)


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


def _done() -> ColumnElement[bool]:
    return and_(t.tickets.c.status == TicketStatus.DONE, t.tickets.c.service_seconds.is_not(None))


def within_standard() -> ColumnElement[bool]:
    """The rule of domain.reporting.within_standard, in SQL, over tickets joined to their service.

    persistence/figures.py counts an officer's day with it too."""
    return t.tickets.c.service_seconds <= t.services.c.standard_minutes * 60


#: The group key of the overall row in _distributions (service ids are positive).
_ALL = -1


def _distributions(session: Session, per_second) -> tuple[dict[int, Distribution], Distribution]:
    """Count, mean, median and p90 per group, and over all groups, of a (grp, sec, k, seconds)
    select: k tickets of the group took sec whole seconds, exactly `seconds` seconds between them.

    The database has counted how many tickets took each number of seconds (a hash aggregate over
    the period's tickets, no sort of a million rows); here it ranks those few thousand distinct
    values with running sums (window functions, which SQLite and PostgreSQL both have) and
    returns only the values at the ranks the median and the 90th percentile need: a handful of
    rows per group. The mean is of the exact durations; the percentiles of the whole seconds."""
    per_second = per_second.cte("per_second")
    overall = select(
        literal(_ALL).label("grp"),
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

    per_group = {group: distribution(*entry) for group, entry in found.items() if group != _ALL}
    return per_group, distribution(*found[_ALL]) if _ALL in found else EMPTY


def _per_second(group, seconds, where: list[ColumnElement[bool]]):
    """(group, whole seconds, tickets, their exact seconds) over the tickets matching `where`."""
    sec = whole_seconds(seconds)
    return (
        select(group.label("grp"), sec.label("sec"), func.count().label("k"), func.sum(seconds).label("seconds"))
        .where(*where)
        .group_by(group, sec)
    )


def _waits(filters: Filters, start: datetime, end: datetime):
    """Waiting time, issue to the first call, per service the ticket was taken for.

    The first call, not the latest: a visitor requeued after a no-show or transferred to another
    service has waited once, from taking the number to being called the first time."""
    tickets = t.tickets.c
    return _per_second(
        tickets.origin_service_id,
        tickets.wait_seconds,
        [
            _issued_in(start, end),
            tickets.wait_seconds.is_not(None),
            *_ticket_filters(filters, tickets.origin_service_id),
        ],
    )


def _service_times(filters: Filters, start: datetime, end: datetime):
    """Service time, time on hold excluded, per service that finished the ticket."""
    tickets = t.tickets.c
    return _per_second(
        tickets.service_id,
        tickets.service_seconds,
        [_issued_in(start, end), _done(), *_ticket_filters(filters, tickets.service_id)],
    )


def _tally(session: Session, filters: Filters, start: datetime, end: datetime):
    """One scan of the period's tickets, counted per (origin service, service, officer, counter).

    A few hundred rows at most, from which Python adds up the per-service, per-officer and
    per-counter tables and the totals, each by the attribution the module docstring gives."""
    tickets = t.tickets.c
    where = [_issued_in(start, end)]
    if filters.service_id:
        where.append(or_(tickets.origin_service_id == filters.service_id, tickets.service_id == filters.service_id))
    if filters.counter_id:
        where.append(tickets.counter_id == filters.counter_id)
    if filters.officer_id:
        where.append(tickets.officer_id == filters.officer_id)
    return session.execute(
        select(
            tickets.origin_service_id,
            tickets.service_id,
            tickets.officer_id,
            tickets.counter_id,
            func.count(),
            func.count().filter(tickets.priority.is_(True)),
            func.count().filter(_done()),
            func.count().filter(tickets.status == TicketStatus.NO_SHOW),
            func.count().filter(tickets.status == TicketStatus.CANCELLED),
            func.count().filter(and_(_done(), within_standard())),
            func.sum(t.tickets.c.service_seconds).filter(_done()),
        )
        .join(t.services, t.services.c.id == tickets.service_id)
        .where(*where)
        .group_by(tickets.origin_service_id, tickets.service_id, tickets.officer_id, tickets.counter_id)
    ).all()


def _transfers(session: Session, filters: Filters, start: datetime, end: datetime) -> dict[int, int]:
    """Transfers out of each service, made by the filtered counter or officer."""
    events = t.ticket_events.c
    # The kind written into the SQL, not bound, so a prepared (generic) plan still matches the
    # partial index ix_ticket_events_transfers.
    transferred = events.kind == literal_column(f"'{EventKind.TRANSFERRED.value}'")
    where = [transferred, events.at >= start, _issued_in(start, end)]
    if filters.service_id:
        where.append(events.service_id == filters.service_id)
    if filters.counter_id:
        where.append(events.counter_id == filters.counter_id)
    if filters.officer_id:
        where.append(events.officer_id == filters.officer_id)
    return dict(
        session.execute(
            select(events.service_id, func.count())
            .select_from(t.ticket_events)
            .join(t.tickets, t.tickets.c.id == events.ticket_id)
            .where(*where)
            .group_by(events.service_id)
        ).all()
    )


@dataclass
class _Staff:
    served: int = 0
    no_show: int = 0
    seconds: float = 0.0
    within: int = 0

    def figures(self, key: int) -> StaffFigures:
        mean = self.seconds / self.served if self.served else None
        return StaffFigures(key, self.served, self.no_show, mean, self.within)


def ticket_figures(
    session: Session, filters: Filters, start: datetime, end: datetime
) -> tuple[dict[int, ServiceFigures], ServiceFigures, list[StaffFigures], list[StaffFigures]]:
    """The per-service table and its total row, and the per-officer and per-counter tables."""
    rows: dict[int, ServiceFigures] = defaultdict(ServiceFigures)
    officers: dict[int, _Staff] = defaultdict(_Staff)
    counters: dict[int, _Staff] = defaultdict(_Staff)
    wanted = filters.service_id
    for origin, service, officer, counter, count, priority, served, no_show, cancelled, within, seconds in _tally(
        session, filters, start, end
    ):
        if not wanted or origin == wanted:
            rows[origin].issued += count
            rows[origin].priority += priority
        if wanted and service != wanted:
            continue
        row = rows[service]
        row.served += served
        row.no_show += no_show
        row.cancelled += cancelled
        row.within_standard += within
        for key, staff in ((officer, officers), (counter, counters)):
            if key is not None and (served or no_show):
                staff[key].served += served
                staff[key].no_show += no_show
                staff[key].seconds += float(seconds or 0)
                staff[key].within += within
    for service_id, count in _transfers(session, filters, start, end).items():
        rows[service_id].transferred = count

    waiting, total_waiting = _distributions(session, _waits(filters, start, end))
    service, total_service = _distributions(session, _service_times(filters, start, end))
    for service_id, distribution in waiting.items():
        rows[service_id].waiting = distribution
    for service_id, distribution in service.items():
        rows[service_id].service = distribution

    total = ServiceFigures(waiting=total_waiting, service=total_service)
    for row in rows.values():
        for name in ("issued", "priority", "served", "no_show", "cancelled", "transferred", "within_standard"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return (
        dict(rows),
        total,
        [staff.figures(key) for key, staff in officers.items()],
        [staff.figures(key) for key, staff in counters.items()],
    )


def cancel_reasons(session: Session, filters: Filters, start: datetime, end: datetime) -> dict[str, int]:
    """Cancellations of the period's tickets by reason, most frequent first; the day's close
    (closed_at_day_end) and visitors cancelling from their phone are reasons of their own."""
    events = t.ticket_events.c
    where = [events.kind == EventKind.CANCELLED, _issued_in(start, end)]
    if filters.service_id:
        where.append(events.service_id == filters.service_id)
    if filters.counter_id:
        where.append(events.counter_id == filters.counter_id)
    if filters.officer_id:
        where.append(events.officer_id == filters.officer_id)
    rows = session.execute(
        select(events.note, func.count())
        .select_from(t.ticket_events)
        .join(t.tickets, t.tickets.c.id == events.ticket_id)
        .where(*where)
        .group_by(events.note)
    ).all()
    counts: dict[str, int] = defaultdict(int)
    for note, count in rows:
        counts[(note or "").split(REASON_SEPARATOR, 1)[0].strip()] += count
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def arrivals(session: Session, filters: Filters, start: datetime, end: datetime) -> dict[datetime, int]:
    """Tickets issued per UTC hour."""
    if session.get_bind().dialect.name == "postgresql" and not filters.any:
        return _arrivals_counted_per_hour(session, start, end)
    hour = utc_hour(t.tickets.c.issued_at)
    rows = session.execute(
        select(hour, func.count())
        .where(_issued_in(start, end), *_ticket_filters(filters, t.tickets.c.origin_service_id))
        .group_by(hour)
    )
    return {(datetime.fromisoformat(h) if isinstance(h, str) else h): count for h, count in rows}


def _arrivals_counted_per_hour(session: Session, start: datetime, end: datetime) -> dict[datetime, int]:
    """One count per hour of the period, each a short range of ix_tickets_issued_at.

    A year is 8,760 index-only range scans that count entries without reading a ticket row, where
    a GROUP BY reads and hashes a million rows (0.1 s against 0.3-0.7 s on the benchmark)."""
    step = literal_column("INTERVAL '1 hour'")
    hours = (
        func.generate_series(start.replace(minute=0, second=0, microsecond=0), end - timedelta(microseconds=1), step)
        .table_valued("h")
        .render_derived(name="hours")
    )
    issued = t.tickets.c.issued_at
    count = (
        select(func.count())
        .where(_issued_in(start, end), issued >= hours.c.h, issued < hours.c.h + step)
        .scalar_subquery()
    )
    return {hour: n for hour, n in session.execute(select(hours.c.h, count)) if n}


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


def profile_tallies(
    session: Session, filters: Filters, start: datetime, end: datetime
) -> dict[str, dict[str | None, SurveyTally]]:
    """Respondents and sums of answers per group of each profile question (None: not answered)."""
    s = t.survey_responses.c
    profiles: dict[str, dict[str | None, SurveyTally]] = {}
    for name in PROFILE_FIELDS:
        rows = session.execute(
            select(s[name], func.count(), *(func.sum(s[code]) for code in CODES))
            .where(*_survey_where(filters, start, end))
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
        .where(*_survey_where(filters, start, end))
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


def priority_group_counts(session: Session, filters: Filters, start: datetime, end: datetime) -> dict[str | None, int]:
    """Priority tickets issued in the period per group (UU 25/2009 art. 29), for the management review."""
    group = t.tickets.c.priority_group
    rows = session.execute(
        select(group, func.count())
        .where(
            _issued_in(start, end),
            t.tickets.c.priority.is_(True),
            *_ticket_filters(filters, t.tickets.c.origin_service_id),
        )
        .group_by(group)
    )
    return dict(rows.all())


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
    if session.get_bind().dialect.name == "postgresql":
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
    per_service, total, officers, counters = ticket_figures(session, filters, start, end)
    per_service_survey, survey_total = survey_tallies(session, filters, start, end)
    found_comments, comment_count = comments(session, filters, start, end, comment_limit)
    return Figures(
        period=period,
        start=start,
        end=end,
        filters=filters,
        services=per_service,
        total=total,
        officers=officers,
        counters=counters,
        arrivals=arrivals(session, filters, start, end),
        survey=per_service_survey,
        survey_total=survey_total,
        comments=found_comments,
        comment_count=comment_count,
        priority_groups=priority_group_counts(session, filters, start, end),
        profiles=profile_tallies(session, filters, start, end),
        sources=source_counts(session, filters, start, end),
        cancel_reasons=cancel_reasons(session, filters, start, end),
    )


@dataclass(frozen=True)
class Names:
    """Labels for the ids in the figures: services (code, name, standard), officers, counters."""

    services: dict[int, dict]
    officers: dict[int, str]
    counters: dict[int, dict]
    priority_groups: tuple = ()  # the office's PriorityGroup list, for the labels of group keys


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
    stored = session.execute(select(t.office.c.priority_groups)).scalar()
    return Names(services, officers, counters, groups_of(stored))
