"""Booking ahead, on hand-built days: capacity, slots, the fair check-in rule, anti-calo limits, NIK."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from servicedesk.domain.booking import (
    Booking,
    BookingRefused,
    BookingSettings,
    BookingStatus,
    CapacitySplit,
    Limits,
    Tolerance,
    check_in_rule,
    day_slots,
    slot_starts,
)
from servicedesk.domain.hours import IssuingPolicy, OpeningHours
from servicedesk.domain.model import DEFAULT_OPENING_HOURS
from servicedesk.domain.nik import IdentityRefused, nik_last4, validate_nik

JAKARTA = ZoneInfo("Asia/Jakarta")
POLICY = IssuingPolicy("Asia/Jakarta", OpeningHours.from_dict(DEFAULT_OPENING_HOURS))
MONDAY, FRIDAY, SATURDAY = date(2026, 11, 2), date(2026, 11, 6), date(2026, 11, 7)


def wib(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), JAKARTA).astimezone(UTC)


def refusal(action) -> str:
    with pytest.raises(BookingRefused) as refused:
        action()
    return refused.value.code


# --- slots and capacity ---


def test_a_monday_has_slots_of_the_standard_time_in_both_opening_spans():
    starts = slot_starts(POLICY, MONDAY, 30)
    assert starts[0] == wib(MONDAY, 8) and starts[7] == wib(MONDAY, 11, 30)
    assert wib(MONDAY, 12) not in starts and starts[8] == wib(MONDAY, 13)
    assert starts[-1] == wib(MONDAY, 15)  # ends at 15:30, the closing time
    assert len(starts) == 8 + 5


def test_no_slot_falls_in_the_friday_prayer_break():
    starts = slot_starts(POLICY, FRIDAY, 30)
    assert wib(FRIDAY, 11) in starts
    assert all(not (wib(FRIDAY, 11, 30) <= s < wib(FRIDAY, 13, 30)) for s in starts)
    assert wib(FRIDAY, 13, 30) in starts


def test_holidays_and_weekends_have_no_slots():
    holiday = IssuingPolicy("Asia/Jakarta", POLICY.hours, frozenset({MONDAY}))
    assert slot_starts(holiday, MONDAY, 30) == []
    assert slot_starts(POLICY, SATURDAY, 30) == []


def test_no_slot_starts_after_the_services_cut_off():
    assert slot_starts(POLICY, MONDAY, 30, cutoff=time(14))[-1] == wib(MONDAY, 13, 30)


def test_the_online_share_never_takes_the_walk_in_reserve():
    assert refusal(lambda: CapacitySplit(online_percent=70, priority_percent=10, walk_in_reserve_percent=30)) == (
        "split_over_reserve"
    )
    capacity = CapacitySplit(60, 10, 30).of(101)
    assert (capacity.online, capacity.priority) == (60, 10)
    assert capacity.walk_in == 31 >= 101 * 30 / 100


def test_the_day_capacity_is_slots_times_scheduled_counters_and_the_online_seats_are_spread_evenly():
    capacity, slots = day_slots(POLICY, MONDAY, standard_minutes=30, counters=2, split=CapacitySplit(40, 10, 30))
    assert capacity.total == 13 * 2
    assert capacity.online == 10 and sum(s.seats for s in slots) == 10
    assert max(s.seats for s in slots) == 1  # 10 seats over 13 slots: never two in one while another has none


def test_the_priority_share_is_spread_over_the_slots_and_only_a_priority_booking_may_take_it():
    capacity, slots = day_slots(POLICY, MONDAY, standard_minutes=30, counters=2, split=CapacitySplit(40, 20, 30))
    assert capacity.priority == 26 * 20 // 100 == 5 and sum(s.priority_seats for s in slots) == 5
    assert sum(s.seats_for(priority=False) for s in slots) == capacity.online  # never a priority seat
    assert sum(s.seats_for(priority=True) for s in slots) == capacity.priority  # never an online seat
    assert all(s.seats or s.priority_seats for s in slots)


def test_a_day_without_a_priority_share_has_no_seat_for_a_priority_booking():
    _, slots = day_slots(POLICY, MONDAY, standard_minutes=30, counters=2, split=CapacitySplit(40, 0, 30))
    assert slots and all(s.seats_for(priority=True) == 0 for s in slots)


def test_today_is_bookable_only_where_the_service_allows_same_day_booking():
    settings = BookingSettings(1, enabled=True, horizon_days=14)
    assert refusal(lambda: settings.bookable_day(MONDAY, MONDAY)) == "day_out_of_range"
    settings.bookable_day(MONDAY + timedelta(days=1), MONDAY)
    same_day = BookingSettings(1, enabled=True, horizon_days=14, same_day=True)
    same_day.bookable_day(MONDAY, MONDAY)
    assert refusal(lambda: same_day.bookable_day(MONDAY - timedelta(days=1), MONDAY)) == "day_out_of_range"


def test_the_daily_quota_caps_the_capacity_the_shares_split():
    capacity, _ = day_slots(
        POLICY, MONDAY, standard_minutes=15, counters=4, split=CapacitySplit(50, 0, 30), daily_quota=20
    )
    assert (capacity.total, capacity.online, capacity.walk_in) == (20, 10, 10)


def test_a_service_without_counters_offers_no_slot():
    capacity, slots = day_slots(POLICY, MONDAY, standard_minutes=30, counters=0, split=CapacitySplit())
    assert capacity.total == 0 and slots == []


# --- the check-in rule ---

TOLERANCE = Tolerance(early_minutes=30, late_minutes=15)
SLOT = wib(MONDAY, 10)


def test_a_booking_checked_in_early_is_queued_at_its_slot_time():
    decision = check_in_rule(SLOT, wib(MONDAY, 9, 40), TOLERANCE, "Asia/Jakarta")
    assert decision.on_time and decision.queue_at == SLOT


def test_a_booking_checked_in_within_its_late_window_keeps_its_slot_time_ahead_of_later_walk_ins():
    decision = check_in_rule(SLOT, wib(MONDAY, 10, 15), TOLERANCE, "Asia/Jakarta")
    walk_in_issued_at_10_05 = wib(MONDAY, 10, 5)
    assert decision.on_time and decision.queue_at < walk_in_issued_at_10_05


def test_a_booking_past_its_late_window_becomes_a_walk_in():
    now = wib(MONDAY, 10, 16)
    decision = check_in_rule(SLOT, now, TOLERANCE, "Asia/Jakarta")
    assert not decision.on_time and decision.queue_at == now


def test_a_booking_cannot_check_in_before_its_early_window_and_is_told_when():
    with pytest.raises(BookingRefused) as refused:
        check_in_rule(SLOT, wib(MONDAY, 9, 29), TOLERANCE, "Asia/Jakarta")
    assert refused.value.code == "too_early" and refused.value.details == {"opens_at": "09:30"}


def test_a_booking_for_another_day_cannot_check_in_today():
    assert refusal(lambda: check_in_rule(SLOT + timedelta(days=1), SLOT, TOLERANCE, "Asia/Jakarta")) == "not_today"


def booking(**fields) -> Booking:
    values = dict(
        service_id=1,
        day=MONDAY,
        slot_start=SLOT,
        code="K7Q2M9",
        token="t",
        name="Siti",
        phone="+6281234567890",
        created_at=wib(MONDAY, 7) - timedelta(days=2),
    )
    return Booking(**(values | fields))


def test_checking_in_records_whether_the_booking_kept_its_slot_and_cannot_be_repeated():
    late = booking()
    late.check_in(wib(MONDAY, 11), TOLERANCE, "Asia/Jakarta")
    assert late.status == BookingStatus.LATE
    assert refusal(lambda: late.check_in(wib(MONDAY, 11), TOLERANCE, "Asia/Jakarta")) == "not_checkable"


def test_a_booking_is_cancelled_or_rescheduled_once_only_before_the_cut_off():
    b = booking()
    b.reschedule(MONDAY, SLOT + timedelta(hours=1), SLOT - timedelta(days=1), cutoff_hours=2)
    assert b.slot_start == SLOT + timedelta(hours=1)
    assert refusal(lambda: b.reschedule(MONDAY, SLOT, SLOT - timedelta(days=1), 2)) == "already_rescheduled"
    assert refusal(lambda: b.cancel(SLOT, cutoff_hours=2)) == "change_cutoff_passed"
    b.cancel(SLOT - timedelta(hours=3), cutoff_hours=2)
    assert b.status == BookingStatus.CANCELLED


def test_redacting_drops_the_persons_data_and_keeps_what_statistics_need():
    b = booking(nik_hash="h", nik_last4="1234", device_hash="d")
    b.redact(SLOT)
    assert (b.name, b.phone, b.nik_hash, b.nik_last4, b.device_hash) == (None,) * 5
    assert (b.service_id, b.slot_start, b.status) == (1, SLOT, BookingStatus.BOOKED)


# --- anti-calo ---


def test_a_second_booking_for_one_nik_on_one_day_is_refused():
    limits = Limits(per_nik_day=1)
    limits.check({"nik": (0, 0), "phone": (0, 0), "device": (0, 0)})
    assert refusal(lambda: limits.check({"nik": (1, 1)})) == "limit_nik_day"


def test_the_weekly_limit_per_phone_counts_across_days():
    limits = Limits(per_phone_day=2, per_phone_week=3)
    assert refusal(lambda: limits.check({"phone": (1, 3)})) == "limit_phone_week"


def test_a_device_booking_for_many_people_is_stopped():
    assert refusal(lambda: Limits(per_device_day=3).check({"device": (3, 3)})) == "limit_device_day"


def test_repeated_no_shows_bar_booking_and_no_limit_means_none():
    assert refusal(lambda: Limits(max_no_shows=2).check({}, no_shows=2)) == "too_many_no_shows"
    Limits(per_nik_day=None, per_nik_week=None, max_no_shows=None).check({"nik": (50, 50)}, no_shows=9)


# --- NIK and phone ---


def test_a_plausible_nik_is_accepted_with_a_womans_birth_day_plus_40():
    assert validate_nik("3174 0552 0890 0001") == "3174055208900001"
    assert validate_nik("3174054208900001")  # 2 August 1990, a woman
    assert nik_last4("3174054208900001") == "0001"


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("317405520890001", "nik_length"),
        ("31740552089000A1", "nik_length"),
        ("9974055208900001", "nik_region"),
        ("3100055208900001", "nik_region"),
        ("3174053208900001", "nik_birth_date"),  # day 32
        ("3174057208900001", "nik_birth_date"),  # 72 - 40 = day 32
        ("3174051513900001", "nik_birth_date"),  # month 13
        ("3174055208900000", "nik_serial"),
    ],
)
def test_an_implausible_nik_is_refused_with_the_part_that_is_wrong(nik, code):
    with pytest.raises(IdentityRefused) as refused:
        validate_nik(nik)
    assert refused.value.code == code


def test_erasing_a_held_booking_cancels_it_and_frees_its_seat_a_used_one_is_only_redacted():
    held, used = booking(), booking(status=BookingStatus.CHECKED_IN)
    assert held.erase(SLOT) and held.status == BookingStatus.CANCELLED and held.name is None
    assert not used.erase(SLOT) and used.status == BookingStatus.CHECKED_IN and used.name is None
