from datetime import UTC, datetime

import pytest

from servicedesk.domain.numbering import service_day


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
