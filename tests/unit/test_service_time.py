"""What the ticket row stores for the reports: the wait until the first call, and the service time
of the visit that finished, time on hold excluded (Ticket.call, Ticket.served_seconds)."""

from datetime import UTC, date, datetime, timedelta

from servicedesk.domain.model import Ticket

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ticket() -> Ticket:
    return Ticket(service_id=1, number="A001", sequence=1, service_day=date(2026, 11, 2), token="t", issued_at=T0)


def test_the_wait_ends_at_the_first_call_even_when_the_visitor_is_called_again():
    t = ticket()
    t.call(1, 1, at(12))
    t.mark_no_show(at(14))
    t.requeue(at(20), window_minutes=30, officer_id=1)
    t.call(2, 2, at(25))
    assert t.wait_seconds == 12 * 60  # not 25: the visitor waited once


def test_a_hold_is_not_service_time():
    t = ticket()
    t.call(1, 1, at(0))
    t.start(at(1))
    t.hold(at(5))  # 4 min served
    t.resume(1, 1, at(35))  # 30 min fetching a document
    t.hold(at(36))  # 1 min
    t.resume(1, 1, at(40))
    t.finish(at(42))  # 2 min
    assert t.service_seconds == (4 + 1 + 2) * 60
    assert t.finished_at - t.started_at == timedelta(minutes=41)  # what counting the holds would give


def test_a_hold_before_service_began_does_not_count_and_service_starts_at_the_resume():
    t = ticket()
    t.call(1, 1, at(0))
    t.hold(at(1))
    t.resume(1, 1, at(11))
    t.finish(at(20))
    assert (t.started_at, t.service_seconds) == (at(11), 9 * 60)


def test_after_a_transfer_only_the_service_that_finishes_counts():
    t = ticket()
    t.call(1, 1, at(0))
    t.start(at(0))
    t.hold(at(3))
    t.resume(1, 1, at(8))
    t.transfer(2, at(10), queued_at=T0, officer_id=1, note=None)  # 3 + 2 min served in service 1
    t.call(4, 2, at(20))
    t.start(at(21))
    t.finish(at(29))
    assert (t.service_seconds, t.wait_seconds) == (8 * 60, 0)


def test_a_visit_being_served_counts_up_to_now_and_stops_while_held():
    t = ticket()
    t.call(1, 1, at(0))
    t.start(at(0))
    assert t.served_seconds(at(6)) == 6 * 60
    t.hold(at(6))
    assert t.served_seconds(at(30)) == 6 * 60
    t.resume(1, 1, at(30))
    assert t.served_seconds(at(31)) == 7 * 60
    assert t.service_seconds is None  # stored when the visit finishes
