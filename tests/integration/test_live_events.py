"""Socket.IO events after commit, and snapshots on connect (Flask-SocketIO's in-process test client)."""

import time

import pytest

from servicedesk.extensions import socketio
from servicedesk.services.devices import register_device
from servicedesk.web.context import unit_of_work
from tests.builders import Auth, OfficeBuilder
from tests.conftest import close_app, make_app


def received(sio_client, name=None):
    events = sio_client.get_received()
    return [e for e in events if name is None or e["name"] == name]


def test_a_display_gets_a_snapshot_on_connect_and_the_call_after_it(app, client, office, auth):
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    display = socketio.test_client(app, auth={"area": "Lantai 1"})
    assert display.is_connected()
    [snapshot] = received(display, "snapshot")
    assert snapshot["args"][0]["kind"] == "display"
    assert {q["code"]: q["waiting"] for q in snapshot["args"][0]["queues"]}["A"] == 1

    auth.at_counter("siti", office.counter(1))
    called = client.post(f"/api/v1/counters/{office.counter(1)}/call-next").json
    events = received(display)
    [call] = [e["args"][0] for e in events if e["name"] == "ticket.called"]
    assert call["number"] == called["number"] == "A001"
    assert call["counter"]["number"] == 1 and call["recall"] is False
    assert call["event_id"] > snapshot["args"][0]["last_event_id"] - 1
    assert any(e["name"] == "queue.changed" and e["args"][0]["code"] == "A" for e in events)
    counters = [e["args"][0] for e in events if e["name"] == "counter.changed"]
    assert counters and "officer_name" not in counters[-1]  # displays never show names


def test_a_recall_is_announced_again_with_the_recall_flag(app, client, office, auth):
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    auth.at_counter("siti", office.counter(1))
    ticket = client.post(f"/api/v1/counters/{office.counter(1)}/call-next").json
    display = socketio.test_client(app, auth={"area": ""})
    received(display)
    client.post(f"/api/v1/tickets/{ticket['id']}/recall")
    [recall] = [e["args"][0] for e in received(display) if e["name"] == "ticket.recalled"]
    assert recall["recall"] is True and recall["number"] == "A001"


def test_a_display_of_another_area_does_not_announce_the_call(app, client, office, auth):
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    elsewhere = socketio.test_client(app, auth={"area": "Lantai 2"})
    received(elsewhere)
    auth.at_counter("siti", office.counter(1))  # Lantai 1
    client.post(f"/api/v1/counters/{office.counter(1)}/call-next")
    names = {e["name"] for e in received(elsewhere)}
    assert "ticket.called" not in names
    assert "queue.changed" in names  # waiting counts still change on every display


def test_a_registered_display_limited_to_services_hears_only_those_calls(app, client, office, auth):
    with app.app_context():
        _, token = register_device(unit_of_work(), kind="display", name="TV B", service_ids=[office.service("B")])
    tv = socketio.test_client(app, auth={"display": token})
    assert tv.is_connected()
    received(tv)
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    auth.at_counter("siti", office.counter(1))
    client.post(f"/api/v1/counters/{office.counter(1)}/call-next")
    assert "ticket.called" not in {e["name"] for e in received(tv)}


def test_a_wrong_display_token_is_refused(app):
    tv = socketio.test_client(app, auth={"display": "not-a-token"})
    assert not tv.is_connected()


def test_when_the_office_requires_tokens_an_anonymous_display_is_refused(app, office):
    office.configure(require_device_token=True)
    assert not socketio.test_client(app, auth={"area": ""}).is_connected()


def test_a_visitors_phone_follows_its_ticket_and_sees_the_call(app, client, office, auth):
    token = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json["token"]
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    phone = socketio.test_client(app, auth={"ticket": token})
    [snapshot] = received(phone, "snapshot")
    assert snapshot["args"][0]["ticket"]["number"] == "A001"
    assert snapshot["args"][0]["queue"]["waiting_numbers"] == ["A001", "A002"]

    auth.at_counter("siti", office.counter(1))
    client.post(f"/api/v1/counters/{office.counter(1)}/call-next")
    updates = [e["args"][0] for e in received(phone, "ticket.updated")]
    assert updates[-1]["status"] == "called"
    assert updates[-1]["counter"]["number"] == 1


def test_a_phone_hears_nothing_about_other_visitors_tickets(app, client, office, auth):
    mine = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json["token"]
    client.post("/api/v1/tickets", json={"service_id": office.service("B")})
    phone = socketio.test_client(app, auth={"ticket": mine})
    received(phone)
    auth.at_counter("siti", office.counter(1))
    client.post(f"/api/v1/counters/{office.counter(1)}/call-next")  # A001 is older: mine
    client.post("/api/v1/counters/1/call-next")
    events = received(phone)
    assert all(e["name"] in ("ticket.updated", "queue.changed") for e in events)
    assert all(e["args"][0].get("number", "A001") == "A001" for e in events if e["name"] == "ticket.updated")


def test_an_unknown_ticket_token_cannot_subscribe(app):
    assert not socketio.test_client(app, auth={"ticket": "nope"}).is_connected()


def test_staff_get_the_floor_snapshot_with_their_session(app, client, office, auth):
    auth.login("supervisor")
    staff = socketio.test_client(app, flask_test_client=client)
    [snapshot] = received(staff, "snapshot")
    assert snapshot["args"][0]["kind"] == "staff"
    assert len(snapshot["args"][0]["counters"]) == 4


def test_anonymous_clients_without_a_role_are_refused(app):
    assert not socketio.test_client(app).is_connected()


def test_nothing_is_emitted_when_the_action_is_refused(app, client, office, auth):
    display = socketio.test_client(app, auth={"area": ""})
    received(display)
    auth.at_counter("siti", office.counter(1))
    received(display)
    assert client.post(f"/api/v1/counters/{office.counter(1)}/call-next").status_code == 404
    assert received(display) == []


def test_a_phone_follows_its_ticket_into_the_new_queue_after_a_transfer(app, client, office, auth):
    token = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json["token"]
    phone = socketio.test_client(app, auth={"ticket": token})
    auth.at_counter("siti", office.counter(1))
    ticket = client.post(f"/api/v1/counters/{office.counter(1)}/call-next").json
    client.post(f"/api/v1/tickets/{ticket['id']}/start", json={})
    client.post(f"/api/v1/tickets/{ticket['id']}/transfer", json={"to_service_id": office.service("D")})
    received(phone)
    assert phone.emit("follow", {"ticket": token}, callback=True) == {"ok": True}
    [snapshot] = received(phone, "snapshot")
    assert snapshot["args"][0]["queue"]["code"] == "D"
    client.post("/api/v1/tickets", json={"service_id": office.service("D")})
    lines = [e["args"][0]["code"] for e in received(phone, "queue.changed")]
    assert lines == ["D"]


def test_a_client_cannot_follow_a_ticket_it_did_not_connect_for(app, client, office):
    mine = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json["token"]
    other = client.post("/api/v1/tickets", json={"service_id": office.service("B")}).json["token"]
    phone = socketio.test_client(app, auth={"ticket": mine})
    assert phone.emit("follow", {"ticket": other}, callback=True) == {"ok": False}


@pytest.fixture
def coalescing_app(database_url, clock):
    """The app as it runs in production: lines changed within a window are sent once, afterwards."""
    app = make_app(database_url, clock, PUBLISH_COALESCE_SECONDS=1.0)
    yield app
    close_app(app, database_url)


def wait_for(sio_client, name, seconds=10.0):
    """Events arrive from the publisher's background task: collect until `name` has come."""
    collected, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        collected += received(sio_client)
        if any(e["name"] == name for e in collected):
            return collected
        time.sleep(0.05)
    raise AssertionError(f"no {name} within {seconds} s; got {[e['name'] for e in collected]}")


def test_tickets_issued_within_the_window_reach_a_display_as_one_line_update(coalescing_app):
    office = OfficeBuilder(coalescing_app)
    client = coalescing_app.test_client()
    display = socketio.test_client(coalescing_app, auth={"area": ""})
    received(display)
    for _ in range(5):
        assert client.post("/api/v1/tickets", json={"service_id": office.service("A")}).status_code == 201
    time.sleep(2.5)  # the first line went out at once; the rest at the end of its window
    events = received(display)

    lines = [e["args"][0] for e in events if e["name"] == "queue.changed"]
    assert len(lines) < 5  # one now and one per window, not one per ticket (a slow machine may split them)
    assert lines[-1]["waiting_numbers"] == ["A001", "A002", "A003", "A004", "A005"]


def test_after_a_quiet_window_a_line_goes_out_at_once_and_the_next_change_waits_for_the_window(coalescing_app):
    office = OfficeBuilder(coalescing_app)
    client = coalescing_app.test_client()
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    Auth(client).at_counter("siti", office.counter(1))
    display = socketio.test_client(coalescing_app, auth={"area": ""})
    time.sleep(2.5)  # the issuing's window ends, and a quiet one after it
    received(display)

    client.post(f"/api/v1/counters/{office.counter(1)}/call-next")
    events = received(display)  # all sent before the answer: the window was quiet
    assert {"ticket.called", "counter.changed", "queue.changed"} <= {e["name"] for e in events}
    [line] = [e["args"][0] for e in events if e["name"] == "queue.changed"]
    assert line["waiting_numbers"] == ["A002"]

    client.post("/api/v1/tickets", json={"service_id": office.service("A")})  # within the window
    assert "queue.changed" not in {e["name"] for e in received(display)}
    line = [e["args"][0] for e in wait_for(display, "queue.changed") if e["name"] == "queue.changed"][-1]
    assert line["waiting_numbers"] == ["A002", "A003"]


def test_a_call_inside_the_window_of_a_kiosk_peak_sends_the_line_at_once(coalescing_app):
    office = OfficeBuilder(coalescing_app)
    client = coalescing_app.test_client()
    Auth(client).at_counter("siti", office.counter(1))
    display = socketio.test_client(coalescing_app, auth={"area": ""})
    time.sleep(1.5)  # a quiet window
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})  # at once; opens a window
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})  # waits for the window's end
    received(display)

    client.post(f"/api/v1/counters/{office.counter(1)}/call-next")
    events = received(display)  # before the answer, though the window has not ended
    [line] = [e["args"][0] for e in events if e["name"] == "queue.changed"]
    assert line["waiting_numbers"] == ["A002"]  # the waiting ticket included, the called one gone


def test_a_display_whose_browser_forbids_sound_is_listed_on_the_floor_until_it_speaks(app, client, office, auth):
    with app.app_context():
        _, token = register_device(unit_of_work(), kind="display", name="TV Lobi", area="Lantai 1")
    auth.login("supervisor")
    staff = socketio.test_client(app, flask_test_client=client)
    [snapshot] = received(staff, "snapshot")
    assert snapshot["args"][0]["muted_displays"] == []

    tv = socketio.test_client(app, auth={"display": token})
    assert tv.emit("display.sound", {"muted": True, "display": token}, callback=True) == {"ok": True}
    [told] = [e["args"][0] for e in received(staff, "display.sound")]
    assert (told["name"], told["area"], told["muted"]) == ("TV Lobi", "Lantai 1", True)
    # A floor opened later finds it in its snapshot: a registered display's state is kept.
    again = socketio.test_client(app, flask_test_client=client)
    [snapshot] = received(again, "snapshot")
    assert [d["name"] for d in snapshot["args"][0]["muted_displays"]] == ["TV Lobi"]

    tv.emit("display.sound", {"muted": False, "display": token}, callback=True)
    assert [e["args"][0]["muted"] for e in received(staff, "display.sound")] == [False]
    fresh = socketio.test_client(app, flask_test_client=client)
    assert received(fresh, "snapshot")[0]["args"][0]["muted_displays"] == []


def test_an_unregistered_muted_display_is_reported_live_and_forgotten_when_it_leaves(app, client, office, auth):
    auth.login("supervisor")
    staff = socketio.test_client(app, flask_test_client=client)
    received(staff)
    tv = socketio.test_client(app, auth={"area": "Lantai 2"})
    tv.emit("display.sound", {"muted": True, "area": "Lantai 2"}, callback=True)
    [told] = [e["args"][0] for e in received(staff, "display.sound")]
    assert told["key"].startswith("sid:") and told["area"] == "Lantai 2" and told["muted"] is True
    tv.disconnect()
    assert [(e["args"][0]["key"], e["args"][0]["muted"]) for e in received(staff, "display.sound")] == [
        (told["key"], False)
    ]


def test_only_a_display_may_report_its_sound(app, client, office, auth):
    auth.login("supervisor")
    staff = socketio.test_client(app, flask_test_client=client)
    assert staff.emit("display.sound", {"muted": True}, callback=True) == {"ok": False}
