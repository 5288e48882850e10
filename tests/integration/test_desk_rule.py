"""Every desk transition checks the officer's counter and that it serves the ticket's service,
as call-next does (the desk rule, Counter.require_desk_for), and a refusal writes nothing."""

from __future__ import annotations

import pytest

from servicedesk.domain.model import Counter, Ticket
from servicedesk.extensions import db
from servicedesk.web.context import unit_of_work
from tests.builders import act, call_next, issue, refused


def held_b_ticket(client, office, auth) -> dict:
    """siti calls, starts and holds a B ticket at counter 1 (A, B), then logs out."""
    issue(client, office, "B")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    assert act(client, ticket["id"], "hold").status_code == 200
    auth.logout()
    return ticket


def stored(app, ticket_id: int) -> tuple[str, int | None, int]:
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        return ticket.status.value, ticket.counter_id, len(ticket.events)


def test_an_officer_cannot_resume_another_officers_held_ticket_at_a_counter_not_serving_it(app, client, office, auth):
    ticket = held_b_ticket(client, office, auth)
    before = stored(app, ticket["id"])
    auth.at_counter("dewi", office.counter(2))  # dewi may serve B, but counter 2 gives A and E
    assert refused(act(client, ticket["id"], "resume", counter_id=office.counter(2)), 403, "not_served_here")
    assert refused(act(client, ticket["id"], "resume"), 403, "not_your_counter")  # at counter 1, siti's
    assert stored(app, ticket["id"]) == before


def test_the_held_ticket_is_resumed_at_a_counter_that_serves_it(app, client, office, auth):
    ticket = held_b_ticket(client, office, auth)
    auth.at_counter("dewi", office.counter(4))  # D, E, B
    response = act(client, ticket["id"], "resume", counter_id=office.counter(4))
    assert response.status_code == 200, response.json
    assert stored(app, ticket["id"])[:2] == ("serving", office.counter(4))


def test_a_held_ticket_is_not_resumed_at_a_counter_on_a_break(client, office, auth):
    ticket = held_b_ticket(client, office, auth)
    auth.at_counter("dewi", office.counter(4))
    client.post(f"/api/v1/counters/{office.counter(4)}/break")
    assert refused(act(client, ticket["id"], "resume", counter_id=office.counter(4)), 409, "counter_not_open")


def stop_serving(app, counter_id: int, service_ids: list[int]) -> None:
    with app.app_context():
        uow = unit_of_work()
        uow.repo.set_counter_services(db.session.get(Counter, counter_id), service_ids)
        uow.commit()


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("recall", {}),
        ("start", {}),
        ("hold", {}),
        ("no-show", {}),
        ("finish", {}),
        ("cancel", {"reason": "Salah memilih layanan"}),
        ("transfer", {"to_service_id": "E"}),
    ],
)
def test_no_transition_passes_at_a_counter_that_no_longer_serves_the_service(app, client, office, auth, action, body):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    if action in ("finish", "hold", "transfer"):
        act(client, ticket["id"], "start")
    stop_serving(app, office.counter(1), [office.service("B")])
    before = stored(app, ticket["id"])
    if "to_service_id" in body:
        body = {"to_service_id": office.service(body["to_service_id"])}
    assert refused(act(client, ticket["id"], action, **body), 403, "not_served_here")
    assert stored(app, ticket["id"]) == before


def test_a_supervisor_still_ends_a_visit_whose_counter_no_longer_serves_it(app, client, office, auth):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    ticket = call_next(client, office.counter(1)).json
    act(client, ticket["id"], "start")
    stop_serving(app, office.counter(1), [office.service("B")])
    auth.logout()
    auth.login("supervisor")
    assert act(client, ticket["id"], "finish").status_code == 200
