"""Fairness under parallel counters: two counters calling at the same instant take the two first
eligible tickets, never one younger than a free older one. PostgreSQL hands them out with
FOR UPDATE SKIP LOCKED over the whole candidate set (one row locked per call); SQLite serialises
the two transactions (BEGIN IMMEDIATE). Repeated, since a race shows itself only sometimes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from sqlalchemy import update

from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.builders import Auth, issue

ROUNDS = 12


def officer_clients(app, office):
    """siti at counter 1 and budi at counter 2: both counters serve A and both officers may."""
    clients = []
    for username, number in (("siti", 1), ("budi", 2)):
        client = app.test_client()
        Auth(client).at_counter(username, office.counter(number))
        clients.append((client, office.counter(number)))
    return clients


def call_at_once(clients) -> list[dict]:
    start = Barrier(len(clients))

    def call(pair):
        client, counter_id = pair
        start.wait()
        response = client.post(f"/api/v1/counters/{counter_id}/call-next")
        assert response.status_code == 200, response.json
        client.post(f"/api/v1/tickets/{response.json['id']}/no-show")  # frees the counter for the next round
        return response.json

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(call, clients))


def clear_the_line(app) -> None:
    with app.app_context():
        db.session.execute(
            update(tables.tickets).where(tables.tickets.c.status == "waiting").values(status="cancelled")
        )
        db.session.commit()


def test_two_counters_calling_at_once_take_the_two_oldest_tickets(app, client, office, clock):
    clients = officer_clients(app, office)
    for _ in range(ROUNDS):
        oldest = []
        for _ in range(4):
            clock.advance(seconds=10)
            oldest.append(issue(client, office, "A")["id"])
        called = call_at_once(clients)
        assert sorted(t["id"] for t in called) == oldest[:2]
        clear_the_line(app)


def test_a_counter_never_skips_an_older_free_ticket_its_neighbour_did_not_take(app, client, office, clock):
    """Counter 1 may call a priority ticket, counter 2 has spent its priority streak and must take the
    oldest regular one. Locking the head of each line for counter 1 (as call-next once did) held that
    regular ticket too, so counter 2 skipped it and called a younger one."""
    office.configure(priority_max_in_a_row=1)
    clients = officer_clients(app, office)
    for _ in range(ROUNDS):
        clock.advance(seconds=10)
        regular_1 = issue(client, office, "A")["id"]
        clock.advance(seconds=10)
        priority_1 = issue(client, office, "A", priority=True)["id"]
        clock.advance(seconds=10)
        issue(client, office, "A")  # a younger regular ticket
        with app.app_context():
            for number, streak in ((1, 0), (2, 1)):
                db.session.execute(
                    update(tables.counters)
                    .where(tables.counters.c.id == office.counter(number))
                    .values(priority_streak=streak)
                )
            db.session.commit()
        first, second = call_at_once(clients)
        assert (first["id"], second["id"]) == (priority_1, regular_1)
        clear_the_line(app)
