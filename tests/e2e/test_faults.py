"""Faults in the middle of a busy morning, with nothing lost: a server killed mid-burst, Redis gone,
PostgreSQL restarted. Every test reads back what was stored, not only what was answered."""

from __future__ import annotations

import pytest

from tests.builders import OfficeBuilder, helper_app
from tests.conftest import wipe
from tests.faults import (
    Kiosks,
    Screen,
    last_sequence,
    queue_of,
    stored_tickets,
)
from tests.servers import ServerProcess

pytestmark = pytest.mark.slow


def seeded(url: str) -> OfficeBuilder:
    wipe(url)
    office = OfficeBuilder(helper_app(url))
    office.update_service("A", daily_quota=None)  # a burst must not end at the demo's quota
    return office


def waiting_in(url: str, service_id: int) -> list[str]:
    return [t.number for t in stored_tickets(url, service_id) if t.status == "waiting"]


def assert_numbering_is_whole(url: str, service_id: int, code: str = "A") -> list:
    """Stored numbers are 1..n without a hole or a twin, each ticket has its `issued` row, and the
    service's counter says n: nothing was handed out that is not stored, nothing stored twice."""
    stored = stored_tickets(url, service_id)
    assert [t.sequence for t in stored] == list(range(1, len(stored) + 1))
    assert [t.number for t in stored] == [f"{code}{i:03d}" for i in range(1, len(stored) + 1)]
    assert [t.issued_events for t in stored] == [1] * len(stored)
    assert last_sequence(url, service_id) == len(stored)
    return stored


# --- 1. the server is killed in the middle of a burst ---


def test_a_server_killed_mid_burst_keeps_every_ticket_it_answered_and_numbering_goes_on(database_url):
    office = seeded(database_url)
    service = office.service("A")
    env = {"RATELIMIT_ENABLED": "0"}
    server = ServerProcess(database_url, env=env).start()
    kiosks = Kiosks(server.url, service)
    display = None
    try:
        display = Screen(server.url, {"area": ""})
        display.wait_for("snapshot")
        kiosks.start()
        kiosks.wait_until(lambda: len(kiosks.with_status(201)) >= 25, what="25 tickets before the kill")
        server.stop(kill=True)  # SIGKILL to the gunicorn master and its worker, requests in flight
        kiosks.wait_until(lambda: kiosks.with_status(None), what="a kiosk noticing the server is gone")
        kiosks.stop()
        before_restart = display.mark()

        server = ServerProcess(database_url, env=env, port=server.port).start()

        answered = kiosks.with_status(201)
        assert set(kiosks.statuses()) <= {201, None}, kiosks.statuses()
        stored = assert_numbering_is_whole(database_url, service)
        by_token = {t.token: t for t in stored}
        for answer in answered:
            assert by_token[answer.body["token"]].number == answer.body["number"]
            assert by_token[answer.body["token"]].idempotency_key == answer.key
        # A request whose answer was lost may have been stored; never more than once.
        lost = {a.key for a in kiosks.with_status(None)}
        assert {t.idempotency_key for t in stored} <= {a.key for a in answered} | lost

        # The display reconnected by itself and its new snapshot is the stored queue.
        snapshot = display.wait_for("snapshot", after=before_restart)
        assert sorted(queue_of(snapshot, "A")["waiting_numbers"]) == waiting_in(database_url, service)

        # A kiosk retrying a lost request with its key gets the stored ticket, or a new one once.
        for key in sorted(lost):
            retried = kiosks.take(key=key)
            assert retried.status == 201, retried
        stored = assert_numbering_is_whole(database_url, service)
        assert {t.idempotency_key for t in stored} == {a.key for a in answered} | lost

        # Numbering continues after the highest stored number, and the display sees it.
        after = display.mark()
        following = kiosks.take()
        assert following.status == 201
        assert following.body["number"] == f"A{len(stored) + 1:03d}"
        line = display.wait_for("queue.changed", where=lambda q: q["code"] == "A", after=after)
        assert sorted(line["waiting_numbers"]) == waiting_in(database_url, service)
        assert line["waiting_numbers"][-1] == following.body["number"]
    finally:
        kiosks.stop()
        if display:
            display.close()
        server.stop()
