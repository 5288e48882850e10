"""The end of the service day: unserved tickets closed, counters left open closed, days sealed."""

from __future__ import annotations

from collections import Counter as Counter_
from dataclasses import dataclass, field
from datetime import date

from ..domain.model import (
    DAY_END_REASON,
    Counter,
    Ticket,
)
from ..domain.numbering import service_day
from ..domain.service_day import last_day_to_close
from .audit_chain import seal_ended_days
from .counters import _audit_counter
from .report_rollups import roll_up_after_close
from .unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DayClosed:
    """What a day's close did: the last day it ended, the tickets it found unserved (by the status
    they were left in) and the counters it closed."""

    day: date
    due: bool
    tickets: list[Ticket]
    left_in: dict[str, int]
    counters: list[Counter]
    rolled_up: list[date] = field(default_factory=list)  # days whose report figures were rolled up
    survey_rolled_up: list[date] = field(default_factory=list)  # days whose survey answers were

    def report_line(self) -> str:
        detail = ", ".join(f"{n} {status}" for status, n in sorted(self.left_in.items()))
        return (
            f"Day {self.day.isoformat()} closed{'' if self.due else ' (today is not over yet)'}. "
            f"Closed {len(self.tickets)} unserved ticket(s) as cancelled, reason {DAY_END_REASON}"
            f"{f' ({detail})' if detail else ''}; closed {len(self.counters)} counter(s) left open; "
            f"rolled up the report figures of {len(self.rolled_up)} day(s) "
            f"and the survey answers of {len(self.survey_rolled_up)} day(s)."
        )


def close_day(uow: UnitOfWork, *, if_due: bool = False) -> DayClosed:
    """End the service day: tickets still open are closed as not served (DAY_END_REASON), and the
    counters left open are closed. Idempotent: a second run finds nothing left to close.

    if_due (the timer's run): today is closed only once the office's close time has passed; earlier
    days always are, and a counter is closed only if it was opened on an earlier day."""
    now = uow.clock()
    office = uow.repo.office()
    last_day = last_day_to_close(now, office.time_zone, office.day_closes_at, at_once=not if_due)
    today = service_day(now, office.time_zone)
    due = last_day == today
    closed = uow.repo.unfinished_tickets(last_day)
    left_in = dict(Counter_(ticket.status.value for ticket in closed))
    for ticket in closed:
        ticket.close_unserved(now)
    counters = [
        counter
        for counter in uow.repo.open_counters()
        if due or counter.opened_at is None or service_day(counter.opened_at, office.time_zone) < today
    ]
    for counter in counters:
        counter.close()
        _audit_counter(uow, counter, None, "close")
    seal_ended_days(uow)  # the days before this one join the audit chain (services/audit_chain.py)
    uow.commit()
    # After the close's commit: the ended days' report figures counted once (a failure here loses
    # no close; the next close or `flask reports rollup` rolls them up).
    rolled = roll_up_after_close(uow, last_day)
    return DayClosed(last_day, due, closed, left_in, counters, rolled.days, rolled.survey_days)
