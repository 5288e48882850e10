"""The ticket figures of a period: counts per service, officer and counter, waits and service
times, transfers, cancellations by reason, arrivals per hour, priority tickets per group."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from ...domain.model import REASON_SEPARATOR, EventKind, TicketStatus
from .. import scope
from .. import tables as t
from . import rollups
from .model import Filters, ServiceFigures, StaffFigures
from .sql import (
    Reading,
    Spans,
    distributions,
    finished,
    histogram,
    issued_in,
    issued_within,
    priority_group_key,
    ticket_filters,
    utc_hour,
    whole_seconds,
    within_standard,
)


def _waits(filters: Filters, spans: Spans):
    """Waiting time, issue to the first call, per service the ticket was taken for.

    The first call, not the latest: a visitor requeued after a no-show or transferred to another
    service has waited once, from taking the number to being called the first time."""
    tickets = t.tickets.c
    return histogram(
        tickets.origin_service_id,
        tickets.wait_seconds,
        [
            issued_within(spans),
            tickets.wait_seconds.is_not(None),
            *ticket_filters(filters, tickets.origin_service_id),
        ],
    )


def _service_times(filters: Filters, spans: Spans):
    """Service time, time on hold excluded, per service that finished the ticket."""
    tickets = t.tickets.c
    return histogram(
        tickets.service_id,
        tickets.service_seconds,
        [issued_within(spans), finished(), *ticket_filters(filters, tickets.service_id)],
    )


HISTOGRAMS = {rollups.WAIT: _waits, rollups.SERVICE: _service_times}


def month_rows(measure: str, spans: Spans):
    """A day's histogram as the rollups keep it per month (rolling.py): (service, priority group,
    sec, k, seconds), the waits per service taken for and priority group (review.group_waits reads
    them per group, the report per service), the service times per service that finished them."""
    tickets = t.tickets.c
    if measure == rollups.SERVICE:
        seconds, service, group = tickets.service_seconds, tickets.service_id, literal_column("''")
        where = [issued_within(spans), finished()]
    else:
        seconds, service, group = tickets.wait_seconds, tickets.origin_service_id, priority_group_key()
        where = [issued_within(spans), tickets.wait_seconds.is_not(None)]
    sec = whole_seconds(seconds)
    keys = (service, sec) if measure == rollups.SERVICE else (service, group, sec)  # PostgreSQL: no '' in GROUP BY
    return select(service, group, sec, func.count(), func.sum(seconds)).where(*where).group_by(*keys)


def _per_second(measure: str, filters: Filters, reading: Reading):
    """The period's histogram: its whole months' from the rollups, the rest from the tickets."""
    parts = []
    if reading.seconds_spans:
        parts.append(HISTOGRAMS[measure](filters, reading.seconds_spans))
    if reading.months:
        parts.append(rollups.month_histogram(measure, filters, reading))
    if not parts:
        return HISTOGRAMS[measure](filters, ())
    return parts[0] if len(parts) == 1 else union_all(*parts)


def tally_select(filters: Filters, spans: Spans):
    """One scan of the tickets, counted per (origin service, service, officer, counter).

    A few hundred rows at most, from which Python adds up the per-service, per-officer and
    per-counter tables and the totals, each by the attribution the module docstring gives."""
    tickets = t.tickets.c
    where = [issued_within(spans), *scope.of_agency(tickets.origin_service_id, filters.agency_id)]
    if filters.service_id:
        where.append(or_(tickets.origin_service_id == filters.service_id, tickets.service_id == filters.service_id))
    if filters.counter_id:
        where.append(tickets.counter_id == filters.counter_id)
    if filters.officer_id:
        where.append(tickets.officer_id == filters.officer_id)
    return (
        select(
            tickets.origin_service_id,
            tickets.service_id,
            tickets.officer_id,
            tickets.counter_id,
            func.count(),
            func.count().filter(tickets.priority.is_(True)),
            func.count().filter(finished()),
            func.count().filter(tickets.status == TicketStatus.NO_SHOW),
            func.count().filter(tickets.status == TicketStatus.CANCELLED),
            func.count().filter(and_(finished(), within_standard())),
            func.sum(t.tickets.c.service_seconds).filter(finished()),
        )
        .join(t.services, t.services.c.id == tickets.service_id)
        .where(*where)
        .group_by(tickets.origin_service_id, tickets.service_id, tickets.officer_id, tickets.counter_id)
    )


def _tally(session: Session, filters: Filters, reading: Reading) -> list[tuple]:
    found = session.execute(tally_select(filters, reading.count_spans)).all() if reading.count_spans else []
    return found + rollups.tally_rows(session, filters, reading)


def _event_filters(filters: Filters, spans: Spans) -> list[ColumnElement[bool]]:
    events = t.ticket_events.c
    where = [
        issued_within(spans),
        *scope.of_agency(events.service_id, filters.agency_id),
    ]
    if filters.service_id:
        where.append(events.service_id == filters.service_id)
    if filters.counter_id:
        where.append(events.counter_id == filters.counter_id)
    if filters.officer_id:
        where.append(events.officer_id == filters.officer_id)
    return where


def transfers_select(filters: Filters, spans: Spans):
    """Transfers out of each service, made by the filtered counter or officer."""
    events = t.ticket_events.c
    # The kind written into the SQL, not bound, so a prepared (generic) plan still matches the
    # partial index ix_ticket_events_transfers.
    transferred = events.kind == literal_column(f"'{EventKind.TRANSFERRED.value}'")
    return (
        select(events.service_id, func.count())
        .select_from(t.ticket_events)
        .join(t.tickets, t.tickets.c.id == events.ticket_id)
        .where(transferred, events.at >= min(start for start, _end in spans), *_event_filters(filters, spans))
        .group_by(events.service_id)
    )


def _transfers(session: Session, filters: Filters, reading: Reading) -> dict[int, int]:
    found = dict(session.execute(transfers_select(filters, reading.count_spans)).all()) if reading.count_spans else {}
    return _added(found, rollups.counts(session, rollups.TRANSFERRED, filters, reading, per_service=True))


def _added(*tallies: dict) -> dict:
    total: dict = defaultdict(int)
    for tally in tallies:
        for key, n in tally.items():
            total[key] += n
    return dict(total)


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
    session: Session, filters: Filters, start: datetime, end: datetime, reading: Reading | None = None
) -> tuple[dict[int, ServiceFigures], ServiceFigures, list[StaffFigures], list[StaffFigures]]:
    """The per-service table and its total row, and the per-officer and per-counter tables (from
    the tickets of start..end, or as `reading` says: rollups of closed days and tickets of the rest)."""
    reading = reading or Reading.tickets_only(start, end)
    rows: dict[int, ServiceFigures] = defaultdict(ServiceFigures)
    officers: dict[int, _Staff] = defaultdict(_Staff)
    counters: dict[int, _Staff] = defaultdict(_Staff)
    wanted = filters.service_id
    for origin, service, officer, counter, count, priority, served, no_show, cancelled, within, seconds in _tally(
        session, filters, reading
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
    for service_id, count in _transfers(session, filters, reading).items():
        rows[service_id].transferred = count

    waiting, total_waiting = distributions(session, _per_second(rollups.WAIT, filters, reading))
    service, total_service = distributions(session, _per_second(rollups.SERVICE, filters, reading))
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


def cancel_select(filters: Filters, spans: Spans):
    """Cancellations per (service, note of the cancel event)."""
    events = t.ticket_events.c
    return (
        select(events.service_id, events.note, func.count())
        .select_from(t.ticket_events)
        .join(t.tickets, t.tickets.c.id == events.ticket_id)
        .where(events.kind == EventKind.CANCELLED, *_event_filters(filters, spans))
        .group_by(events.service_id, events.note)
    )


def reason_of(note: str | None) -> str:
    """The reason a cancel event's note gives (what follows the separator is the officer's detail)."""
    return (note or "").split(REASON_SEPARATOR, 1)[0].strip()


def cancel_reasons(
    session: Session, filters: Filters, start: datetime, end: datetime, reading: Reading | None = None
) -> dict[str, int]:
    """Cancellations of the period's tickets by reason, most frequent first; the day's close
    (closed_at_day_end) and visitors cancelling from their phone are reasons of their own."""
    reading = reading or Reading.tickets_only(start, end)
    counts: dict[str, int] = defaultdict(int)
    if reading.count_spans:
        for _service, note, count in session.execute(cancel_select(filters, reading.count_spans)):
            counts[reason_of(note)] += count
    for reason, count in rollups.counts(session, rollups.CANCELLED, filters, reading).items():
        counts[reason] += count
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def arrivals_select(filters: Filters, spans: Spans):
    """Tickets issued per (UTC hour, service taken for)."""
    hour = utc_hour(t.tickets.c.issued_at)
    origin = t.tickets.c.origin_service_id
    return (
        select(hour, origin, func.count())
        .where(issued_within(spans), *ticket_filters(filters, origin))
        .group_by(hour, origin)
    )


def as_utc_hour(value) -> datetime:
    """An hour as either database hands it back (a string on SQLite, naive or aware on PostgreSQL)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def arrivals(
    session: Session, filters: Filters, start: datetime, end: datetime, reading: Reading | None = None
) -> dict[datetime, int]:
    """Tickets issued per UTC hour."""
    reading = reading or Reading.tickets_only(start, end)
    counts: dict[datetime, int] = defaultdict(int)
    for spans in reading.count_spans:
        if session.get_bind().dialect.name == "postgresql" and not filters.any and filters.agency_id is None:
            found = _arrivals_counted_per_hour(session, *spans)
        else:
            found = defaultdict(int)
            for hour, _origin, count in session.execute(arrivals_select(filters, (spans,))):
                found[hour] += count
        for hour, count in found.items():
            counts[as_utc_hour(hour)] += count
    for hour, count in rollups.counts(session, rollups.ARRIVALS, filters, reading).items():
        counts[as_utc_hour(hour)] += count
    return dict(counts)


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
        .where(issued_in(start, end), issued >= hours.c.h, issued < hours.c.h + step)
        .scalar_subquery()
    )
    return {hour: n for hour, n in session.execute(select(hours.c.h, count)) if n}


def priority_select(filters: Filters, spans: Spans):
    """Priority tickets issued per (service taken for, group)."""
    tickets = t.tickets.c
    return (
        select(tickets.origin_service_id, tickets.priority_group, func.count())
        .where(issued_within(spans), tickets.priority.is_(True), *ticket_filters(filters, tickets.origin_service_id))
        .group_by(tickets.origin_service_id, tickets.priority_group)
    )


def priority_group_counts(
    session: Session, filters: Filters, start: datetime, end: datetime, reading: Reading | None = None
) -> dict[str | None, int]:
    """Priority tickets issued in the period per group (UU 25/2009 art. 29), for the management review."""
    reading = reading or Reading.tickets_only(start, end)
    counts: dict[str | None, int] = defaultdict(int)
    if reading.count_spans:
        for _origin, group, count in session.execute(priority_select(filters, reading.count_spans)):
            counts[group] += count
    for group, count in rollups.counts(session, rollups.PRIORITY_GROUP, filters, reading).items():
        counts[group] += count
    return dict(counts)
