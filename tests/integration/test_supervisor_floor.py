"""The supervisor's floor through the API: alerts, everyone's figures, no-shows, and the supervisor's
actions (move a waiting ticket, close a counter, reopen a no-show), each refused to officers."""

from __future__ import annotations

import pytest

from servicedesk.extensions import db, socketio
from servicedesk.persistence import tables
from tests.builders import act, call_next, issue, refused


def no_show(client, office, auth, code="A", counter=1, officer="siti"):
    ticket = issue(client, office, code)
    auth.at_counter(officer, office.counter(counter))
    called = call_next(client, office.counter(counter)).json
    assert called["id"] == ticket["id"]
    assert act(client, ticket["id"], "no-show").status_code == 200
    auth.logout()
    return ticket


# --- alerts ---


def test_a_wait_past_the_sop_standard_time_is_an_alert(client, office, auth, clock):
    issue(client, office, "A")  # standard time 15 minutes
    clock.advance(minutes=10)
    issue(client, office, "E")  # standard time 10 minutes
    auth.login("supervisor")
    clock.advance(minutes=5)
    assert client.get("/api/v1/alerts").json == []
    clock.advance(minutes=1)  # A001 has waited 16 minutes, E001 6
    [alert] = client.get("/api/v1/alerts").json
    assert (alert["kind"], alert["number"], alert["threshold_minutes"], alert["minutes"]) == ("waiting", "A001", 15, 16)
    assert alert["service"]["code"] == "A" and alert["counter"] is None


def test_a_service_may_alert_earlier_than_its_standard_time(client, office, auth, clock):
    office.update_service("E", alert_wait_minutes=3)
    issue(client, office, "E")
    auth.login("supervisor")
    clock.advance(minutes=4)
    assert [a["number"] for a in client.get("/api/v1/alerts").json] == ["E001"]


def test_a_long_service_is_an_alert_with_its_counter(client, office, auth, clock):
    office.update_service("A", alert_service_minutes=20)
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    clock.advance(minutes=21)
    auth.logout()
    auth.login("supervisor")
    [alert] = client.get("/api/v1/alerts").json
    assert (alert["kind"], alert["number"], alert["threshold_minutes"]) == ("serving", "A001", 20)
    assert alert["counter"]["number"] == 1


def test_an_alert_ends_when_the_visitor_is_called(client, office, auth, clock):
    issue(client, office, "A")
    clock.advance(minutes=30)
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    auth.logout()
    auth.login("supervisor")
    assert client.get("/api/v1/alerts").json == []


def test_alerts_are_for_supervisors_and_admins(client, office, auth):
    assert refused(client.get("/api/v1/alerts"), 401, "unauthorized")
    auth.login("siti")
    assert refused(client.get("/api/v1/alerts"), 403, "forbidden")
    auth.logout()
    auth.login("admin")
    assert client.get("/api/v1/alerts").status_code == 200


# --- everyone's figures ---


def test_the_floor_lists_every_officers_figures_today(client, office, auth, clock):
    issue(client, office, "E")
    auth.at_counter("budi", office.counter(2))
    ticket = call_next(client, office.counter(2)).json
    act(client, ticket["id"], "start")
    clock.advance(minutes=12)  # standard time of E: 10 minutes
    act(client, ticket["id"], "finish")
    auth.logout()
    auth.login("supervisor")
    rows = {f["full_name"]: f for f in client.get("/api/v1/figures").json}
    assert set(rows) >= {"Siti Rahmawati, S.Pd.", "Budi Santoso", "Agus Salim, S.T.", "Dewi Lestari, S.E."}
    budi = rows["Budi Santoso"]
    assert (budi["served"], budi["mean_service_minutes"], budi["within_standard_share"]) == (1, 12.0, 0.0)
    assert rows["Siti Rahmawati, S.Pd."]["served"] == 0


def test_everyones_figures_are_for_supervisors(client, office, auth):
    auth.login("budi")
    assert refused(client.get("/api/v1/figures"), 403, "forbidden")


# --- moving a waiting ticket ---


def test_a_supervisor_moves_a_waiting_ticket_and_the_floor_hears_both_queues(app, client, office, auth):
    ticket = issue(client, office, "A")
    auth.login("supervisor")
    floor = socketio.test_client(app, flask_test_client=client)
    floor.get_received()
    moved = act(client, ticket["id"], "transfer", to_service_id=office.service("B"), note="salah pilih")
    assert moved.status_code == 200
    assert (moved.json["number"], moved.json["service"]["code"], moved.json["status"]) == ("A001", "B", "waiting")
    events = floor.get_received()
    assert [e["args"][0]["service"]["code"] for e in events if e["name"] == "ticket.transferred"] == ["B"]
    lines = {e["args"][0]["code"]: e["args"][0]["waiting"] for e in events if e["name"] == "queue.changed"}
    assert lines == {"A": 0, "B": 1}


def test_an_officer_cannot_move_a_waiting_ticket(client, office, auth):
    ticket = issue(client, office, "A")
    auth.login("siti")
    assert refused(act(client, ticket["id"], "transfer", to_service_id=office.service("B")), 403, "forbidden")


def test_moving_a_ticket_to_its_own_service_is_a_409(client, office, auth):
    ticket = issue(client, office, "A")
    auth.login("supervisor")
    assert refused(act(client, ticket["id"], "transfer", to_service_id=office.service("A")), 409, "same_service")


# --- closing a counter ---


def test_a_supervisor_closes_a_counter_left_open(client, office, auth):
    auth.at_counter("siti", office.counter(1))
    auth.logout()
    auth.login("supervisor")
    closed = client.post(f"/api/v1/counters/{office.counter(1)}/close")
    assert closed.status_code == 200
    assert (closed.json["status"], closed.json["officer_id"]) == ("closed", None)


def test_a_counter_with_a_visitor_at_it_is_not_closed_under_them(client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    auth.logout()
    auth.login("supervisor")
    assert refused(client.post(f"/api/v1/counters/{office.counter(1)}/close"), 409, "counter_busy")


# --- no-shows ---


def test_todays_no_shows_are_listed_latest_first(client, office, auth, clock):
    no_show(client, office, auth, "A")
    clock.advance(minutes=2)
    no_show(client, office, auth, "E", counter=2, officer="budi")
    auth.login("supervisor")
    assert [t["number"] for t in client.get("/api/v1/no-shows").json] == ["E001", "A001"]
    clock.advance(days=1)
    assert client.get("/api/v1/no-shows").json == []


def test_a_supervisor_reopens_a_no_show_past_the_window_and_it_is_called_first(client, office, auth, clock):
    office.configure(no_show_window_minutes=5)
    late = no_show(client, office, auth, "A")
    clock.advance(minutes=1)
    issue(client, office, "A")
    clock.advance(minutes=40)
    auth.login("siti")
    assert refused(act(client, late["id"], "requeue"), 409, "requeue_window_passed")
    assert refused(act(client, late["id"], "reopen"), 403, "forbidden")
    auth.logout()
    auth.login("supervisor")
    reopened = act(client, late["id"], "reopen")
    assert reopened.status_code == 200 and reopened.json["status"] == "waiting"
    assert client.get("/api/v1/no-shows").json == []
    with client.application.app_context():
        row = db.session.execute(
            tables.ticket_events.select()
            .where(tables.ticket_events.c.ticket_id == late["id"])
            .order_by(tables.ticket_events.c.id.desc())
        ).first()
    assert (row.kind.value, row.officer_id) == ("requeued", office.users["supervisor"])
    auth.logout()
    auth.login("siti")
    assert call_next(client, office.counter(1)).json["number"] == late["number"]


@pytest.mark.parametrize("state", ["waiting", "called"])
def test_only_a_no_show_is_reopened(client, office, auth, state):
    ticket = issue(client, office, "A")
    if state == "called":
        auth.at_counter("siti", office.counter(1))
        call_next(client, office.counter(1))
        auth.logout()
    auth.login("supervisor")
    assert refused(act(client, ticket["id"], "reopen"), 409, "invalid_transition")


def test_a_no_show_of_another_day_is_not_reopened(client, office, auth, clock):
    ticket = no_show(client, office, auth, "A")
    clock.advance(days=1)
    auth.login("supervisor")
    assert refused(act(client, ticket["id"], "reopen"), 409, "not_today")


def test_reopening_an_unknown_ticket_is_a_404(client, office, auth):
    auth.login("supervisor")
    assert refused(act(client, 999_999, "reopen"), 404, "not_found")


def test_no_shows_need_a_login(client, office):
    assert refused(client.get("/api/v1/no-shows"), 401, "unauthorized")
    assert refused(act(client, 1, "reopen"), 401, "unauthorized")


def test_a_supervisor_can_reopen_within_the_window_too(client, office, auth, clock):
    ticket = no_show(client, office, auth, "A")
    clock.advance(seconds=30)
    auth.login("supervisor")
    assert act(client, ticket["id"], "reopen").json["status"] == "waiting"
