"""Rolling closed days up for the reports (domain/rollup.py): at each day's close, and on demand
(`flask reports rollup`) for the days closed before the rollups existed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError

from ..domain.numbering import service_day
from ..persistence.reports import rolling
from .unit_of_work import UnitOfWork

#: How far back a day's close looks for days not rolled up yet (a server that was off for a
#: holiday week); older ones wait for `flask reports rollup`.
CLOSE_LOOKS_BACK = timedelta(days=31)


@dataclass
class RolledUp:
    days: list[date] = field(default_factory=list)  # rolled up now
    tickets: int = 0
    still_open: list[date] = field(default_factory=list)  # not over: a ticket still waits or is served
    survey_days: list[date] = field(default_factory=list)  # days whose survey answers were rolled up now
    responses: int = 0

    def report_line(self) -> str:
        line = f"Rolled up {len(self.days)} day(s), {self.tickets} ticket(s)."
        line += f" Survey: {len(self.survey_days)} day(s), {self.responses} answer(s)."
        if self.still_open:
            shown = ", ".join(day.isoformat() for day in self.still_open[:5])
            line += f" Not rolled up, tickets still open (close the day first): {shown}"
            line += " ..." if len(self.still_open) > 5 else ""
        return line


def roll_up(uow: UnitOfWork, *, since: date | None = None, rebuild: bool = False) -> RolledUp:
    """Roll up every day before today that is over and not rolled up yet, one commit per day (a
    long backfill keeps what it did). `since`: the first day to look at (default: the first
    ticket's). `rebuild`: forget every rollup first (after the office changed time zones)."""
    office = uow.repo.office()
    today = service_day(uow.clock(), office.time_zone)
    if rebuild:
        rolling.forget(uow.session)
        uow.commit()
    done = RolledUp()
    _roll_up_survey(uow, done, since, today, office.time_zone)
    first = since or rolling.first_ticket_day(uow.session)
    if first is None:
        return done
    for day in rolling.unrolled_days(uow.session, first, today - timedelta(days=1)):
        if not rolling.day_is_over(uow.session, day, office.time_zone):
            done.still_open.append(day)
            continue
        tickets = _claimed(uow, rolling.roll_up_day, day, office.time_zone)
        if tickets is not None:
            done.tickets += tickets
            done.days.append(day)
    return done


def _roll_up_survey(uow: UnitOfWork, done: RolledUp, since: date | None, today: date, time_zone: str) -> None:
    """The survey answers of every day before today: an ended day takes no more answers (an answer,
    even a paper form typed in later, is dated when it is submitted), whatever its tickets."""
    first = since
    if first is None:
        first_answer = rolling.first_answer_at(uow.session)
        if first_answer is None:
            return
        first = service_day(first_answer, time_zone)
    for day in rolling.unrolled_survey_days(uow.session, first, today - timedelta(days=1)):
        responses = _claimed(uow, rolling.roll_up_survey_day, day, time_zone)
        if responses is not None:
            done.responses += responses
            done.survey_days.append(day)


def _claimed(uow: UnitOfWork, roll_up_day, day: date, time_zone: str) -> int | None:
    """One day rolled up (rolling.roll_up_day or roll_up_survey_day) and committed: what it counted,
    or None when another close claimed the day meanwhile (its key in the days' table)."""
    try:
        counted = roll_up_day(uow.session, day, time_zone, uow.clock())
        uow.commit()
    except IntegrityError:
        uow.rollback()
        return None
    return counted


def roll_up_after_close(uow: UnitOfWork, last_closed: date) -> RolledUp:
    """The days a close has just ended (and those a few weeks back that missed their close)."""
    return roll_up(uow, since=last_closed - CLOSE_LOOKS_BACK)
