"""Periods in the office's calendar, percentiles, the within-standard rule and the heat map."""

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from servicedesk.domain.reporting import (
    Distribution,
    PeriodKind,
    arrivals_grid,
    clock_minutes,
    heat_level,
    minutes,
    parse_period,
    percent,
    percentile_ranks,
    period_for,
    wanted_ranks,
    within_standard,
)


def test_a_day_in_makassar_starts_at_four_in_the_afternoon_utc_the_day_before():
    start, end = period_for(PeriodKind.DAY, date(2026, 11, 3)).bounds("Asia/Makassar")
    assert start == datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 3, 16, 0, tzinfo=UTC)


def test_a_day_in_jakarta_and_in_jayapura_have_their_own_bounds():
    day = period_for(PeriodKind.DAY, date(2026, 11, 3))
    assert day.bounds("Asia/Jakarta")[0] == datetime(2026, 11, 2, 17, 0, tzinfo=UTC)
    assert day.bounds("Asia/Jayapura")[0] == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def test_a_week_runs_monday_to_sunday():
    week = period_for(PeriodKind.WEEK, date(2026, 11, 5))  # a Thursday
    assert (week.first, week.last, week.days) == (date(2026, 11, 2), date(2026, 11, 8), 7)


def test_a_month_and_a_year_cover_their_whole_calendar():
    february = period_for(PeriodKind.MONTH, date(2028, 2, 14))
    assert (february.first, february.last) == (date(2028, 2, 1), date(2028, 2, 29))
    year = period_for(PeriodKind.YEAR, date(2026, 6, 1))
    assert (year.first, year.last, year.days) == (date(2026, 1, 1), date(2026, 12, 31), 365)
    start, end = year.bounds("Asia/Jakarta")
    assert (start, end) == (datetime(2025, 12, 31, 17, tzinfo=UTC), datetime(2026, 12, 31, 17, tzinfo=UTC))


def test_a_custom_range_includes_both_days_and_may_be_given_backwards():
    custom = period_for(PeriodKind.CUSTOM, date(2026, 11, 10), date(2026, 11, 3))
    assert (custom.first, custom.last, custom.days) == (date(2026, 11, 3), date(2026, 11, 10), 8)


def test_a_custom_range_longer_than_two_years_is_refused():
    with pytest.raises(ValueError):
        period_for(PeriodKind.CUSTOM, date(2024, 1, 1), date(2026, 12, 31))


def test_the_query_string_selects_a_period_and_defaults_to_this_month():
    today = date(2026, 11, 17)
    assert parse_period({}, today) == period_for(PeriodKind.MONTH, today)
    assert parse_period({"period": "week", "date": "2026-11-04"}, today).first == date(2026, 11, 2)
    custom = parse_period({"period": "custom", "from": "2026-10-01", "to": "2026-10-15"}, today)
    assert (custom.first, custom.last) == (date(2026, 10, 1), date(2026, 10, 15))
    assert parse_period(custom.query(), today) == custom
    with pytest.raises(ValueError):
        parse_period({"period": "day", "date": "17/11/2026"}, today)
    with pytest.raises(ValueError):
        parse_period({"period": "quarter"}, today)


def test_previous_and_next_periods_step_by_their_kind():
    month = period_for(PeriodKind.MONTH, date(2026, 1, 15))
    assert month.previous().first == date(2025, 12, 1)
    assert month.following().first == date(2026, 2, 1)


def test_exactly_the_standard_time_is_within_it_and_one_second_more_is_not():
    assert within_standard(15 * 60, 15)
    assert not within_standard(15 * 60 + 1, 15)


@pytest.mark.parametrize(
    ("count", "p", "expected"),
    [
        (1, Fraction(1, 2), (1, 1, 0)),
        (4, Fraction(1, 2), (2, 3, Fraction(1, 2))),  # h = 1.5
        (5, Fraction(1, 2), (3, 4, 0)),  # h = 2: the middle value
        (10, Fraction(9, 10), (9, 10, Fraction(1, 10))),  # h = 8.1
        (11, Fraction(9, 10), (10, 11, 0)),  # h = 9 exactly, where 10 x 0.9 in floats is 9.000000000000002
        (7, Fraction(9, 10), (6, 7, Fraction(2, 5))),  # h = 5.4
    ],
)
def test_percentile_ranks_interpolate_like_percentile_cont(count, p, expected):
    assert percentile_ranks(count, p) == expected


def test_a_distribution_picks_median_and_p90_from_the_ranked_values():
    values = [3, 5, 8, 10, 15, 30]
    ranked = {rank: v for rank, v in enumerate(values, start=1) if rank in wanted_ranks(len(values))}
    d = Distribution.from_ranks(6, sum(values) / 6, ranked)
    assert (d.median, d.p90) == (9.0, 22.5)


def test_shares_and_minutes_round_half_up_as_by_hand():
    assert percent(5, 7) == Decimal("71.4")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 0) is None
    assert minutes(71 / 6 * 60) == Decimal("11.8")
    assert minutes(45) == Decimal("0.8")  # 0.75 -> 0.8
    assert clock_minutes(12 * 60 + 30) == "12:30"
    assert clock_minutes(3723) == "1:02:03"
    assert clock_minutes(None) == "–"


def test_arrivals_are_placed_on_the_local_weekday_and_hour():
    # Monday 2 Nov 2026 16:30 UTC is Tuesday 00:30 in Makassar and Monday 23:30 in Jakarta.
    counts = {datetime(2026, 11, 2, 16, 0, tzinfo=UTC): 3}
    assert arrivals_grid(counts, "Asia/Makassar")[1][0] == 3
    assert arrivals_grid(counts, "Asia/Jakarta")[0][23] == 3
    naive_from_sqlite = {datetime(2026, 11, 2, 16, 0): 2}
    assert arrivals_grid(naive_from_sqlite, "Asia/Jayapura")[1][1] == 2


def test_the_heat_map_shades_in_proportion_to_the_busiest_hour():
    assert [heat_level(n, 10) for n in (0, 1, 2, 5, 10)] == [0, 1, 1, 3, 5]
    assert heat_level(3, 0) == 0
