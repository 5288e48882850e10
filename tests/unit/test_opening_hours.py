from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from servicedesk.domain.errors import IssuingRefused
from servicedesk.domain.hours import IssuingPolicy, OpeningHours
from servicedesk.domain.model import DEFAULT_OPENING_HOURS

HOURS = OpeningHours.from_dict(DEFAULT_OPENING_HOURS)


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 in Jakarta time. 2 Nov 2026 is a Monday."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo("Asia/Jakarta"))


def refusal(policy: IssuingPolicy, moment: datetime, **kwargs) -> str | None:
    try:
        policy.check(moment, **kwargs)
    except IssuingRefused as refused:
        return refused.code
    return None


POLICY = IssuingPolicy("Asia/Jakarta", HOURS)


def test_a_monday_morning_is_open():
    assert refusal(POLICY, wib(2, 9)) is None


def test_opening_is_inclusive_and_closing_exclusive():
    assert refusal(POLICY, wib(2, 8, 0)) is None
    assert refusal(POLICY, wib(2, 15, 30)) == "closed_for_today"


def test_before_opening_the_kiosk_says_when_it_opens():
    with pytest.raises(IssuingRefused) as refused:
        POLICY.check(wib(2, 7, 30))
    assert refused.value.code == "not_open_yet"
    assert refused.value.details == {"opens_at": "08:00"}


def test_the_lunch_break_refuses_and_says_when_it_reopens():
    with pytest.raises(IssuingRefused) as refused:
        POLICY.check(wib(2, 12, 15))
    assert refused.value.code == "on_break"
    assert refused.value.details == {"opens_at": "13:00"}


def test_friday_has_a_longer_break_for_friday_prayer():
    friday = 6
    assert refusal(POLICY, wib(friday, 11, 45)) == "on_break"
    assert refusal(POLICY, wib(friday, 13, 15)) == "on_break"
    assert refusal(POLICY, wib(friday, 13, 30)) is None
    assert refusal(POLICY, wib(2, 13, 15)) is None  # a Monday at the same time is open


def test_weekends_are_closed():
    assert refusal(POLICY, wib(7, 9)) == "closed_today"


def test_a_holiday_is_closed_even_on_a_weekday():
    policy = IssuingPolicy("Asia/Jakarta", HOURS, frozenset({date(2026, 11, 2)}))
    assert refusal(policy, wib(2, 9)) == "holiday"


def test_the_holiday_is_the_local_date_not_the_utc_date():
    policy = IssuingPolicy(
        "Asia/Jakarta", OpeningHours.from_dict({"tue": [["00:00", "24:00"]]}), frozenset({date(2026, 11, 3)})
    )
    early_tuesday = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)  # 01:00 WIB Tuesday 3 Nov
    assert refusal(policy, early_tuesday) == "holiday"


def test_a_service_cut_off_refuses_later_tickets():
    assert refusal(POLICY, wib(2, 14, 0), cutoff=time(14, 0)) == "after_cutoff"
    assert refusal(POLICY, wib(2, 13, 59), cutoff=time(14, 0)) is None


def test_an_inactive_service_is_refused_first():
    assert refusal(POLICY, wib(7, 9), service_active=False) == "service_inactive"


@pytest.mark.parametrize(
    "bad",
    [
        {"mon": [["09:00", "08:00"]]},
        {"mon": [["08:00", "12:00"], ["11:00", "13:00"]]},
        {"monday": []},
        {"mon": [["25:00", "26:00"]]},
        {"mon": [["08:00"]]},
    ],
)
def test_malformed_opening_hours_are_rejected(bad):
    with pytest.raises(ValueError):
        OpeningHours.from_dict(bad)


def test_opening_hours_survive_a_round_trip():
    assert OpeningHours.from_dict(DEFAULT_OPENING_HOURS).to_dict() == DEFAULT_OPENING_HOURS


def test_before_the_choice_the_kiosk_learns_the_same_refusal_issuing_would_give():
    from servicedesk.domain.hours import refusal_now

    assert refusal_now(POLICY, wib(2, 9)) is None
    assert refusal_now(POLICY, wib(6, 12)).code == "on_break"  # the Friday prayer break
    assert refusal_now(POLICY, wib(6, 12)).details == {"opens_at": "13:30"}
    assert refusal_now(POLICY, wib(2, 9), cutoff=time(8, 30)).code == "after_cutoff"
    holiday = IssuingPolicy("Asia/Jakarta", HOURS, frozenset({date(2026, 11, 2)}))
    assert refusal_now(holiday, wib(2, 9)).code == "holiday"


def test_a_quota_is_gone_once_as_many_numbers_as_it_allows_were_given():
    from servicedesk.domain.hours import refusal_now

    assert refusal_now(POLICY, wib(2, 9), quota=3, issued_today=2) is None
    assert refusal_now(POLICY, wib(2, 9), quota=3, issued_today=3).code == "quota_reached"
    assert refusal_now(POLICY, wib(2, 9), quota=None, issued_today=500) is None
