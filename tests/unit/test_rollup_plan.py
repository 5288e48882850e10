"""What a period's report reads from the rollups and what from the tickets (domain/rollup.py)."""

from __future__ import annotations

from datetime import date, timedelta

from servicedesk.domain.rollup import everything_from_tickets, ranges, read_plan


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_consecutive_days_join_into_ranges_in_order():
    found = ranges([date(2026, 1, 3), date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 5)])
    assert found == ((date(2026, 1, 1), date(2026, 1, 3)), (date(2026, 1, 5), date(2026, 1, 5)))


def test_nothing_rolled_up_reads_the_whole_period_from_the_tickets():
    plan = read_plan(date(2026, 1, 1), date(2026, 12, 31), [])
    assert plan == everything_from_tickets(date(2026, 1, 1), date(2026, 12, 31))
    assert not plan.uses_rollups


def test_a_year_closed_until_yesterday_reads_whole_months_from_rollups_and_today_from_the_tickets():
    today = date(2026, 12, 4)
    plan = read_plan(date(2026, 1, 1), date(2026, 12, 31), days(date(2026, 1, 1), today - timedelta(days=1)))
    assert plan.counts_rolled == ((date(2026, 1, 1), date(2026, 12, 3)),)
    assert plan.counts_from_tickets == ((today, date(2026, 12, 31)),)
    # December's histogram holds its first three days; the rest of December comes from the tickets.
    assert plan.months == tuple(date(2026, month, 1) for month in range(1, 13))
    assert plan.seconds_from_tickets == ((today, date(2026, 12, 31)),)


def test_a_custom_range_cutting_two_months_reads_their_times_from_the_tickets():
    rolled = days(date(2026, 1, 1), date(2026, 6, 30))
    plan = read_plan(date(2026, 2, 15), date(2026, 4, 10), rolled)
    assert plan.counts_rolled == ((date(2026, 2, 15), date(2026, 4, 10)),)
    assert plan.counts_from_tickets == ()
    assert plan.months == (date(2026, 3, 1),)
    assert plan.seconds_from_tickets == (
        (date(2026, 2, 15), date(2026, 2, 28)),
        (date(2026, 4, 1), date(2026, 4, 10)),
    )


def test_a_gap_in_the_rolled_up_days_is_read_from_the_tickets_for_counts_and_times():
    rolled = [day for day in days(date(2026, 3, 1), date(2026, 3, 31)) if day != date(2026, 3, 15)]
    plan = read_plan(date(2026, 3, 1), date(2026, 3, 31), rolled)
    assert plan.counts_from_tickets == ((date(2026, 3, 15), date(2026, 3, 15)),)
    assert plan.months == (date(2026, 3, 1),)
    assert plan.seconds_from_tickets == ((date(2026, 3, 15), date(2026, 3, 15)),)


def test_a_month_without_any_rolled_up_day_is_not_read_from_its_empty_histogram():
    plan = read_plan(date(2026, 3, 1), date(2026, 4, 30), days(date(2026, 4, 1), date(2026, 4, 30)))
    assert plan.months == (date(2026, 4, 1),)
    assert plan.seconds_from_tickets == ((date(2026, 3, 1), date(2026, 3, 31)),)
