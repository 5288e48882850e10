"""Issuing tickets through the API, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, time, timedelta

from servicedesk.domain.model import DEFAULT_OPENING_HOURS
from servicedesk.extensions import db
from servicedesk.persistence import tables


def issue(client, service_id, **body):
    return client.post("/api/v1/tickets", json={"service_id": service_id, **body})


def test_a_ticket_gets_the_service_prefix_and_the_next_daily_number(client, office):
    first = issue(client, office.service("A"))
    second = issue(client, office.service("A"))
    other = issue(client, office.service("B"))
    assert first.status_code == 201
    assert [first.json["number"], second.json["number"], other.json["number"]] == ["A001", "A002", "B001"]
    assert first.json["status"] == "waiting"
    assert second.json["people_ahead"] == 1
    assert first.json["service"]["code"] == "A"


def test_a_ticket_is_stored_with_its_issued_event_row_and_waits_in_its_line(client, office, clock):
    body = issue(client, office.service("A"), priority=True).json
    with client.application.app_context():
        ticket = db.session.execute(tables.tickets.select()).one()
        event = db.session.execute(tables.ticket_events.select()).one()
    assert (ticket.id, ticket.number, ticket.sequence, ticket.token) == (body["id"], "A001", 1, body["token"])
    assert (ticket.status.value, ticket.priority, ticket.recall_count) == ("waiting", True, 0)
    assert ticket.issued_at == ticket.queued_at == clock.now
    assert ticket.service_id == ticket.origin_service_id == office.service("A")
    assert ticket.counter_id is ticket.wait_seconds is ticket.service_seconds is None
    assert (event.ticket_id, event.kind.value, event.at) == (ticket.id, "issued", clock.now)
    assert (event.service_id, event.counter_id, event.officer_id) == (office.service("A"), None, None)


def test_past_999_a_number_grows_a_digit_in_the_answer_and_in_the_stored_row(client, office):
    office.update_service("A", daily_quota=None)
    first = issue(client, office.service("A")).json
    with client.application.app_context():
        db.session.execute(tables.daily_sequences.update().values(last_value=998))
        db.session.commit()
    numbers = [issue(client, office.service("A")).json["number"] for _ in range(3)]
    assert numbers == ["A999", "A1000", "A1001"]
    with client.application.app_context():
        stored = db.session.execute(tables.tickets.select().where(tables.tickets.c.id != first["id"])).all()
    assert sorted((row.sequence, row.number) for row in stored) == [(999, "A999"), (1000, "A1000"), (1001, "A1001")]


def test_the_place_in_the_answer_is_the_place_the_visitors_page_shows(client, office, clock):
    for priority in (False, True, False, True, False, False, True):
        issued = issue(client, office.service("A"), priority=priority).json
        shown = client.get(f"/api/v1/tickets/{issued['token']}").json
        assert (issued["people_ahead"], issued["estimated_wait_minutes"]) == (
            shown["people_ahead"],
            shown["estimated_wait_minutes"],
        )
        if priority:
            clock.advance(seconds=30)  # the others share one instant: their ids decide the order


def test_the_answer_carries_an_unguessable_token_and_the_visitors_status_url(client, office):
    body = issue(client, office.service("A")).json
    assert len(body["token"]) >= 32  # 24 random bytes, base64url
    assert body["status_url"].endswith(f"/api/v1/tickets/{body['token']}")
    status = client.get(f"/api/v1/tickets/{body['token']}")
    assert status.status_code == 200
    assert status.json["number"] == "A001"
    assert "token" not in status.json and "officer_id" not in status.json


def test_numbering_restarts_at_local_midnight(client, office, clock):
    clock.set(datetime(2026, 11, 2, 16, 59, tzinfo=UTC))  # 23:59 WIB Monday
    assert issue(client, office.service("A")).json["number"] == "A001"
    assert issue(client, office.service("A")).json["number"] == "A002"
    clock.advance(minutes=1)  # 00:00 WIB Tuesday
    assert issue(client, office.service("A")).json["number"] == "A001"


def test_the_estimated_wait_uses_the_sop_standard_time_without_history(client, office):
    for _ in range(3):
        issue(client, office.service("A"))  # standard time 15 minutes, no counter open
    fourth = issue(client, office.service("A")).json
    assert fourth["people_ahead"] == 3
    assert fourth["estimated_wait_minutes"] == 45


def test_the_estimated_wait_divides_by_the_counters_open_for_the_service(client, office, auth):
    auth.at_counter("siti", office.counter(1))  # serves A
    auth.at_counter("budi", office.counter(2))  # serves A too (budi closes nothing: a new counter)
    for _ in range(4):
        issue(client, office.service("A"))
    assert issue(client, office.service("A")).json["estimated_wait_minutes"] == 4 * 15 / 2


def test_the_same_idempotency_key_returns_the_same_ticket(client, office):
    headers = {"Idempotency-Key": "kiosk-1-tap-0001"}
    first = client.post("/api/v1/tickets", json={"service_id": office.service("A")}, headers=headers)
    again = client.post("/api/v1/tickets", json={"service_id": office.service("A")}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json["token"] == first.json["token"]
    assert again.headers["Idempotent-Replayed"] == "true"
    with client.application.app_context():
        assert db.session.query(tables.tickets).count() == 1


def test_priority_tickets_are_counted_ahead_of_regular_ones(client, office):
    issue(client, office.service("A"))
    priority = issue(client, office.service("A"), priority=True).json
    assert priority["priority"] is True
    assert priority["people_ahead"] == 0


def refused(response, code):
    assert response.status_code == 409, response.json
    assert response.json["error"]["code"] == code
    return response.json["error"]


def test_outside_opening_hours_the_kiosk_is_told_when_the_office_opens(client, office, clock):
    office.configure(opening_hours=DEFAULT_OPENING_HOURS)
    clock.set(datetime(2026, 11, 2, 0, 30, tzinfo=UTC))  # 07:30 WIB
    error = refused(issue(client, office.service("A")), "not_open_yet")
    assert error["details"]["opens_at"] == "08:00"


def test_a_holiday_refuses_tickets(client, office, clock):
    with client.application.app_context():
        db.session.execute(tables.holidays.insert().values(day=clock.now.date(), name="Hari libur"))
        db.session.commit()
    refused(issue(client, office.service("A")), "holiday")


def test_an_inactive_service_refuses_tickets(client, office):
    office.update_service("C", active=False)
    refused(issue(client, office.service("C")), "service_inactive")


def test_the_daily_quota_refuses_the_ticket_after_the_last_and_gives_no_number_away(client, office):
    office.update_service("C", daily_quota=2)
    assert issue(client, office.service("C")).status_code == 201
    assert issue(client, office.service("C")).status_code == 201
    refused(issue(client, office.service("C")), "quota_reached")
    office.update_service("C", daily_quota=3)
    assert issue(client, office.service("C")).json["number"] == "C003"


def test_after_the_cut_off_time_the_service_refuses(client, office, clock):
    office.update_service("A", cutoff_time=time(8, 30))
    refused(issue(client, office.service("A")), "after_cutoff")  # 09:00 WIB


def test_a_refused_issue_writes_nothing(client, office, clock):
    office.update_service("A", active=False)
    issue(client, office.service("A"))
    with client.application.app_context():
        assert db.session.query(tables.tickets).count() == 0
        assert db.session.query(tables.daily_sequences).count() == 0


def test_services_list_shows_the_published_standard_and_the_waiting_count(client, office):
    issue(client, office.service("B"))
    services = {s["code"]: s for s in client.get("/api/v1/services").json}
    assert set(services) == {"A", "B", "C", "D", "E"}
    b = services["B"]
    assert b["waiting"] == 1
    assert b["requirements"] and b["procedure"] and b["standard_minutes"] == 20
    assert b["fee"] == "Gratis" and b["product"] and b["complaint_channel"]
    assert b["sop"]["number"] == "SOP/ULT/002/2024"


def test_services_list_hides_inactive_services(client, office):
    office.update_service("E", active=False)
    assert "E" not in {s["code"] for s in client.get("/api/v1/services").json}


def test_a_visitor_can_withdraw_a_waiting_ticket_but_not_twice(client, office):
    token = issue(client, office.service("A")).json["token"]
    response = client.post(f"/api/v1/tickets/{token}/withdraw")
    assert response.status_code == 200 and response.json["status"] == "cancelled"
    again = client.post(f"/api/v1/tickets/{token}/withdraw")
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_transition"


def test_timestamps_come_back_in_utc_on_every_backend(client, office, clock):
    body = issue(client, office.service("A")).json
    assert datetime.fromisoformat(body["created_at"]) == clock.now
    assert clock.now - timedelta(seconds=1) < datetime.fromisoformat(body["created_at"])
