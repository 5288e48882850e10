"""Races: many kiosks issuing at once, two officers calling at the same instant."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.builders import Auth


def test_200_tickets_from_20_concurrent_kiosks_get_200_distinct_gap_free_numbers(app, office):
    office.update_service("A", daily_quota=None)
    service_id = office.service("A")
    start = Barrier(20)

    def kiosk(_):
        client = app.test_client()
        start.wait()
        return [client.post("/api/v1/tickets", json={"service_id": service_id}) for _ in range(10)]

    with ThreadPoolExecutor(20) as pool:
        responses = [r for batch in pool.map(kiosk, range(20)) for r in batch]
    assert {r.status_code for r in responses} == {201}, [r.json for r in responses if r.status_code != 201][:3]
    numbers = sorted(r.json["number"] for r in responses)
    assert numbers == [f"A{n:03d}" for n in range(1, 201)]
    # No one was called: each visitor has exactly the earlier numbers ahead, however the kiosks raced.
    assert all(r.json["people_ahead"] == int(r.json["number"][1:]) - 1 for r in responses)
    with app.app_context():
        stored = [row.sequence for row in db.session.execute(tables.tickets.select())]
        last = db.session.execute(tables.daily_sequences.select()).one().last_value
    assert sorted(stored) == list(range(1, 201)) and last == 200


def test_the_same_idempotency_key_from_concurrent_taps_makes_one_ticket(app, office):
    service_id = office.service("A")
    start = Barrier(8)

    def tap(_):
        client = app.test_client()
        start.wait()
        return client.post(
            "/api/v1/tickets", json={"service_id": service_id}, headers={"Idempotency-Key": "tap-same-1"}
        )

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(tap, range(8)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json["token"] for r in responses}) == 1
    with app.app_context():
        assert db.session.query(tables.tickets).count() == 1


def test_two_officers_calling_100_times_at_once_never_get_the_same_ticket(app, office):
    office.update_service("A", daily_quota=None)
    service_id = office.service("A")
    issuer = app.test_client()
    for _ in range(200):
        assert issuer.post("/api/v1/tickets", json={"service_id": service_id}).status_code == 201
    officers = [("siti", office.counter(1)), ("budi", office.counter(2))]
    start = Barrier(2)

    def officer(who):
        username, counter_id = who
        client = app.test_client()
        Auth(client).at_counter(username, counter_id)
        start.wait()
        called = []
        for _ in range(100):
            response = client.post(f"/api/v1/counters/{counter_id}/call-next")
            assert response.status_code == 200, response.json
            ticket_id = response.json["id"]
            called.append(ticket_id)
            assert client.post(f"/api/v1/tickets/{ticket_id}/no-show").status_code == 200
        return called

    with ThreadPoolExecutor(2) as pool:
        siti, budi = pool.map(officer, officers)
    assert len(siti) == len(budi) == 100
    assert not set(siti) & set(budi)
    assert len(set(siti) | set(budi)) == 200
    with app.app_context():
        called_rows = db.session.execute(
            tables.ticket_events.select().where(tables.ticket_events.c.kind == "called")
        ).all()
    assert len(called_rows) == 200
