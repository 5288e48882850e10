"""What the officer console asks of the API, and every action the API refuses an officer.

test_calling.py covers the queue rules themselves; here: today's figures, the wrong counter, the
wrong competence, the wrong role and stale transitions, each through the API the console uses.
"""

from __future__ import annotations

import pytest

from servicedesk.extensions import socketio
from tests.builders import act, call_next, issue, refused


def serve(client, counter_id, clock, minutes):
    ticket = call_next(client, counter_id).json
    act(client, ticket["id"], "start")
    clock.advance(minutes=minutes)
    assert act(client, ticket["id"], "finish").status_code == 200
    return ticket


# --- today's own figures ---


def test_my_figures_count_what_i_served_and_how_often_within_the_standard_time(client, office, auth, clock):
    for _ in range(4):
        issue(client, office, "A")  # standard time 15 minutes
    auth.at_counter("siti", office.counter(1))
    serve(client, office.counter(1), clock, 10)
    serve(client, office.counter(1), clock, 20)
    skipped = call_next(client, office.counter(1)).json
    act(client, skipped["id"], "no-show")
    moved = call_next(client, office.counter(1)).json
    act(client, moved["id"], "start")
    act(client, moved["id"], "transfer", to_service_id=office.service("D"))
    mine = client.get("/api/v1/figures/me").json
    assert mine["officer_id"] == office.users["siti"]
    assert (mine["served"], mine["no_shows"], mine["transferred"]) == (2, 1, 1)
    assert mine["mean_service_minutes"] == 15.0
    assert (mine["within_standard"], mine["within_standard_share"]) == (1, 0.5)


def test_time_on_hold_is_not_service_time(client, office, auth, clock):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    clock.advance(minutes=5)
    act(client, ticket["id"], "hold")
    clock.advance(minutes=30)  # the visitor fetches a document
    act(client, ticket["id"], "resume")
    clock.advance(minutes=5)
    act(client, ticket["id"], "finish")
    mine = client.get("/api/v1/figures/me").json
    assert mine["mean_service_minutes"] == 10.0 and mine["within_standard_share"] == 1.0


def test_the_wait_estimate_averages_service_times_without_the_time_on_hold(client, office, auth, clock):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))  # the only counter open for A
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    clock.advance(minutes=4)
    act(client, ticket["id"], "hold")
    clock.advance(minutes=30)  # on hold: not service
    act(client, ticket["id"], "resume")
    clock.advance(minutes=2)
    act(client, ticket["id"], "finish")  # served 4 + 2 = 6 minutes, not 36
    issue(client, office, "A")
    third = issue(client, office, "A")
    # one person ahead x 6 minutes / 1 open counter (the SOP's 15 minutes only stand in without history)
    assert (third["people_ahead"], third["estimated_wait_minutes"]) == (1, 6)


def test_a_transferred_visit_counts_each_officers_part_only(client, office, auth, clock):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    clock.advance(minutes=12)
    act(client, ticket["id"], "transfer", to_service_id=office.service("D"), note="juga urus TPG")
    auth.logout()
    auth.at_counter("agus", office.counter(3))
    serve(client, office.counter(3), clock, 8)
    agus = client.get("/api/v1/figures/me").json
    assert (agus["served"], agus["mean_service_minutes"], agus["within_standard_share"]) == (1, 8.0, 1.0)


def test_yesterdays_work_is_not_in_todays_figures(client, office, auth, clock):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    serve(client, office.counter(1), clock, 5)
    clock.advance(days=1)
    mine = client.get("/api/v1/figures/me").json
    assert (mine["served"], mine["mean_service_minutes"], mine["within_standard_share"]) == (0, None, None)


def test_figures_need_a_login(client, office):
    assert refused(client.get("/api/v1/figures/me"), 401, "unauthorized")


# --- the wrong counter ---


@pytest.mark.parametrize("action", ["recall", "start", "no-show", "hold"])
def test_an_officer_cannot_act_on_a_called_ticket_at_another_counter(client, office, auth, action):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    auth.logout()
    auth.at_counter("budi", office.counter(2))  # budi may serve A, but not at siti's counter
    assert refused(act(client, ticket["id"], action), 403, "not_your_counter")


def test_an_officer_cannot_finish_or_transfer_a_ticket_served_at_another_counter(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    auth.logout()
    auth.at_counter("budi", office.counter(2))
    assert refused(act(client, ticket["id"], "finish"), 403, "not_your_counter")
    assert refused(act(client, ticket["id"], "transfer", to_service_id=office.service("E")), 403, "not_your_counter")


def test_an_officer_cannot_resume_a_held_ticket_at_a_counter_they_did_not_open(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    act(client, ticket["id"], "hold")
    auth.logout()
    auth.at_counter("budi", office.counter(2))
    assert refused(act(client, ticket["id"], "resume", counter_id=office.counter(1)), 403, "not_your_counter")


@pytest.mark.parametrize("action", ["call-next", "break", "close"])
def test_an_officer_cannot_run_a_counter_someone_else_opened(client, office, auth, action):
    auth.at_counter("siti", office.counter(1))
    auth.logout()
    auth.login("budi")
    assert refused(client.post(f"/api/v1/counters/{office.counter(1)}/{action}"), 403, "not_your_counter")


def test_an_officer_cannot_call_a_specific_ticket_at_a_counter_they_did_not_open(client, office, auth):
    ticket = issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    response = client.post(
        f"/api/v1/counters/{office.counter(2)}/call", json={"ticket_id": ticket["id"], "reason": "x"}
    )
    assert refused(response, 403, "not_your_counter")


def test_opening_a_second_counter_closes_the_first(client, office, auth):
    auth.at_counter("budi", office.counter(1))
    client.post(f"/api/v1/counters/{office.counter(2)}/open")
    counters = {c["number"]: c for c in client.get("/api/v1/counters").json}
    assert counters[1]["status"] == "closed" and counters[1]["officer_id"] is None
    assert counters[2]["status"] == "open" and counters[2]["officer_id"] == office.users["budi"]


def test_an_officer_cannot_leave_a_counter_with_a_visitor_at_it(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("budi", office.counter(1))
    call_next(client, office.counter(1))
    assert refused(client.post(f"/api/v1/counters/{office.counter(2)}/open"), 409, "counter_busy")
    assert refused(client.post(f"/api/v1/counters/{office.counter(1)}/close"), 409, "counter_busy")


# --- services outside the officer's competence ---


def test_an_officer_cannot_call_a_ticket_of_a_service_the_counter_does_not_give(client, office, auth):
    ticket = issue(client, office, "B")
    auth.at_counter("dewi", office.counter(2))  # dewi may serve B, but counter 2 gives A and E
    response = client.post(
        f"/api/v1/counters/{office.counter(2)}/call", json={"ticket_id": ticket["id"], "reason": "sudah lama"}
    )
    assert refused(response, 403, "not_served_here")


def test_an_officer_cannot_resume_a_ticket_of_a_service_they_do_not_serve(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    act(client, ticket["id"], "hold")
    auth.logout()
    auth.at_counter("dewi", office.counter(4))  # dewi: B, D, E
    assert refused(act(client, ticket["id"], "resume", counter_id=office.counter(4)), 403, "not_competent")


def test_an_officer_cannot_requeue_or_cancel_a_ticket_outside_their_competence(client, office, auth):
    waiting = issue(client, office, "C")
    auth.login("siti")  # A and B
    assert refused(act(client, waiting["id"], "cancel", reason="Salah memilih layanan"), 403, "not_competent")
    assert refused(act(client, waiting["id"], "requeue"), 403, "not_competent")


def test_call_next_never_calls_a_ticket_outside_the_officers_competence(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("dewi", office.counter(2))  # counter 2 gives A and E; dewi serves E only
    assert refused(call_next(client, office.counter(2)), 404, "queue_empty")


# --- stale transitions ---


def test_starting_twice_is_a_409(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    assert act(client, ticket["id"], "start").status_code == 200
    assert refused(act(client, ticket["id"], "start"), 409, "invalid_transition")


@pytest.mark.parametrize("action", ["recall", "no-show", "start", "hold", "finish"])
def test_nothing_more_happens_to_a_finished_ticket(client, office, auth, action):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    act(client, ticket["id"], "finish")
    assert refused(act(client, ticket["id"], action), 409, "invalid_transition")


def test_a_ticket_being_served_is_not_a_no_show_and_is_not_recalled(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    assert refused(act(client, ticket["id"], "no-show"), 409, "invalid_transition")
    assert refused(act(client, ticket["id"], "recall"), 409, "invalid_transition")


def test_resuming_a_ticket_that_is_not_on_hold_is_a_409(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    assert refused(act(client, ticket["id"], "resume"), 409, "invalid_transition")


def test_a_finished_ticket_cannot_be_transferred(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    act(client, ticket["id"], "finish")
    assert refused(act(client, ticket["id"], "transfer", to_service_id=office.service("B")), 409, "invalid_transition")


def test_calling_a_ticket_someone_else_already_called_is_a_409(client, office, auth):
    ticket = issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    auth.logout()
    auth.at_counter("budi", office.counter(2))
    response = client.post(
        f"/api/v1/counters/{office.counter(2)}/call", json={"ticket_id": ticket["id"], "reason": "x"}
    )
    assert refused(response, 409, "invalid_transition")


def test_a_break_stops_calling_until_the_officer_opens_again(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    assert client.post(f"/api/v1/counters/{office.counter(1)}/break").json["status"] == "break"
    assert refused(call_next(client, office.counter(1)), 409, "counter_not_open")
    assert client.post(f"/api/v1/counters/{office.counter(1)}/open").json["status"] == "open"
    assert call_next(client, office.counter(1)).json["number"] == "A001"


# --- the live waiting list ---


def test_an_officers_session_hears_the_waiting_list_change(app, client, office, auth):
    auth.at_counter("budi", office.counter(2))
    console = socketio.test_client(app, flask_test_client=client)
    [snapshot] = [e for e in console.get_received() if e["name"] == "snapshot"]
    assert snapshot["args"][0]["kind"] == "staff"
    issue(client, office, "E", priority=True)
    events = console.get_received()
    [issued] = [e["args"][0] for e in events if e["name"] == "ticket.issued"]
    assert (issued["number"], issued["status"], issued["priority"]) == ("E001", "waiting", True)
    assert issued["service"]["code"] == "E" and "queued_at" in issued
    [line] = [e["args"][0] for e in events if e["name"] == "queue.changed"]
    assert (line["code"], line["waiting"]) == ("E", 1)
    call_next(client, office.counter(2))
    names = [e["name"] for e in console.get_received()]
    assert "ticket.called" in names and "counter.changed" in names
