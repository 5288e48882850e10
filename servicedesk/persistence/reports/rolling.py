"""Writing the report rollups: a closed day's figures, counted once (domain/rollup.py).

Each day is counted by the same statements the report runs over the tickets (tickets.py), limited
to that day, so a rolled-up day and the same day read from its tickets cannot disagree; its
waiting and service times are added to its month's histograms. A day is claimed by its row in
report_rollup_days, written first: a second rollup of the same day (two closes at once) fails on
that key and rolls back, so no day is ever counted twice. A day's survey answers are added to its
month's (report_month_survey) once the day has ended, claimed the same way in report_survey_days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ...domain.model import TicketStatus
from ...domain.reporting import Period, PeriodKind
from ...domain.survey import CODES, PROFILE_FIELDS
from .. import tables as t
from . import rollups, survey
from .model import Filters
from .sql import issued_in
from .tickets import (
    arrivals_select,
    as_utc_hour,
    cancel_select,
    month_rows,
    priority_select,
    reason_of,
    tally_select,
    transfers_select,
)

EVERYTHING = Filters()
OPEN = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.HELD)


def unrolled_days(session: Session, first: date, last: date) -> list[date]:
    """The days first..last without a rollup yet, oldest first."""
    rolled = set(
        session.scalars(
            select(t.report_rollup_days.c.day).where(
                t.report_rollup_days.c.day >= first, t.report_rollup_days.c.day <= last
            )
        )
    )
    return [day for n in range((last - first).days + 1) if (day := first + timedelta(days=n)) not in rolled]


def first_ticket_day(session: Session) -> date | None:
    return session.scalar(select(func.min(t.tickets.c.service_day)))


def day_is_over(session: Session, day: date, time_zone: str) -> bool:
    """No ticket of the day is still waiting, called, being served or on hold."""
    start, end = _bounds(day, time_zone)
    still_open = select(t.tickets.c.id).where(issued_in(start, end), t.tickets.c.status.in_(OPEN)).limit(1)
    return session.execute(still_open).first() is None


def roll_up_day(session: Session, day: date, time_zone: str, now: datetime) -> int:
    """Count one day into the rollups (the caller commits); the number of its tickets."""
    start, end = _bounds(day, time_zone)
    spans = ((start, end),)
    tickets = session.scalar(select(func.count()).where(issued_in(start, end))) or 0
    session.execute(insert(t.report_rollup_days).values(day=day, time_zone=time_zone, tickets=tickets, rolled_at=now))
    if not tickets:
        return 0
    tally = [
        dict(zip(_TALLY_COLUMNS, row, strict=True), day=day) for row in session.execute(tally_select(EVERYTHING, spans))
    ]
    session.execute(insert(t.report_day_tally), tally)
    counts = _counts(session, spans)
    if counts:
        session.execute(insert(t.report_day_counts), [dict(row, day=day) for row in counts])
    _add_to_month(session, day.replace(day=1), spans)
    return tickets


def forget(session: Session) -> None:
    """Every rollup gone (`flask reports rollup --rebuild`): the reports read the tickets again."""
    for table in (
        t.report_month_seconds,
        t.report_day_counts,
        t.report_day_tally,
        t.report_rollup_days,
        t.report_month_survey,
        t.report_survey_days,
    ):
        session.execute(delete(table))


def unrolled_survey_days(session: Session, first: date, last: date) -> list[date]:
    """The days first..last whose survey answers are not rolled up yet, oldest first."""
    days = t.report_survey_days.c
    rolled = set(session.scalars(select(days.day).where(days.day >= first, days.day <= last)))
    return [day for n in range((last - first).days + 1) if (day := first + timedelta(days=n)) not in rolled]


def first_answer_at(session: Session) -> datetime | None:
    """When the first survey answer was submitted (None: there is none)."""
    return session.scalar(select(func.min(t.survey_responses.c.submitted_at)))


def roll_up_survey_day(session: Session, day: date, time_zone: str, now: datetime) -> int:
    """Add one ended day's survey answers to its month's rows (the caller commits); how many there
    were. The day is claimed first, so it is never added twice."""
    rows = _survey_rows(session, day, time_zone)
    responses = sum(row["respondents"] for row in rows if row["dimension"] == survey.ALL)
    session.execute(
        insert(t.report_survey_days).values(day=day, time_zone=time_zone, responses=responses, rolled_at=now)
    )
    if not rows:
        return 0
    table = t.report_month_survey
    added = ("respondents", "comments", *CODES)
    upsert = _insert(session, table)
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=[table.c.month, table.c.service_id, table.c.dimension, table.c.grp],
            set_={name: table.c[name] + upsert.excluded[name] for name in added},
        ),
        rows,
    )
    return responses


def _survey_rows(session: Session, day: date, time_zone: str) -> list[dict]:
    """The day's answers counted as report_month_survey rows: in total, per source, per profile group."""
    where = survey.survey_within(EVERYTHING, (_bounds(day, time_zone),))
    s = t.survey_responses.c
    month = day.replace(day=1)
    dimensions = [(survey.ALL, None), (survey.SOURCE, s.source)] + [(name, s[name]) for name in PROFILE_FIELDS]
    rows = []
    for dimension, column in dimensions:
        keys = [s.service_id] if column is None else [s.service_id, column]
        for service_id, *found in session.execute(survey.answers_select(where, *keys)):
            group = found.pop(0) if column is not None else None
            respondents, comments, *sums = found
            rows.append(
                {
                    "month": month,
                    "service_id": service_id,
                    "dimension": dimension,
                    "grp": group or survey.NONE,
                    "respondents": respondents,
                    "comments": comments,
                    **{code: int(value) for code, value in zip(CODES, sums, strict=True)},
                }
            )
    return rows


def _insert(session: Session, table):
    """INSERT ... ON CONFLICT, in the session's dialect."""
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert(table)


_TALLY_COLUMNS = (
    "origin_service_id",
    "service_id",
    "officer_id",
    "counter_id",
    "issued",
    "priority",
    "served",
    "no_show",
    "cancelled",
    "within_standard",
    "service_seconds",
)


def _bounds(day: date, time_zone: str) -> tuple[datetime, datetime]:
    return Period(PeriodKind.DAY, day, day).bounds(time_zone)


def _counts(session: Session, spans) -> list[dict]:
    rows: list[dict] = []

    def add(kind: str, found: Iterable[tuple]) -> None:
        tally: dict[tuple, int] = defaultdict(int)
        for service_id, key, n in found:
            tally[(service_id, key)] += n
        rows.extend({"kind": kind, "service_id": s, "key": k, "n": n} for (s, k), n in tally.items())

    add(rollups.TRANSFERRED, ((s, None, n) for s, n in session.execute(transfers_select(EVERYTHING, spans))))
    add(
        rollups.CANCELLED, ((s, reason_of(note), n) for s, note, n in session.execute(cancel_select(EVERYTHING, spans)))
    )
    add(rollups.PRIORITY_GROUP, session.execute(priority_select(EVERYTHING, spans)).all())
    add(
        rollups.ARRIVALS,
        ((s, as_utc_hour(h).isoformat(), n) for h, s, n in session.execute(arrivals_select(EVERYTHING, spans))),
    )
    return rows


def _site_rows(rows: list[dict]) -> list[dict]:
    """The same histogram over every service (service_id rollups.SITE): what the site-wide monthly
    trend and waits per priority group read, a few thousand rows a month instead of every service's."""
    site: dict[tuple, dict] = {}
    for row in rows:
        key = (row["priority_group"], row["sec"])
        if key not in site:
            site[key] = dict(row, service_id=rollups.SITE, k=0, seconds=0.0)
        site[key]["k"] += row["k"]
        site[key]["seconds"] += row["seconds"]
    return list(site.values())


def _add_to_month(session: Session, month: date, spans) -> None:
    """The day's per-second histograms added to its month's (per service and for the whole site)."""
    table = t.report_month_seconds
    for measure in (rollups.WAIT, rollups.SERVICE):
        rows = [
            {
                "month": month,
                "measure": measure,
                "service_id": service,
                "priority_group": group,
                "sec": sec,
                "k": k,
                "seconds": float(seconds),
            }
            for service, group, sec, k, seconds in session.execute(month_rows(measure, spans))
        ]
        if not rows:
            continue
        rows += _site_rows(rows)
        upsert = _insert(session, table)
        session.execute(
            upsert.on_conflict_do_update(
                index_elements=[
                    table.c.month,
                    table.c.measure,
                    table.c.service_id,
                    table.c.priority_group,
                    table.c.sec,
                ],
                set_={"k": table.c.k + upsert.excluded.k, "seconds": table.c.seconds + upsert.excluded.seconds},
            ),
            rows,
        )
