"""Journeys across agencies (issue 26): one visitor, Disdik's service A then BPJS's service K, on one
slip; finishing step 1 issues step 2's ticket into BPJS's queue, where BPJS's officer calls it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from servicedesk.domain.model import Agency, Counter, Role, Service, Ticket, TicketStatus, User
from servicedesk.extensions import db, socketio
from servicedesk.persistence import tables
from servicedesk.web.context import unit_of_work
from tests.builders import FAST_HASH, Auth, act, call_next, refused

BPJS_OFFICER = "wati"


def add_bpjs(app, office) -> dict:
    """BPJS Kesehatan beside the demo's agency: service K at counter 7, its officer wati."""
    with app.app_context():
        uow = unit_of_work()
        bpjs = Agency("BPJS", "BPJS Kesehatan", "BPJS")
        uow.repo.add(bpjs)
        uow.session.flush()
        card = Service("K", "Kartu BPJS", agency_id=bpjs.id, standard_minutes=10)
        uow.repo.add(card)
        uow.session.flush()
        counter = Counter(7, "Loket BPJS", agency_id=bpjs.id)
        uow.repo.add(counter)
        uow.session.flush()
        uow.repo.set_counter_services(counter, [card.id])
        user = User(BPJS_OFFICER, "Wati", Role.OFFICER, FAST_HASH)
        user.agency_id = bpjs.id
        user.competences = [card]
        uow.repo.add(user)
        uow.commit()
        ids = {"service_k": card.id, "counter_7": counter.id, "agency": bpjs.id}
        db.session.remove()
    return ids


def start(client, *service_ids, **body):
    return client.post("/api/v1/journeys", json={"service_ids": list(service_ids), **body})


def serve(app, office, ticket_token: str) -> int:
    """siti at counter 1 calls and starts the visitor's ticket (service A); its id."""
    client = app.test_client()
    Auth(client).at_counter("siti", office.counter(1))
    called = call_next(client, office.counter(1))
    assert called.status_code == 200, called.json
    assert act(client, called.json["id"], "start").status_code == 200
    with app.app_context():
        assert db.session.get(Ticket, called.json["id"]).token == ticket_token
        db.session.remove()
    return called.json["id"]


def siti(app) -> object:
    client = app.test_client()
    Auth(client).login("siti")
    return client


def test_a_journey_starts_with_its_first_ticket_and_shows_each_step_s_agency(app, client, office):
    bpjs = add_bpjs(app, office)
    response = start(client, office.service("A"), bpjs["service_k"])
    assert response.status_code == 201, response.json
    body = response.json
    assert body["state"] == "active" and body["end_reason"] is None
    assert body["ticket"]["number"] == "A001" and body["ticket"]["status"] == "waiting"
    assert body["current"] == {"number": "A001", "token": body["ticket"]["token"]}
    first, second = body["steps"]
    assert first["state"] == "current" and first["ticket"]["number"] == "A001"
    assert first["agency"]["name"] == "Dinas Pendidikan Provinsi"
    assert second["state"] == "waiting_previous" and second["ticket"] is None
    assert second["agency"] == {"id": bpjs["agency"], "name": "BPJS Kesehatan"}
    assert second["service"]["code"] == "K"
    assert client.get(f"/api/v1/journeys/{body['token']}").json["steps"] == body["steps"]


def test_finishing_step_one_issues_step_two_into_the_other_agency_s_queue_where_its_officer_calls_it(
    app, client, office
):
    bpjs = add_bpjs(app, office)
    body = start(client, office.service("A"), bpjs["service_k"]).json
    ticket_id = serve(app, office, body["ticket"]["token"])
    staff = socketio.test_client(app, flask_test_client=siti(app))
    staff.get_received()
    assert act(siti_client := siti(app), ticket_id, "finish").status_code == 200
    del siti_client
    journey = client.get(f"/api/v1/journeys/{body['token']}").json
    first, second = journey["steps"]
    assert (first["state"], second["state"]) == ("done", "current")
    assert second["ticket"]["number"] == "K001" and second["ticket"]["status"] == "waiting"
    assert journey["current"]["token"] == second["ticket"]["token"]
    # The other agency's officer sees it in BPJS's queue and calls it, like a kiosk's ticket.
    wati = app.test_client()
    Auth(wati).at_counter(BPJS_OFFICER, bpjs["counter_7"])
    called = call_next(wati, bpjs["counter_7"])
    assert called.status_code == 200, called.json
    assert called.json["number"] == "K001"
    assert client.get(f"/api/v1/journeys/{body['token']}").json["steps"][1]["ticket"]["status"] == "called"
    assert client.get(second["ticket"]["status_url"]).json["status"] == "called"


def test_the_next_ticket_is_published_after_the_commit_like_a_kiosk_s(app, client, office):
    bpjs = add_bpjs(app, office)
    body = start(client, office.service("A"), bpjs["service_k"]).json
    ticket_id = serve(app, office, body["ticket"]["token"])
    wati = app.test_client()
    Auth(wati).login(BPJS_OFFICER)
    console = socketio.test_client(app, flask_test_client=wati)
    console.get_received()
    assert act(siti(app), ticket_id, "finish").status_code == 200
    issued = [e["args"][0] for e in console.get_received() if e["name"] == "ticket.issued"]
    assert [e["number"] for e in issued] == ["K001"]


def test_a_no_show_ends_the_journey_and_drops_the_remaining_steps(app, client, office):
    bpjs = add_bpjs(app, office)
    body = start(client, office.service("A"), bpjs["service_k"], office.service("B")).json
    officer = app.test_client()
    Auth(officer).at_counter("siti", office.counter(1))
    called = call_next(officer, office.counter(1)).json
    assert act(officer, called["id"], "no-show").status_code == 200
    journey = client.get(f"/api/v1/journeys/{body['token']}").json
    assert journey["state"] == "ended"
    assert [s["state"] for s in journey["steps"]] == ["ended", "dropped", "dropped"]
    with app.app_context():
        assert db.session.query(Ticket).filter(Ticket.service_id == bpjs["service_k"]).count() == 0


def test_a_visitor_who_cancels_their_ticket_ends_their_journey(app, client, office):
    bpjs = add_bpjs(app, office)
    body = start(client, office.service("A"), bpjs["service_k"]).json
    assert client.post(f"/api/v1/tickets/{body['ticket']['token']}/withdraw").status_code == 200
    journey = client.get(f"/api/v1/journeys/{body['token']}").json
    assert journey["state"] == "ended" and [s["state"] for s in journey["steps"]] == ["ended", "dropped"]


def test_the_last_step_finished_completes_the_journey(app, client, office):
    bpjs = add_bpjs(app, office)
    body = start(client, bpjs["service_k"], office.service("A")).json
    wati = app.test_client()
    Auth(wati).at_counter(BPJS_OFFICER, bpjs["counter_7"])
    first = call_next(wati, bpjs["counter_7"]).json
    assert act(wati, first["id"], "start").status_code == 200
    assert act(wati, first["id"], "finish").status_code == 200
    second = client.get(f"/api/v1/journeys/{body['token']}").json["steps"][1]["ticket"]
    ticket_id = serve(app, office, second["token"])
    assert act(siti(app), ticket_id, "finish").status_code == 200
    journey = client.get(f"/api/v1/journeys/{body['token']}").json
    assert journey["state"] == "completed" and [s["state"] for s in journey["steps"]] == ["done", "done"]


def test_a_next_service_that_refuses_the_visitor_ends_the_journey_but_never_the_officer_s_finish(app, client, office):
    bpjs = add_bpjs(app, office)
    body = start(client, office.service("A"), bpjs["service_k"]).json
    ticket_id = serve(app, office, body["ticket"]["token"])
    with app.app_context():
        uow = unit_of_work()
        uow.repo.service(bpjs["service_k"]).active = False
        uow.commit()
    assert act(siti(app), ticket_id, "finish").status_code == 200
    journey = client.get(f"/api/v1/journeys/{body['token']}").json
    assert journey["state"] == "ended" and journey["end_reason"] is not None
    assert [s["state"] for s in journey["steps"]] == ["done", "dropped"]
    with app.app_context():
        assert db.session.get(Ticket, ticket_id).status == TicketStatus.DONE


def finish_at_once(barrier: Barrier, ticket_id: int):
    def finish(officer) -> int:
        barrier.wait()
        return act(officer, ticket_id, "finish").status_code

    return finish


def test_two_finishes_of_the_same_step_at_once_issue_the_next_step_once(app, client, office):
    bpjs = add_bpjs(app, office)
    office.update_service("A", daily_quota=None)
    for round_ in range(5):
        body = start(client, office.service("A"), bpjs["service_k"]).json
        ticket_id = serve(app, office, body["ticket"]["token"])
        officers = [siti(app), app.test_client()]
        Auth(officers[1]).login("supervisor")
        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(finish_at_once(Barrier(2), ticket_id), officers))
        assert statuses[0] == 200 and statuses[1] in (200, 409), statuses
        assert statuses.count(200) == 1
        with app.app_context():
            k_tickets = db.session.query(Ticket).filter(Ticket.service_id == bpjs["service_k"]).count()
            steps = db.session.execute(tables.journey_steps.select().where(tables.journey_steps.c.position == 1))
            issued = [row.ticket_id for row in steps if row.ticket_id is not None]
            db.session.remove()
        assert k_tickets == len(issued) == round_ + 1


def test_bad_journeys_are_refused_with_a_code(app, client, office):
    bpjs = add_bpjs(app, office)
    a, k = office.service("A"), bpjs["service_k"]
    office.update_service("E", active=False)
    assert refused(start(client, a), 422, "journey_too_short")
    assert refused(start(client, a, k, a, k, a, k), 422, "journey_too_long")
    assert refused(start(client, a, a), 409, "journey_repeated_service")
    assert refused(start(client, a, 999999), 404, "journey_unknown_service")
    assert refused(start(client, a, office.service("E")), 409, "journey_inactive_service")
    assert refused(client.post("/api/v1/journeys", json={"service_ids": "A,K"}), 422, "validation_error")
    assert refused(client.get("/api/v1/journeys/nope"), 404, "not_found")
    with app.app_context():
        assert db.session.query(Ticket).count() == 0
        assert db.session.execute(tables.journeys.select()).first() is None


def test_the_phone_page_of_a_journey_s_ticket_carries_the_journey_and_a_single_ticket_s_carries_none(
    app, client, office
):
    bpjs = add_bpjs(app, office)
    body = start(client, office.service("A"), bpjs["service_k"]).json
    page = client.get(f"/t/{body['ticket']['token']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="journey-steps"' in html and body["token"] in html and "Menunggu langkah sebelumnya" in html
    single = client.post("/api/v1/tickets", json={"service_id": office.service("B")}).json
    assert '"journey": null' in client.get(f"/t/{single['token']}").get_data(as_text=True)


def test_the_slip_of_a_journey_s_ticket_lists_the_next_steps_on_paper_and_in_the_browser(app, client, office):
    from tests.integration.test_kiosk_printing import network_kiosk
    from tests.printers import NetworkPrinter, printable

    bpjs = add_bpjs(app, office)
    with NetworkPrinter() as printer:
        token = network_kiosk(app, printer.port, paper_width_mm="80")
        response = client.post(
            "/api/v1/journeys",
            json={"service_ids": [office.service("A"), bpjs["service_k"], office.service("B")]},
            headers={"X-Device-Token": token},
        )
        assert response.status_code == 201, response.json
        assert response.json["ticket"]["printed"] is True
        paper = printable(printer.next_job())
    assert "Langkah berikutnya" in paper
    assert "2. BPJS Kesehatan · Kartu BPJS" in paper and "3. Dinas Pendidikan Provinsi · " in paper
    page = client.get(f"/kiosk/tickets/{response.json['ticket']['token']}/slip").get_data(as_text=True)
    assert 'id="slip-next"' in page and "2. BPJS Kesehatan · Kartu BPJS" in page


def test_a_late_visitor_taken_back_in_line_continues_the_journey(app, client, office):
    bpjs = add_bpjs(app, office)
    body = start(client, office.service("A"), bpjs["service_k"]).json
    officer = app.test_client()
    Auth(officer).at_counter("siti", office.counter(1))
    called = call_next(officer, office.counter(1)).json
    assert act(officer, called["id"], "no-show").status_code == 200
    assert act(officer, called["id"], "requeue").status_code == 200
    assert client.get(f"/api/v1/journeys/{body['token']}").json["state"] == "active"
    again = call_next(officer, office.counter(1)).json
    assert again["id"] == called["id"]
    assert act(officer, again["id"], "start").status_code == 200
    assert act(officer, again["id"], "finish").status_code == 200
    journey = client.get(f"/api/v1/journeys/{body['token']}").json
    assert [s["state"] for s in journey["steps"]] == ["done", "current"]


def test_the_same_idempotency_key_answers_with_the_same_journey(app, client, office):
    bpjs = add_bpjs(app, office)
    headers = {"Idempotency-Key": "journey-tap-1"}
    ids = [office.service("A"), bpjs["service_k"]]
    first = client.post("/api/v1/journeys", json={"service_ids": ids}, headers=headers)
    again = client.post("/api/v1/journeys", json={"service_ids": ids}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json["token"] == first.json["token"] and again.json["ticket"]["token"] == first.json["ticket"]["token"]
    with app.app_context():
        assert len(db.session.execute(tables.journeys.select()).all()) == 1
        assert db.session.query(Ticket).count() == 1
