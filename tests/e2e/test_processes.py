"""Real servers: gunicorn+gevent on SQLite, two processes sharing PostgreSQL and Redis, and eventlet."""

from __future__ import annotations

import threading

import pytest
import requests
import socketio

from tests.builders import OfficeBuilder, helper_app
from tests.conftest import REDIS_URL, need, wipe
from tests.servers import ServerProcess

pytestmark = pytest.mark.slow


class Listener:
    """A Socket.IO client that records every event it receives."""

    def __init__(self, url: str, auth: dict, transports=("websocket",)):
        self.events: list[tuple[str, dict]] = []
        self.arrived = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        self.client.connect(url, auth=auth, transports=list(transports), wait_timeout=10)

    def _record(self, name, data=None):
        with self.arrived:
            self.events.append((name, data))
            self.arrived.notify_all()

    def wait_for(self, name: str, where=lambda data: True, timeout: float = 10) -> dict:
        def match():
            return next((d for n, d in self.events if n == name and where(d)), None)

        with self.arrived:
            found = self.arrived.wait_for(match, timeout)
        assert found, f"no matching {name} within {timeout}s; got {[n for n, _ in self.events]}"
        return found

    def close(self) -> None:
        self.client.disconnect()


def seeded(url: str) -> OfficeBuilder:
    wipe(url)
    return OfficeBuilder(helper_app(url))


def officer_session(base_url: str, username: str, counter_id: int) -> requests.Session:
    session = requests.Session()
    login = session.post(f"{base_url}/api/v1/auth/login", json={"username": username, "password": "demo12345"})
    assert login.status_code == 200, login.text
    assert session.post(f"{base_url}/api/v1/counters/{counter_id}/open").status_code == 200
    return session


def test_gunicorn_gevent_on_sqlite_serves_the_api_and_pushes_calls_over_websocket(sqlite_url):
    office = seeded(sqlite_url)
    with ServerProcess(sqlite_url, env={"SOCKETIO_ASYNC_MODE": ""}) as server:
        assert requests.get(f"{server.url}/healthz").json()["async_mode"] == "gevent"  # detected, not configured
        issued = requests.post(f"{server.url}/api/v1/tickets", json={"service_id": office.service("A")})
        assert issued.status_code == 201
        display = Listener(server.url, {"area": ""})
        try:
            assert display.wait_for("snapshot")["queues"][0]["waiting_numbers"] == ["A001"]
            officer = officer_session(server.url, "siti", office.counter(1))
            assert officer.post(f"{server.url}/api/v1/counters/{office.counter(1)}/call-next").status_code == 200
            assert display.wait_for("ticket.called")["number"] == "A001"
        finally:
            display.close()


def test_a_call_made_on_one_process_reaches_a_display_on_the_other_through_redis(postgresql_url):
    need(bool(REDIS_URL), "Redis (REDIS_URL)")
    office = seeded(postgresql_url)
    env = {"REDIS_URL": REDIS_URL, "RATELIMIT_ENABLED": "0"}
    with ServerProcess(postgresql_url, env=env) as first, ServerProcess(postgresql_url, env=env) as second:
        display = Listener(first.url, {"area": ""})
        phone_ticket = requests.post(f"{second.url}/api/v1/tickets", json={"service_id": office.service("A")}).json()
        phone = Listener(first.url, {"ticket": phone_ticket["token"]})
        try:
            display.wait_for("queue.changed")
            officer = officer_session(second.url, "siti", office.counter(1))
            called = officer.post(f"{second.url}/api/v1/counters/{office.counter(1)}/call-next").json()
            assert display.wait_for("ticket.called")["number"] == called["number"] == "A001"
            update = phone.wait_for("ticket.updated")
            assert update["status"] == "called" and update["counter"]["number"] == 1
        finally:
            display.close()
            phone.close()


def test_tickets_issued_through_two_processes_are_unique_and_gap_free(postgresql_url):
    need(bool(REDIS_URL), "Redis (REDIS_URL)")
    office = seeded(postgresql_url)
    office.update_service("A", daily_quota=None)
    env = {"REDIS_URL": REDIS_URL, "RATELIMIT_ENABLED": "0"}
    with ServerProcess(postgresql_url, env=env) as first, ServerProcess(postgresql_url, env=env) as second:

        def kiosk(base_url: str) -> list[str]:
            with requests.Session() as s:
                return [
                    s.post(f"{base_url}/api/v1/tickets", json={"service_id": office.service("A")}).json()["number"]
                    for _ in range(30)
                ]

        results: list[list[str]] = []
        threads = [threading.Thread(target=lambda u=u: results.append(kiosk(u))) for u in (first.url, second.url) * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    numbers = sorted(n for batch in results for n in batch)
    assert numbers == [f"A{i:03d}" for i in range(1, 121)]


def test_the_eventlet_mode_still_serves_and_pushes_events(sqlite_url):
    office = seeded(sqlite_url)
    with ServerProcess(sqlite_url, kind="embedded", env={"SOCKETIO_ASYNC_MODE": "eventlet"}) as server:
        assert requests.get(f"{server.url}/healthz").json()["async_mode"] == "eventlet"
        display = Listener(server.url, {"area": ""})
        try:
            display.wait_for("snapshot")
            assert (
                requests.post(f"{server.url}/api/v1/tickets", json={"service_id": office.service("B")}).status_code
                == 201
            )
            assert display.wait_for("queue.changed")["code"] == "B"
        finally:
            display.close()


def test_a_cli_process_emits_through_redis_to_a_connected_display(postgresql_url):
    need(bool(REDIS_URL), "Redis (REDIS_URL)")
    office = seeded(postgresql_url)
    with ServerProcess(postgresql_url, env={"REDIS_URL": REDIS_URL}) as server:
        requests.post(f"{server.url}/api/v1/tickets", json={"service_id": office.service("A")})
        display = Listener(server.url, {"area": ""})
        try:
            display.wait_for("snapshot")
            cli_app = helper_app(postgresql_url, REDIS_URL=REDIS_URL)
            result = cli_app.test_cli_runner().invoke(args=["close-day"])
            assert "Closed 1" in result.output, result.output
            emptied = display.wait_for("queue.changed", where=lambda q: q["code"] == "A" and q["waiting"] == 0)
            assert emptied["waiting_numbers"] == []
        finally:
            display.close()


def test_a_logout_on_one_process_drops_the_persons_staff_socket_on_the_other(postgresql_url):
    need(bool(REDIS_URL), "Redis (REDIS_URL)")
    seeded(postgresql_url)
    env = {"REDIS_URL": REDIS_URL, "RATELIMIT_ENABLED": "0"}
    with ServerProcess(postgresql_url, env=env) as first, ServerProcess(postgresql_url, env=env) as second:
        session = requests.Session()
        login = session.post(
            f"{second.url}/api/v1/auth/login", json={"username": "supervisor", "password": "demo12345"}
        )
        assert login.status_code == 200, login.text
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        dropped = threading.Event()
        staff = socketio.Client(reconnection=False)
        staff.on("disconnect", lambda *reason: dropped.set())
        staff.connect(first.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
        try:
            assert staff.connected
            assert session.post(f"{second.url}/api/v1/auth/logout").status_code == 200
            assert dropped.wait(10), "the staff socket on the other process was not dropped"
            again = socketio.Client(reconnection=False)
            with pytest.raises(socketio.exceptions.ConnectionError):
                again.connect(first.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
        finally:
            if staff.connected:
                staff.disconnect()
