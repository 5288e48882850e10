"""Handover: an officer finds a counter still open under a colleague, sees whose it is, and takes it
over explicitly (audited), with the ticket at it."""

from __future__ import annotations

from servicedesk.domain.model import Counter
from servicedesk.extensions import db
from tests.builders import act, call_next, issue
from tests.integration.admin_pages import AdminPages
from tests.integration.test_officer_pages import csrf_from, page_login


def take_over(client, counter_id: int):
    token = csrf_from(client, "/officer/")
    return client.post("/officer/counter/take-over", data={"csrf_token": token, "counter_id": counter_id})


def officer_at(app, counter_id: int) -> int | None:
    with app.app_context():
        return db.session.get(Counter, counter_id).officer_id


def test_the_choice_page_names_the_colleague_and_offers_the_take_over(client, office, auth):
    auth.at_counter("siti", office.counter(1))
    auth.logout()
    page_login(client, "budi")
    page = client.get("/officer/?lang=en").get_data(as_text=True)
    assert "In use by Siti Rahmawati, S.Pd." in page
    assert 'data-take-over="1"' in page
    assert 'data-take-over="3"' not in page  # closed, nothing to take over


def test_an_officer_takes_over_a_counter_left_open_with_its_ticket_audited(app, client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    auth.logout()
    page_login(client, "budi")
    response = take_over(client, office.counter(1))
    assert response.status_code == 303
    assert officer_at(app, office.counter(1)) == office.users["budi"]
    assert client.get("/officer/").status_code == 200
    assert act(client, ticket["id"], "start").json["status"] == "serving"
    assert act(client, ticket["id"], "finish").json["officer_id"] == office.users["budi"]
    [entry] = [e for e in AdminPages(client, auth, app).audit("counter") if e.action == "take_over"]
    assert entry.user_id == office.users["budi"] and entry.entity_id == office.counter(1)
    assert entry.before == {"officer": "siti", "status": "open"}
    assert entry.after == {"officer": "budi", "status": "open"}


def test_the_colleague_can_no_longer_act_at_the_counter_taken_over(app, client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    auth.logout()
    page_login(client, "budi")
    take_over(client, office.counter(1))
    auth.logout()
    auth.login("siti")
    response = call_next(client, office.counter(1))
    assert response.status_code == 403 and response.json["error"]["code"] == "not_your_counter"


def test_a_closed_counter_is_opened_not_taken_over(app, client, office, auth):
    page_login(client, "budi")
    response = take_over(client, office.counter(2))
    assert response.status_code == 409
    assert officer_at(app, office.counter(2)) is None
