from datetime import UTC, datetime

import pytest

from servicedesk.domain.numbering import format_number, service_day


def test_numbers_are_the_prefix_and_a_three_digit_sequence():
    assert format_number("A", 1) == "A001"
    assert format_number("B", 17) == "B017"
    assert format_number("KTP", 999) == "KTP999"


def test_past_999_the_number_grows_instead_of_wrapping():
    assert format_number("A", 1000) == "A1000"


def test_a_sequence_starts_at_one():
    with pytest.raises(ValueError):
        format_number("A", 0)


def test_the_service_day_turns_at_midnight_in_jakarta_not_utc():
    just_before = datetime(2026, 11, 1, 16, 59, 59, tzinfo=UTC)  # 23:59:59 WIB
    just_after = datetime(2026, 11, 1, 17, 0, 0, tzinfo=UTC)  # 00:00 WIB, 2 Nov
    assert service_day(just_before, "Asia/Jakarta").isoformat() == "2026-11-01"
    assert service_day(just_after, "Asia/Jakarta").isoformat() == "2026-11-02"


def test_wita_and_wit_offices_turn_the_day_earlier_than_wib():
    moment = datetime(2026, 11, 1, 15, 30, tzinfo=UTC)  # 22:30 WIB, 23:30 WITA, 00:30 WIT
    assert service_day(moment, "Asia/Jakarta").day == 1
    assert service_day(moment, "Asia/Makassar").day == 1
    assert service_day(moment, "Asia/Jayapura").day == 2


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError):
        service_day(datetime(2026, 11, 1, 12, 0), "Asia/Jakarta")
