from datetime import UTC, date, datetime, timedelta

import pytest

from servicedesk.domain.errors import InvalidTransition
from servicedesk.domain.model import DAY_END_REASON, EventKind, Ticket, TicketChanged, TicketStatus

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def ticket(**kwargs) -> Ticket:
    defaults = dict(service_id=1, number="A001", sequence=1, service_day=date(2026, 11, 2), token="t", issued_at=T0)
    return Ticket(**{**defaults, **kwargs})


def kinds(t: Ticket) -> list[str]:
    return [e.kind.value for e in t.events]


def test_a_new_ticket_waits_and_records_its_issue():
    t = ticket()
    assert t.status == TicketStatus.WAITING
    assert kinds(t) == ["issued"]
    assert t.changes == [TicketChanged(EventKind.ISSUED, t)]


def test_the_happy_path_records_who_and_where_at_every_step():
    t = ticket()
    t.call(counter_id=2, officer_id=7, at=T0 + timedelta(minutes=5))
    t.start(T0 + timedelta(minutes=6))
    t.finish(T0 + timedelta(minutes=20))
    assert t.status == TicketStatus.DONE
    assert kinds(t) == ["issued", "called", "serving", "done"]
    assert [(e.counter_id, e.officer_id) for e in t.events[1:]] == [(2, 7)] * 3
    assert (t.called_at, t.started_at, t.finished_at) == (
        T0 + timedelta(minutes=5),
        T0 + timedelta(minutes=6),
        T0 + timedelta(minutes=20),
    )


def test_finishing_twice_is_refused():
    t = ticket()
    t.call(1, 1, T0)
    t.start(T0)
    t.finish(T0)
    with pytest.raises(InvalidTransition, match="it is done"):
        t.finish(T0)


def test_a_waiting_ticket_cannot_be_started_or_finished():
    for action in (lambda t: t.start(T0), lambda t: t.finish(T0), lambda t: t.recall(T0, 3)):
        with pytest.raises(InvalidTransition):
            action(ticket())


def test_recalls_are_limited():
    t = ticket()
    t.call(1, 1, T0)
    t.recall(T0, max_recalls=2)
    t.recall(T0, max_recalls=2)
    with pytest.raises(InvalidTransition) as refused:
        t.recall(T0, max_recalls=2)
    assert refused.value.code == "recall_limit"
    assert kinds(t).count("recalled") == 2


def test_a_late_no_show_returns_to_its_original_place_within_the_window():
    t = ticket()
    t.call(1, 1, T0 + timedelta(minutes=10))
    t.mark_no_show(T0 + timedelta(minutes=12))
    t.requeue(T0 + timedelta(minutes=30), window_minutes=30, officer_id=1)
    assert t.status == TicketStatus.WAITING
    assert t.queued_at == T0
    assert t.counter_id is None
    assert kinds(t)[-2:] == ["no_show", "requeued"]


def test_a_no_show_past_the_window_cannot_be_requeued():
    t = ticket()
    t.call(1, 1, T0)
    t.mark_no_show(T0)
    with pytest.raises(InvalidTransition) as refused:
        t.requeue(T0 + timedelta(minutes=31), window_minutes=30, officer_id=1)
    assert refused.value.code == "requeue_window_passed"


def test_a_transfer_keeps_the_number_and_history_and_enters_the_target_queue():
    t = ticket()
    t.call(1, 1, T0)
    t.start(T0)
    t.transfer(3, T0 + timedelta(minutes=9), queued_at=T0, officer_id=1, note="needs legalisir too")
    assert (t.number, t.service_id, t.status) == ("A001", 3, TicketStatus.WAITING)
    assert t.origin_service_id == 1
    assert t.counter_id is None and t.transfer_note == "needs legalisir too"
    transferred = t.events[-1]
    assert (transferred.kind, transferred.service_id, transferred.to_service_id) == (EventKind.TRANSFERRED, 1, 3)
    assert t.changes[-1] == TicketChanged(EventKind.TRANSFERRED, t, previous_service_id=1)


def test_a_transfer_to_the_same_service_is_refused():
    t = ticket()
    with pytest.raises(InvalidTransition):
        t.transfer(1, T0, T0, None, None)


def test_hold_and_resume_continue_the_service_at_a_counter():
    t = ticket()
    t.call(1, 1, T0)
    t.start(T0)
    t.hold(T0 + timedelta(minutes=2))
    assert t.status == TicketStatus.HELD
    t.resume(counter_id=2, officer_id=5, at=T0 + timedelta(minutes=10))
    assert (t.status, t.counter_id, t.officer_id) == (TicketStatus.SERVING, 2, 5)
    assert kinds(t)[-2:] == ["held", "resumed"]


def test_a_done_ticket_cannot_be_cancelled():
    t = ticket()
    t.call(1, 1, T0)
    t.start(T0)
    t.finish(T0)
    with pytest.raises(InvalidTransition):
        t.cancel(T0, None)


def test_cancelling_keeps_the_reason():
    t = ticket()
    t.cancel(T0, officer_id=None, reason="visitor left")
    assert t.status == TicketStatus.CANCELLED
    assert t.events[-1].note == "visitor left"


def test_closing_the_day_marks_open_tickets_as_not_served():
    serving = ticket()
    serving.call(1, 1, T0)
    serving.start(T0)
    serving.close_unserved(T0)
    assert serving.status == TicketStatus.CANCELLED
    assert serving.events[-1].note == DAY_END_REASON == "closed_at_day_end"


def test_after_a_transfer_the_service_time_starts_again_in_the_new_service():
    t = ticket()
    t.call(1, 1, T0)
    t.start(T0 + timedelta(minutes=1))
    t.transfer(3, T0 + timedelta(minutes=5), queued_at=T0, officer_id=1, note=None)
    t.call(4, 2, T0 + timedelta(minutes=20))
    t.hold(T0 + timedelta(minutes=21))
    t.resume(counter_id=4, officer_id=2, at=T0 + timedelta(minutes=30))
    assert t.started_at == T0 + timedelta(minutes=30)


def test_a_late_visitor_back_at_the_end_of_the_line_queues_from_the_return():
    t = ticket()
    t.call(1, 1, T0)
    t.mark_no_show(T0 + timedelta(minutes=2))
    t.requeue(T0 + timedelta(minutes=7), 30, officer_id=1, position="end")
    assert t.status == TicketStatus.WAITING and t.queued_at == T0 + timedelta(minutes=7)


def test_a_late_visitor_back_at_the_original_place_keeps_the_first_arrival():
    t = ticket()
    t.call(1, 1, T0)
    t.mark_no_show(T0 + timedelta(minutes=2))
    t.requeue(T0 + timedelta(minutes=7), 30, officer_id=1, position="original")
    assert t.queued_at == t.issued_at
