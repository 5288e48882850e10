"""Calling and serving at the counter, and what each person is not allowed to do."""

from datetime import timedelta

import pytest

from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.builders import act, call_next, issue


def error_code(response):
    return response.json["error"]["code"]


def test_call_next_gives_the_oldest_waiting_ticket_of_the_counters_services(client, office, auth, clock):
    issue(client, office, "C")  # not served at counter 1
    first = issue(client, office, "B")
    clock.advance(minutes=1)
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))  # counter 1 serves A and B; siti may serve A and B
    response = call_next(client, office.counter(1))
    assert response.status_code == 200
    assert response.json["number"] == first["number"] == "B001"
    assert response.json["status"] == "called"
    assert response.json["counter"]["number"] == 1


def test_call_next_skips_services_the_officer_cannot_serve(client, office, auth, clock):
    issue(client, office, "A")
    clock.advance(minutes=1)
    issue(client, office, "E")
    auth.at_counter("dewi", office.counter(2))  # counter 2 serves A and E; dewi may serve E, not A
    assert call_next(client, office.counter(2)).json["number"] == "E001"


def test_an_empty_queue_answers_404_queue_empty(client, office, auth):
    auth.at_counter("siti", office.counter(1))
    response = call_next(client, office.counter(1))
    assert response.status_code == 404
    assert error_code(response) == "queue_empty"


def test_priority_visitors_go_first_but_regular_ones_are_not_starved(client, office, auth, clock):
    office.configure(priority_max_in_a_row=2)
    issue(client, office, "A")  # A001 regular, oldest
    for _ in range(4):
        clock.advance(seconds=10)
        issue(client, office, "A", priority=True)  # A002..A005
    auth.at_counter("siti", office.counter(1))
    called = []
    for _ in range(5):
        ticket = call_next(client, office.counter(1)).json
        called.append(ticket["number"])
        act(client, ticket["id"], "start")
        act(client, ticket["id"], "finish")
    assert called == ["A002", "A003", "A001", "A004", "A005"]


def test_a_full_visit_writes_one_event_row_per_step_with_counter_and_officer(client, office, auth, clock):
    ticket = issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    called = call_next(client, office.counter(1)).json
    clock.advance(minutes=1)
    assert act(client, called["id"], "recall").json["recall_count"] == 1
    assert act(client, called["id"], "start").json["status"] == "serving"
    clock.advance(minutes=12)
    assert act(client, called["id"], "finish").json["status"] == "done"
    with client.application.app_context():
        rows = db.session.execute(
            tables.ticket_events.select()
            .where(tables.ticket_events.c.ticket_id == called["id"])
            .order_by(tables.ticket_events.c.id)
        ).all()
    assert [r.kind.value for r in rows] == ["issued", "called", "recalled", "serving", "done"]
    assert {r.counter_id for r in rows[1:]} == {office.counter(1)}
    assert {r.officer_id for r in rows[1:]} == {office.users["siti"]}
    assert rows[-1].at - rows[3].at == timedelta(minutes=12)
    assert ticket["number"] == called["number"]


def test_finishing_a_ticket_twice_is_a_409(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    assert act(client, ticket["id"], "finish").status_code == 200
    again = act(client, ticket["id"], "finish")
    assert again.status_code == 409 and error_code(again) == "invalid_transition"


def test_a_counter_with_a_called_ticket_cannot_call_another(client, office, auth):
    issue(client, office, "A")
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    busy = call_next(client, office.counter(1))
    assert busy.status_code == 409 and error_code(busy) == "counter_busy"


def test_recalls_stop_at_the_office_limit(client, office, auth):
    office.configure(max_recalls=1)
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    assert act(client, ticket["id"], "recall").status_code == 200
    limit = act(client, ticket["id"], "recall")
    assert limit.status_code == 409 and error_code(limit) == "recall_limit"


def test_a_no_show_can_be_requeued_within_the_window_and_is_called_first(client, office, auth, clock):
    issue(client, office, "A")
    clock.advance(minutes=1)
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    late = call_next(client, office.counter(1)).json
    assert act(client, late["id"], "no-show").json["status"] == "no_show"
    clock.advance(minutes=10)
    assert act(client, late["id"], "requeue").json["status"] == "waiting"
    assert call_next(client, office.counter(1)).json["number"] == late["number"]


def test_a_no_show_past_the_window_is_not_requeued(client, office, auth, clock):
    office.configure(no_show_window_minutes=5)
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "no-show")
    clock.advance(minutes=6)
    response = act(client, ticket["id"], "requeue")
    assert response.status_code == 409 and error_code(response) == "requeue_window_passed"


def test_a_transfer_keeps_the_number_and_enters_the_target_queue(client, office, auth, clock):
    issue(client, office, "A")
    clock.advance(minutes=5)
    issue(client, office, "D")  # D001 arrives after A001
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    moved = act(client, ticket["id"], "transfer", to_service_id=office.service("D"), note="juga urus TPG")
    assert moved.status_code == 200
    assert (moved.json["number"], moved.json["service"]["code"], moved.json["status"]) == ("A001", "D", "waiting")
    assert moved.json["transfer_note"] == "juga urus TPG"
    auth.logout()
    auth.at_counter("agus", office.counter(3))  # C and D
    # At its original arrival time, A001 is older than D001.
    assert call_next(client, office.counter(3)).json["number"] == "A001"


def test_a_transfer_can_go_to_the_front_of_the_target_queue(client, office, auth, clock):
    office.configure(transfer_position="front")
    issue(client, office, "D")
    clock.advance(minutes=5)
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    act(client, ticket["id"], "transfer", to_service_id=office.service("D"))
    auth.logout()
    auth.at_counter("agus", office.counter(3))
    assert call_next(client, office.counter(3)).json["number"] == "A001"


def test_hold_frees_the_counter_and_resume_takes_the_ticket_back(client, office, auth):
    issue(client, office, "A")
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    held = call_next(client, office.counter(1)).json
    act(client, held["id"], "start")
    assert act(client, held["id"], "hold").json["status"] == "held"
    other = call_next(client, office.counter(1)).json
    assert other["number"] == "A002"
    blocked = act(client, held["id"], "resume")
    assert blocked.status_code == 409 and error_code(blocked) == "counter_busy"
    act(client, other["id"], "start")
    act(client, other["id"], "finish")
    assert act(client, held["id"], "resume").json["status"] == "serving"


def test_calling_a_specific_ticket_needs_a_reason_and_logs_it(client, office, auth):
    issue(client, office, "A")
    wanted = issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    no_reason = client.post(f"/api/v1/counters/{office.counter(1)}/call", json={"ticket_id": wanted["id"]})
    assert no_reason.status_code == 422
    response = client.post(
        f"/api/v1/counters/{office.counter(1)}/call", json={"ticket_id": wanted["id"], "reason": "lansia, dokumen siap"}
    )
    assert response.status_code == 200 and response.json["number"] == "A002"
    with client.application.app_context():
        note = (
            db.session.execute(
                tables.ticket_events.select().where(
                    tables.ticket_events.c.ticket_id == wanted["id"], tables.ticket_events.c.kind == "called"
                )
            )
            .one()
            .note
        )
    assert note == "lansia, dokumen siap"


def test_cancel_by_an_officer_keeps_the_reason(client, office, auth):
    ticket = issue(client, office, "A")
    auth.login("siti")
    response = act(client, ticket["id"], "cancel", reason="Salah memilih layanan")
    assert response.status_code == 200 and response.json["status"] == "cancelled"


# --- what is forbidden ---


def test_anonymous_visitors_cannot_call_or_act(client, office):
    ticket = issue(client, office, "A")
    assert call_next(client, office.counter(1)).status_code == 401
    for action in ("recall", "start", "finish", "no-show", "hold", "cancel"):
        response = act(client, ticket["id"], action)
        assert response.status_code == 401, action
        assert error_code(response) == "unauthorized"
    assert client.get("/api/v1/queue").status_code == 401


def test_an_officer_cannot_call_at_a_counter_they_did_not_open(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    response = call_next(client, office.counter(2))
    assert response.status_code == 403 and error_code(response) == "not_your_counter"


def test_a_counter_opened_by_one_officer_cannot_be_taken_by_another(client, office, auth):
    auth.at_counter("siti", office.counter(1))
    auth.logout()
    auth.login("budi")
    response = client.post(f"/api/v1/counters/{office.counter(1)}/open")
    assert response.status_code == 409 and error_code(response) == "counter_taken"


def test_an_officer_cannot_act_on_a_ticket_at_another_counter(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    auth.logout()
    auth.at_counter("budi", office.counter(2))
    response = act(client, ticket["id"], "finish")
    assert response.status_code == 403


def test_an_officer_cannot_call_a_specific_ticket_outside_their_competence(client, office, auth):
    e_ticket = issue(client, office, "E")
    auth.at_counter("siti", office.counter(1))  # counter 1: A, B; siti: A, B
    response = client.post(
        f"/api/v1/counters/{office.counter(1)}/call", json={"ticket_id": e_ticket["id"], "reason": "test"}
    )
    assert response.status_code == 403 and error_code(response) == "not_competent"


def test_a_counter_on_break_does_not_call(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    client.post(f"/api/v1/counters/{office.counter(1)}/break")
    response = call_next(client, office.counter(1))
    assert response.status_code == 409 and error_code(response) == "counter_not_open"


def test_only_a_supervisor_moves_a_waiting_ticket(client, office, auth):
    ticket = issue(client, office, "A")
    auth.login("siti")
    assert act(client, ticket["id"], "transfer", to_service_id=office.service("B")).status_code == 403
    auth.logout()
    auth.login("supervisor")
    moved = act(client, ticket["id"], "transfer", to_service_id=office.service("B"))
    assert moved.status_code == 200 and moved.json["service"]["code"] == "B"


@pytest.mark.parametrize("action", ["recall", "start", "finish", "no-show", "requeue", "hold", "resume", "cancel"])
def test_actions_on_an_unknown_ticket_are_404(client, office, auth, action):
    auth.login("supervisor")
    response = act(client, 999_999, action, **({"reason": "Salah memilih layanan"} if action == "cancel" else {}))
    assert response.status_code == 404 and error_code(response) == "not_found"


def test_the_queue_overview_lists_waiting_tickets_per_service_and_counters(client, office, auth):
    issue(client, office, "A")
    issue(client, office, "B", priority=True)
    auth.at_counter("siti", office.counter(1))
    body = client.get("/api/v1/queue").json
    lines = {q["code"]: q for q in body["queues"]}
    assert lines["A"]["waiting_numbers"] == ["A001"] and lines["B"]["waiting"] == 1
    counters = {c["number"]: c for c in body["counters"]}
    assert counters[1]["status"] == "open" and counters[1]["officer_name"].startswith("Siti")
    assert {t["number"] for t in body["tickets"]} == {"A001", "B001"}
