"""Booking ahead on both databases: one fair queue with walk-ins, no oversold slot, anti-calo, UU PDP."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from threading import Barrier
from zoneinfo import ZoneInfo

import pytest

from servicedesk.domain.booking import BookingRefused, BookingStatus
from servicedesk.domain.errors import DomainError
from servicedesk.domain.model import DEFAULT_OPENING_HOURS
from servicedesk.extensions import db
from servicedesk.persistence import tables
from servicedesk.persistence.bookings import BookingRepository
from servicedesk.services import booking as bookings
from servicedesk.web.context import unit_of_work
from tests.builders import act, call_next, issue

JAKARTA = ZoneInfo("Asia/Jakarta")
TUESDAY = date(2026, 11, 3)  # the clock starts on Monday 2 November, 09:00 in Jakarta
NIK = "3174055208900001"


def wib(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), JAKARTA).astimezone(UTC)


@pytest.fixture
def bookable(app, office):
    """Service A bookable on the office's usual hours (Friday break, no weekends)."""
    office.configure(opening_hours=DEFAULT_OPENING_HOURS)
    office.update_service("A", daily_quota=None, standard_minutes=30)
    with app.app_context():
        uow = unit_of_work()
        settings = BookingRepository(uow.session).settings_or_new(office.service("A"))
        settings.enabled = True
        settings.online_percent, settings.priority_percent, settings.walk_in_reserve_percent = (
            60,
            10,
            30,
        )  # every slot has a seat
        uow.commit()
    return office.service("A")


def set_booking(app, service_id: int, **values) -> None:
    with app.app_context():
        uow = unit_of_work()
        settings = BookingRepository(uow.session).settings(service_id)
        for key, value in values.items():
            setattr(settings, key, value)
        uow.commit()


def book(app, service_id: int, slot: datetime, phone: str = "081234567890", **extra):
    with app.app_context():
        made, _ = bookings.book(
            unit_of_work(),
            secret="test",
            service_id=service_id,
            day=slot.astimezone(JAKARTA).date(),
            slot_start=slot,
            name=extra.pop("name", "Siti Aminah"),
            phone=phone,
            **extra,
        )
        return made


def refusal(action) -> str:
    with pytest.raises(DomainError) as refused:
        action()
    return refused.value.code


def check_in(app, code: str):
    with app.app_context():
        return bookings.check_in(unit_of_work(), code)


def test_a_booking_checked_in_on_time_is_called_at_its_slot_among_walk_ins(app, client, office, auth, clock, bookable):
    on_time = book(app, bookable, wib(TUESDAY, 10))
    late = book(app, bookable, wib(TUESDAY, 9, 30), phone="081298765432")
    clock.set(wib(TUESDAY, 9, 50))
    before = issue(client, office, "A")["number"]  # A001, came before the slot
    clock.set(wib(TUESDAY, 9, 55))
    checked = check_in(app, on_time.code)  # early within the window: stands at 10:00
    assert checked.on_time and checked.issued.ticket.queued_at == wib(TUESDAY, 10)
    clock.set(wib(TUESDAY, 9, 58))
    still_before_slot = issue(client, office, "A")["number"]
    clock.set(wib(TUESDAY, 10, 5))
    after = issue(client, office, "A")["number"]
    clock.set(wib(TUESDAY, 10, 20))  # past the 15 minutes' late window: a walk-in
    late_checked = check_in(app, late.code)
    assert not late_checked.on_time
    clock.set(wib(TUESDAY, 10, 21))
    auth.at_counter("siti", office.counter(1))
    called = []
    for _ in range(5):
        ticket = call_next(client, office.counter(1)).json
        called.append(ticket["number"])
        act(client, ticket["id"], "start")
        act(client, ticket["id"], "finish")
    assert called == [before, still_before_slot, checked.issued.ticket.number, after, late_checked.issued.ticket.number]
    with app.app_context():
        statuses = {row.code: row.status for row in db.session.execute(tables.bookings.select())}
    assert statuses == {on_time.code: BookingStatus.CHECKED_IN, late.code: BookingStatus.LATE}


def test_a_booking_cannot_check_in_twice_or_too_early(app, clock, bookable):
    made = book(app, bookable, wib(TUESDAY, 10))
    clock.set(wib(TUESDAY, 9, 0))
    assert refusal(lambda: check_in(app, made.code)) == "too_early"
    clock.set(wib(TUESDAY, 10, 0))
    check_in(app, made.code.lower())
    assert refusal(lambda: check_in(app, made.code)) == "not_checkable"


def test_concurrent_bookers_never_oversell_a_slot(app, bookable):
    slot = wib(TUESDAY, 8)
    with app.app_context():
        [first] = [f for f in bookings.day_plan(unit_of_work(), bookable, TUESDAY).slots if f.slot.start == slot]
    seats, people = first.free, first.free + 6
    start = Barrier(people)

    def booker(i: int) -> str:
        start.wait()
        try:
            return book(app, bookable, slot, phone=f"08120000{i:04d}").code
        except BookingRefused as refused:
            return refused.code

    with ThreadPoolExecutor(people) as pool:
        results = list(pool.map(booker, range(people)))
    assert results.count("slot_full") == people - seats
    with app.app_context():
        rows = db.session.execute(tables.bookings.select()).all()
        taken = db.session.execute(tables.booking_slots.select()).one().taken
    assert len(rows) == seats == taken


def race(people: int, attempt) -> list[str]:
    """`people` threads start `attempt(i)` at once (a barrier); each gives a booking code or a refusal."""
    start = Barrier(people)

    def one(i: int) -> str:
        start.wait()
        try:
            return attempt(i).code
        except BookingRefused as refused:
            return refused.code

    with ThreadPoolExecutor(people) as pool:
        return list(pool.map(one, range(people)))


def test_parallel_bookings_by_one_phone_cannot_both_pass_the_daily_limit(app, bookable):
    slots = [wib(TUESDAY, 8), wib(TUESDAY, 9), wib(TUESDAY, 10), wib(TUESDAY, 13)]
    results = race(len(slots), lambda i: book(app, bookable, slots[i]))
    assert results.count("limit_phone_day") == len(slots) - 1
    with app.app_context():
        assert len(db.session.execute(tables.bookings.select()).all()) == 1


def test_parallel_bookings_by_one_nik_on_several_days_cannot_pass_the_weekly_limit(app, bookable):
    set_booking(app, bookable, requires_identity=True, per_nik_week=2)
    days = [TUESDAY + timedelta(days=n) for n in (0, 1, 2, 6)]  # Tuesday to next Monday: any two in one rolling week
    results = race(len(days), lambda i: book(app, bookable, wib(days[i], 8), phone=f"08121111{i:04d}", nik=NIK))
    assert results.count("limit_nik_week") == 2
    with app.app_context():
        assert len(db.session.execute(tables.bookings.select()).all()) == 2
        holders = db.session.execute(tables.booking_holders.select()).all()
    assert {row.kind for row in holders} == {"nik", "phone"}
    assert all(NIK not in str(tuple(row)) and "0812" not in str(tuple(row)) for row in holders)


def test_a_reschedule_rechecks_the_persons_limits_and_the_slots_seats(app, clock, bookable):
    tuesday = book(app, bookable, wib(TUESDAY, 8))
    wednesday = TUESDAY + timedelta(days=1)
    book(app, bookable, wib(wednesday, 8))
    with app.app_context():
        uow = unit_of_work()
        move = lambda day, slot: bookings.reschedule(uow, tuesday.token, day, slot, secret="test")  # noqa: E731
        assert refusal(lambda: move(wednesday, wib(wednesday, 9))) == "limit_phone_day"
        [nine] = [
            f for f in bookings.day_plan(unit_of_work(), bookable, TUESDAY).slots if f.slot.start == wib(TUESDAY, 9)
        ]
    for i in range(nine.free):
        book(app, bookable, wib(TUESDAY, 9), phone=f"08122222{i:04d}")
    with app.app_context():
        uow = unit_of_work()
        assert refusal(lambda: move(TUESDAY, wib(TUESDAY, 9))) == "slot_full"
        assert refusal(lambda: move(TUESDAY + timedelta(days=30), wib(TUESDAY, 9) + timedelta(days=30))) == (
            "day_out_of_range"
        )
        moved = bookings.reschedule(unit_of_work(), tuesday.token, TUESDAY, wib(TUESDAY, 10), secret="test")
        assert moved.slot_start == wib(TUESDAY, 10) and moved.rescheduled == 1
        taken = {row.slot_start: row.taken for row in db.session.execute(tables.booking_slots.select())}
    assert taken[wib(TUESDAY, 8)] == 0 and taken[wib(TUESDAY, 10)] == 1


def test_the_priority_share_is_taken_by_priority_bookings_only_and_checks_in_as_priority(
    app, client, office, clock, bookable
):
    set_booking(app, bookable, priority_percent=10, online_percent=20, per_phone_day=None)
    with app.app_context():
        plan = bookings.day_plan(unit_of_work(), bookable, TUESDAY)
    [slot] = [f for f in plan.slots if f.priority_free][:1]
    assert sum(f.priority_free for f in plan.slots) == plan.capacity.priority
    at = slot.slot.start
    for i in range(slot.free):
        book(app, bookable, at, phone=f"08123333{i:04d}")
    assert refusal(lambda: book(app, bookable, at, phone="081244440000")) == "slot_full"  # the priority seat stays
    assert refusal(lambda: book(app, bookable, at, phone="081244440001", priority_group="vip")) == (
        "priority_group_unknown"
    )
    elder = book(app, bookable, at, phone="081244440002", priority_group="lansia")
    for i in range(slot.priority_free - 1):
        book(app, bookable, at, phone=f"08125555{i:04d}", priority_group="lansia")
    assert refusal(lambda: book(app, bookable, at, phone="081244440003", priority_group="ibu_hamil")) == "slot_full"
    with app.app_context():
        row = db.session.execute(tables.booking_slots.select().where(tables.booking_slots.c.slot_start == at)).one()
    assert (row.taken, row.priority_taken) == (slot.slot.seats, slot.slot.priority_seats)
    clock.set(at)
    checked = check_in(app, elder.code)
    assert checked.issued.ticket.priority and checked.issued.ticket.priority_group == "lansia"


def test_cancelling_gives_the_seat_back_and_a_reschedule_is_allowed_once(app, clock, bookable):
    made = book(app, bookable, wib(TUESDAY, 8))
    with app.app_context():
        moved = bookings.reschedule(unit_of_work(), made.token, TUESDAY, wib(TUESDAY, 9), secret="test")
        assert moved.slot_start == wib(TUESDAY, 9)
        uow = unit_of_work()
        assert (
            refusal(lambda: bookings.reschedule(uow, made.token, TUESDAY, wib(TUESDAY, 13), secret="test"))
            == "already_rescheduled"
        )
        bookings.cancel(unit_of_work(), made.token)
        taken = {row.slot_start: row.taken for row in db.session.execute(tables.booking_slots.select())}
    assert taken == {wib(TUESDAY, 8): 0, wib(TUESDAY, 9): 0}


def test_one_phone_books_once_a_day_and_the_walk_in_reserve_is_never_offered(app, bookable):
    book(app, bookable, wib(TUESDAY, 8))
    assert refusal(lambda: book(app, bookable, wib(TUESDAY, 9))) == "limit_phone_day"
    with app.app_context():
        plan = bookings.day_plan(unit_of_work(), bookable, TUESDAY)
    assert sum(f.slot.seats for f in plan.slots) == plan.capacity.online
    assert plan.capacity.walk_in >= plan.capacity.total * 30 // 100


def test_the_nik_is_asked_where_identity_is_needed_and_stored_only_as_a_keyed_hash(app, bookable):
    set_booking(app, bookable, requires_identity=True)
    assert refusal(lambda: book(app, bookable, wib(TUESDAY, 8))) == "nik_required"
    made = book(app, bookable, wib(TUESDAY, 8), nik=NIK)
    assert made.nik_last4 == "0001"
    with app.app_context():
        row = db.session.execute(tables.bookings.select()).one()
    assert NIK not in str(tuple(row)) and len(row.nik_hash) == 64
    assert refusal(lambda: book(app, bookable, wib(TUESDAY, 9), phone="081311112222", nik=NIK)) == "limit_nik_day"


def test_a_day_out_of_the_horizon_or_a_holiday_offers_nothing(app, bookable):
    with app.app_context():
        uow = unit_of_work()
        assert refusal(lambda: bookings.day_plan(uow, bookable, date(2026, 11, 2))) == "day_out_of_range"
        assert bookings.day_plan(uow, bookable, date(2026, 11, 7)).slots == []  # a Saturday


def test_no_shows_are_counted_and_bar_the_next_booking(app, clock, bookable):
    set_booking(app, bookable, max_no_shows=1, per_phone_week=None)
    book(app, bookable, wib(TUESDAY, 8))
    clock.set(wib(TUESDAY, 9) + timedelta(days=1))
    runner = app.test_cli_runner()
    assert "1 no-show(s)" in runner.invoke(args=["booking", "remind"]).output
    assert refusal(lambda: book(app, bookable, wib(date(2026, 11, 5), 8))) == "too_many_no_shows"


def test_reminders_are_due_the_day_before_and_on_the_day(app, clock, bookable):
    book(app, bookable, wib(TUESDAY, 10))
    result = app.test_cli_runner().invoke(args=["booking", "remind"])
    assert "1 reminder(s) due" in result.output
    with app.app_context():
        clock.set(wib(TUESDAY, 7))
        [due] = bookings.remind(unit_of_work())
    assert due.which == "same_day"


def test_personal_data_is_redacted_after_the_retention_while_the_statistics_stay(app, clock, bookable):
    made = book(app, bookable, wib(TUESDAY, 10))
    runner = app.test_cli_runner()
    clock.set(wib(TUESDAY, 10) + timedelta(days=90))
    assert "0 booking(s) redacted" in runner.invoke(args=["booking", "redact"]).output
    with app.app_context():
        assert len(db.session.execute(tables.booking_holders.select()).all()) == 1  # the phone's lock row
    clock.advance(days=1)
    assert "1 booking(s) redacted" in runner.invoke(args=["booking", "redact"]).output
    with app.app_context():
        assert db.session.execute(tables.booking_holders.select()).all() == []
        row = db.session.execute(tables.bookings.select()).one()
    assert (row.name, row.phone, row.nik_hash, row.redacted_at is not None) == (None, None, None, True)
    assert (row.code, row.service_id, row.day, row.status) == (made.code, bookable, TUESDAY, "booked")


def test_a_persons_data_is_exported_and_erased_on_request_and_audited(app, office, bookable):
    book(app, bookable, wib(TUESDAY, 10))
    admin = office.users["admin"]
    with app.app_context():
        exported = bookings.export_person(
            unit_of_work(), secret="test", user_id=admin, nik=None, phone="+6281234567890"
        )
        assert [e["name"] for e in exported] == ["Siti Aminah"]
        assert bookings.erase_person(unit_of_work(), secret="test", user_id=admin, nik=None, phone="081234567890") == 1
        row = db.session.execute(tables.bookings.select()).one()
        slot_row = db.session.execute(tables.booking_slots.select()).one()
        assert db.session.execute(tables.booking_holders.select()).all() == []  # the lock row goes too
        audits = [
            r.action
            for r in db.session.execute(tables.audit_log.select().where(tables.audit_log.c.entity == "booking_person"))
        ]
    assert row.name is None and audits == ["export", "erase"]
    assert row.status == "cancelled" and slot_row.taken == 0  # a held booking is cancelled, its seat freed


def test_same_day_booking_offers_todays_remaining_slots_only_where_the_service_allows_it(app, clock, bookable):
    monday = TUESDAY - timedelta(days=1)  # the clock's today, 09:00 in Jakarta
    with app.app_context():
        assert refusal(lambda: bookings.day_plan(unit_of_work(), bookable, monday)) == "day_out_of_range"
    assert refusal(lambda: book(app, bookable, wib(monday, 10))) == "day_out_of_range"
    set_booking(app, bookable, same_day=True)
    clock.set(wib(monday, 10, 10))
    with app.app_context():
        plan = bookings.day_plan(unit_of_work(), bookable, monday)
    assert plan.slots and all(f.slot.start > wib(monday, 10, 10) for f in plan.slots)  # the past ones are gone
    assert (
        sum(f.slot.seats + f.slot.priority_seats for f in plan.slots) <= plan.capacity.online + plan.capacity.priority
    )
    assert plan.capacity.walk_in >= plan.capacity.total * 30 // 100  # the walk-in reserve stays off the page
    made = book(app, bookable, wib(monday, 13))
    assert made.day == monday
    assert refusal(lambda: book(app, bookable, wib(monday, 10), phone="081277770000")) == "slot_unknown"  # passed
