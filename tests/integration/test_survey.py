"""The SKM survey through the API: one response per finished ticket, stored for the IKM reports."""

from sqlalchemy import select

from servicedesk.domain.survey import ikm, tally
from servicedesk.extensions import db
from servicedesk.persistence import tables

ALL_THREES = {f"u{i}": 3 for i in range(1, 10)}


def served_ticket(client, office, auth) -> dict:
    """A visitor takes A001, siti calls, serves and finishes it at counter 1."""
    issued = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    auth.at_counter("siti", office.counter(1))
    called = client.post(f"/api/v1/counters/{office.counter(1)}/call-next").json
    assert client.post(f"/api/v1/tickets/{called['id']}/start").status_code == 200
    assert client.post(f"/api/v1/tickets/{called['id']}/finish").status_code == 200
    auth.logout()  # the visitor's phone has no staff session
    return issued


def answer(client, token, answers=None, **body):
    return client.post(f"/api/v1/tickets/{token}/survey", json={"answers": answers or ALL_THREES, **body})


def stored(app) -> list[dict]:
    with app.app_context():
        return [dict(row._mapping) for row in db.session.execute(select(tables.survey_responses))]


def test_a_finished_ticket_takes_one_response_with_where_it_was_served(app, client, office, auth):
    ticket = served_ticket(client, office, auth)
    answers = {**ALL_THREES, "u4": 4, "u9": 2}
    response = answer(client, ticket["token"], answers, comment="  Petugas ramah, ruang tunggu panas.  ")
    assert response.status_code == 201, response.json
    assert response.json["answered"] is True and response.json["open"] is False
    [row] = stored(app)
    assert row["ticket_id"] == ticket["id"]
    assert row["service_id"] == office.service("A")
    assert row["counter_id"] == office.counter(1)
    assert row["officer_id"] == office.users["siti"]
    assert {code: row[code] for code in answers} == answers
    assert row["comment"] == "Petugas ramah, ruang tunggu panas."


def test_a_second_response_for_the_same_ticket_is_refused(app, client, office, auth):
    ticket = served_ticket(client, office, auth)
    assert answer(client, ticket["token"]).status_code == 201
    again = answer(client, ticket["token"], {f"u{i}": 1 for i in range(1, 10)})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "survey_already_answered"
    [row] = stored(app)
    assert row["u1"] == 3  # the first answers stand


def test_the_survey_opens_only_after_the_service_is_finished(app, client, office, auth):
    issued = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    refused = answer(client, issued["token"])
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "survey_not_open"
    auth.at_counter("siti", office.counter(1))
    called = client.post(f"/api/v1/counters/{office.counter(1)}/call-next").json
    assert answer(client, issued["token"]).json["error"]["code"] == "survey_not_open"
    client.post(f"/api/v1/tickets/{called['id']}/start")
    assert answer(client, issued["token"]).json["error"]["details"] == {"status": "serving"}
    client.post(f"/api/v1/tickets/{called['id']}/finish")
    assert answer(client, issued["token"]).status_code == 201
    assert len(stored(app)) == 1


def test_a_cancelled_ticket_has_no_survey(app, client, office):
    issued = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    client.post(f"/api/v1/tickets/{issued['token']}/withdraw")
    assert answer(client, issued["token"]).json["error"]["code"] == "survey_not_open"
    assert stored(app) == []


def test_answers_must_be_all_nine_elements_from_1_to_4(app, client, office, auth):
    token = served_ticket(client, office, auth)["token"]
    missing = dict(ALL_THREES)
    del missing["u7"]
    for bad in (missing, {**ALL_THREES, "u2": 0}, {**ALL_THREES, "u2": 5}, {**ALL_THREES, "u3": "3"},
                {**ALL_THREES, "u5": 2.5}, {**ALL_THREES, "u10": 3}):  # fmt: skip
        response = answer(client, token, bad)
        assert response.status_code == 422, (bad, response.json)
        assert response.json["error"]["code"] == "validation_error"
    too_long = answer(client, token, comment="x" * 1001)
    assert too_long.status_code == 422
    assert stored(app) == []
    assert answer(client, token).status_code == 201


def test_the_survey_state_tells_the_phone_whether_to_show_the_form(client, office, auth):
    token = served_ticket(client, office, auth)["token"]
    assert client.get(f"/api/v1/tickets/{token}/survey").json == {
        "answered": False,
        "open": True,
        "expired": False,
        "submitted_at": None,
    }
    answer(client, token)
    state = client.get(f"/api/v1/tickets/{token}/survey").json
    assert state["answered"] is True and state["open"] is False and state["submitted_at"]


def test_an_unknown_ticket_has_no_survey(client, office):
    assert answer(client, "no-such-token-at-all").status_code == 404
    assert client.get("/api/v1/tickets/no-such-token-at-all/survey").status_code == 404


def test_stored_responses_give_the_index_of_the_reports(app, client, office, auth):
    first = served_ticket(client, office, auth)["token"]
    second = served_ticket(client, office, auth)["token"]
    answer(client, first, {f"u{i}": 4 for i in range(1, 10)})
    answer(client, second, {f"u{i}": 3 for i in range(1, 10)})
    rows = stored(app)
    index = ikm(*tally({code: row[code] for code in ALL_THREES} for row in rows))
    assert index.respondents == 2
    assert index.score == 87.5  # NRR 3.5 on every element x 25
    assert index.grade[0] == "B"
