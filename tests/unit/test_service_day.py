"""The service day's end: when the close is due, and which day a close ends."""

from datetime import UTC, date, datetime

import pytest

from servicedesk.domain.service_day import close_due, last_day_to_close, parse_clock

JAKARTA = "Asia/Jakarta"  # UTC+7


def test_the_close_is_due_once_the_local_close_time_has_passed():
    assert not close_due(datetime(2026, 11, 2, 9, 59, tzinfo=UTC), JAKARTA, "17:00")  # 16:59 WIB
    assert close_due(datetime(2026, 11, 2, 10, 0, tzinfo=UTC), JAKARTA, "17:00")  # 17:00 WIB


def test_the_close_time_is_read_in_the_offices_own_time_zone():
    moment = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)  # 16:30 WIB, 17:30 WITA, 18:30 WIT
    assert not close_due(moment, "Asia/Jakarta", "17:00")
    assert close_due(moment, "Asia/Makassar", "17:00")
    assert close_due(moment, "Asia/Jayapura", "17:00")


def test_before_the_close_time_the_timer_ends_yesterday_only():
    morning = datetime(2026, 11, 3, 0, 30, tzinfo=UTC)  # 07:30 WIB on the 3rd
    assert last_day_to_close(morning, JAKARTA, "17:00", at_once=False) == date(2026, 11, 2)


def test_after_the_close_time_the_timer_ends_today():
    evening = datetime(2026, 11, 3, 10, 5, tzinfo=UTC)  # 17:05 WIB on the 3rd
    assert last_day_to_close(evening, JAKARTA, "17:00", at_once=False) == date(2026, 11, 3)


def test_a_close_asked_by_hand_ends_today_at_once():
    morning = datetime(2026, 11, 3, 0, 30, tzinfo=UTC)
    assert last_day_to_close(morning, JAKARTA, "17:00", at_once=True) == date(2026, 11, 3)


def test_just_after_local_midnight_it_is_already_the_next_service_day():
    just_after = datetime(2026, 11, 2, 17, 1, tzinfo=UTC)  # 00:01 WIB on the 3rd
    assert last_day_to_close(just_after, JAKARTA, "17:00", at_once=False) == date(2026, 11, 2)


@pytest.mark.parametrize("text", ["", "17", "25:00", "ab:cd", "17:60"])
def test_a_close_time_that_is_not_a_time_of_day_is_refused(text):
    with pytest.raises(ValueError):
        parse_clock(text)
