"""Where a period's report figures are read from: the rollups of closed days, or the tickets.

A year of a city's hall is ten million tickets; the yearly report cannot scan them all within the
two seconds an auditor waits. So when a day is over (every ticket of it finished or closed by the
day's close) its figures are rolled up (persistence/reports/rollups.py):
- its counts, per service, officer and counter (issued, served, no-shows, cancellations, transfers,
  cancellation reasons, priority groups, arrivals per hour): a few hundred rows a day;
- its waiting and service times, as how many tickets took each whole second, added to its month's
  histogram per service: exact medians and 90th percentiles need every second, and a day's
  histogram is nearly as many rows as its tickets, a month's a tenth (docs/benchmarks.md).
The survey's answers belong to the day they were submitted: once that day has ended, they are
added to their month's rows (per service, source and profile group); read_plan plans them as it
plans the histograms, from the survey's rolled-up days (rollups.survey_plan_for).

This module decides, from the days of a period that are rolled up, what to read where: every
rolled-up day's counts from the day rollups and the other days' from the tickets; a month's
histogram when the whole month lies inside the period (it then holds the month's rolled-up days,
and the month's other days come from the tickets), and every day of a month the period only cuts
(a custom range, a week) from the tickets. Either way the figures are the same as from the tickets
alone: tests/integration/test_report_rollups.py proves it on both databases.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

#: Whole local days, first to last, both included.
DayRange = tuple[date, date]


@dataclass(frozen=True)
class ReadPlan:
    counts_rolled: tuple[DayRange, ...] = ()  # counts read from the day rollups
    counts_from_tickets: tuple[DayRange, ...] = ()  # counts read from the tickets
    months: tuple[date, ...] = ()  # first days of the months whose histograms are read
    seconds_from_tickets: tuple[DayRange, ...] = ()  # waiting and service times read from the tickets

    @property
    def uses_rollups(self) -> bool:
        return bool(self.counts_rolled or self.months)


def ranges(days: Iterable[date]) -> tuple[DayRange, ...]:
    """Consecutive days joined into ranges, in order."""
    found: list[list[date]] = []
    for day in sorted(set(days)):
        if found and found[-1][1] + timedelta(days=1) == day:
            found[-1][1] = day
        else:
            found.append([day, day])
    return tuple((first, last) for first, last in found)


def month_days(first_of_month: date) -> list[date]:
    length = monthrange(first_of_month.year, first_of_month.month)[1]
    return [first_of_month + timedelta(days=n) for n in range(length)]


def read_plan(first: date, last: date, rolled: Iterable[date]) -> ReadPlan:
    """What to read where for the whole local days first..last, given the rolled-up days."""
    period = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    done = set(rolled) & set(period)
    whole_months = [
        month
        for month in sorted({day.replace(day=1) for day in period})
        if month >= first and month_days(month)[-1] <= last and done & set(month_days(month))
    ]
    in_months = {day for month in whole_months for day in month_days(month)}
    return ReadPlan(
        counts_rolled=ranges(done),
        counts_from_tickets=ranges(day for day in period if day not in done),
        months=tuple(whole_months),
        seconds_from_tickets=ranges(day for day in period if day not in done or day not in in_months),
    )


def everything_from_tickets(first: date, last: date) -> ReadPlan:
    return ReadPlan(counts_from_tickets=((first, last),), seconds_from_tickets=((first, last),))
