"""The timer colour and the supervisor's alerts, measured against the SOP standard time."""

from datetime import UTC, date, datetime, timedelta

import pytest

from servicedesk.domain.alerts import (
    AlertKind,
    breaches,
    service_threshold,
    serving_minutes,
    serving_since,
    wait_threshold,
)
from servicedesk.domain.model import Service, Ticket

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def service(id_: int = 1, code: str = "A", **fields) -> Service:
    s = Service(code, f"Layanan {code}", **{"standard_minutes": 15, **fields})
    s.id = id_
    return s


def ticket(id_: int, number: str = "A001", service_id: int = 1, issued_at: datetime = T0) -> Ticket:
    t = Ticket(
        service_id=service_id, number=number, sequence=id_, service_day=date(2026, 11, 2), token=f"t{id_}",
        issued_at=issued_at,
    )  # fmt: skip
    t.id = id_
    return t


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def test_thresholds_default_to_the_sop_standard_time():
    assert wait_threshold(service(standard_minutes=20)) == 20
    assert service_threshold(service(standard_minutes=20)) == 20


def test_a_service_may_set_its_own_thresholds():
    s = service(standard_minutes=20, alert_wait_minutes=45, alert_service_minutes=30)
    assert (wait_threshold(s), service_threshold(s)) == (45, 30)


def test_a_zero_threshold_is_a_threshold_not_a_default():
    assert wait_threshold(service(standard_minutes=20, alert_wait_minutes=0)) == 0


def test_a_waiting_ticket_past_the_wait_threshold_is_an_alert():
    early, late = ticket(1, "A001"), ticket(2, "A002", issued_at=minutes(10))
    [alert] = breaches([early, late], {1: service()}, now=minutes(16))
    assert (alert.kind, alert.number, alert.threshold_minutes) == (AlertKind.WAITING, "A001", 15)
    assert alert.minutes == pytest.approx(16) and alert.over_minutes == pytest.approx(1)
    assert alert.since == T0


def test_waiting_exactly_the_threshold_is_not_yet_an_alert():
    assert breaches([ticket(1)], {1: service()}, now=minutes(15)) == []


def test_a_service_past_its_service_threshold_is_an_alert_with_its_counter():
    t = ticket(1)
    t.call(counter_id=3, officer_id=7, at=minutes(1))
    t.start(minutes(2))
    s = service(alert_service_minutes=10)
    assert breaches([t], {1: s}, now=minutes(12)) == []
    [alert] = breaches([t], {1: s}, now=minutes(12.5))
    assert (alert.kind, alert.counter_id, alert.since) == (AlertKind.SERVING, 3, minutes(2))
    assert alert.threshold_minutes == 10


def test_called_and_held_tickets_are_neither_waiting_nor_being_served():
    called, held = ticket(1, "A001"), ticket(2, "A002")
    called.call(counter_id=1, officer_id=7, at=minutes(1))
    held.call(counter_id=2, officer_id=8, at=minutes(1))
    held.start(minutes(2))
    held.hold(minutes(3))
    assert breaches([called, held], {1: service()}, now=minutes(120)) == []


def held_and_resumed() -> Ticket:
    """Started at 2, held at 8 (6 served), resumed at 38 (30 on hold): at 45 it has been served
    6 + 7 = 13 minutes, although 43 have passed since it started."""
    t = ticket(1)
    t.call(counter_id=3, officer_id=7, at=minutes(1))
    t.start(minutes(2))
    t.hold(minutes(8))
    t.resume(counter_id=3, officer_id=7, at=minutes(38))
    return t


def test_a_resumed_service_is_served_minutes_without_its_time_on_hold():
    t = held_and_resumed()
    assert serving_minutes(t, now=minutes(45)) == pytest.approx(13)
    # A timer counting up from 45 - 13 = 32 shows the 13 minutes, and keeps counting with the clock.
    assert serving_since(t, now=minutes(45)) == minutes(32)
    assert serving_since(t, now=minutes(50)) == minutes(32)


def test_a_held_ticket_has_no_serving_timer():
    t = held_and_resumed()
    t.hold(minutes(40))
    assert serving_minutes(t, now=minutes(45)) is None and serving_since(t, now=minutes(45)) is None


def test_time_on_hold_does_not_bring_a_served_ticket_to_an_alert():
    t, s = held_and_resumed(), service()  # standard time 15 minutes
    # 43 minutes since the start, but 13 served: no alert.
    assert breaches([t], {1: s}, now=minutes(45)) == []
    # At 47.5: 6 + 9.5 = 15.5 served, half a minute over; the alert counts from 47.5 - 15.5 = 32.
    [alert] = breaches([t], {1: s}, now=minutes(47.5))
    assert (alert.kind, alert.since, alert.threshold_minutes) == (AlertKind.SERVING, minutes(32), 15)
    assert alert.minutes == pytest.approx(15.5) and alert.over_minutes == pytest.approx(0.5)


def test_alerts_come_most_overdue_first_whatever_the_service():
    short = service(1, "A", standard_minutes=5)
    long = service(2, "C", standard_minutes=30)
    a = ticket(1, "A001", service_id=1, issued_at=minutes(20))  # waited 20, 15 over
    c = ticket(2, "C001", service_id=2)  # waited 40, 10 over
    assert [alert.number for alert in breaches([c, a], {1: short, 2: long}, now=minutes(40))] == ["A001", "C001"]


def test_tickets_of_unknown_services_are_ignored():
    assert breaches([ticket(1, service_id=99)], {1: service()}, now=minutes(60)) == []
