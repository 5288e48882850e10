"""Faults in the middle of a busy morning, with nothing lost: a server killed mid-burst, Redis gone,
PostgreSQL restarted. Every test reads back what was stored, not only what was answered."""

from __future__ import annotations

import os

import pytest
import requests

from tests.builders import OfficeBuilder, helper_app
from tests.conftest import _migrate, wipe
from tests.faults import (
    Kiosks,
    Officer,
    PrivatePostgres,
    PrivateRedis,
    Screen,
    last_sequence,
    private_postgres_or_skip,
    queue_of,
    sessions_left,
    stored_tickets,
    wait_until,
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


def showing(number: str):
    """The `queue.changed` that includes a ticket: one sent for an earlier change may still be on its way."""
    return lambda line: line["code"] == number[0] and number in line["waiting_numbers"]


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
        # A COMMIT the dead process had already sent still completes on PostgreSQL's side: let it land.
        wait_until(lambda: not sessions_left(database_url), "the dead process's database sessions ending")
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
        following = kiosks.take()
        assert following.status == 201
        assert following.body["number"] == f"A{len(stored) + 1:03d}"
        line = display.wait_for("queue.changed", where=showing(following.body["number"]))
        assert sorted(line["waiting_numbers"]) == waiting_in(database_url, service)
    finally:
        kiosks.stop()
        if display:
            display.close()
        server.stop()
        wipe(database_url)  # the run's shared test database, as the next test expects it


# --- 2. Redis stops while the office works ---


@pytest.fixture
def private_redis():
    if not PrivateRedis.binary():
        pytest.skip("redis-server is not installed; apt-get install redis-server")
    server = PrivateRedis().start()
    try:
        yield server
    finally:
        server.kill()


def test_issuing_and_calling_go_on_over_http_while_redis_is_down_and_screens_catch_up_after(
    postgresql_url, private_redis
):
    office = seeded(postgresql_url)
    service = office.service("A")
    channel = os.environ["SOCKETIO_CHANNEL"]
    # Rate limits stay on: their counts live in this Redis too.
    env = {"REDIS_URL": private_redis.url, "RATELIMIT_ENABLED": "1"}
    first, second = ServerProcess(postgresql_url, env=env), ServerProcess(postgresql_url, env=env)
    screens: list[Screen] = []
    try:
        first.start()
        second.start()
        kiosk_first, kiosk_second = Kiosks(first.url, service), Kiosks(second.url, service)
        display_first, display_second = Screen(first.url, {"area": ""}), Screen(second.url, {"area": ""})
        screens += [display_first, display_second]
        siti, budi = Officer(first.url, "siti", office.counter(1)), Officer(second.url, "budi", office.counter(2))
        answered = []

        # Redis carries events between the processes and holds the rate-limit counts.
        wait_until(lambda: private_redis.subscribers(channel) == 2, "both processes subscribed")
        answered += [kiosk_second.take() for _ in range(3)]
        assert [a.status for a in answered] == [201] * 3
        assert private_redis.client().keys("LIMITS*")
        mark = display_second.mark()
        assert siti.call_next().json()["number"] == "A001"
        assert display_second.wait_for("ticket.called", after=mark)["number"] == "A001"
        # The visitor holding A002 follows it on a phone connected to the second process; budi
        # watches the floor there too.
        phone = Screen(second.url, {"ticket": answered[1].body["token"]})
        floor = Screen(second.url, session=budi.session)
        screens += [phone, floor]
        assert phone.wait_for("snapshot")["ticket"]["status"] == "waiting"
        assert floor.wait_for("snapshot")["kind"] == "staff"

        private_redis.kill()

        # Without Redis: every request is answered, none with a 500, and what was answered is stored.
        during = [kiosk_first.take() for _ in range(3)] + [kiosk_second.take() for _ in range(3)]
        assert [a.status for a in during] == [201] * 6, during
        answered += during
        mark_first = display_first.mark()
        called_first = siti.call_next()
        assert called_first.status_code == 200, called_first.text
        called_second = budi.call_next()
        assert called_second.status_code == 200, called_second.text
        # A display still hears the calls made on its own process.
        assert display_first.wait_for("ticket.called", after=mark_first)["number"] == called_first.json()["number"]
        # A screen that connects now gets the full stored state from the database.
        late = Screen(second.url, {"area": ""})
        screens.append(late)
        snapshot = late.wait_for("snapshot")
        assert sorted(queue_of(snapshot, "A")["waiting_numbers"]) == waiting_in(postgresql_url, service)
        assert requests.get(f"{first.url}/readyz", timeout=15).json()["checks"]["redis"].startswith("error")

        # siti called A002 on the first process; the second process never heard of it.
        assert called_first.json()["number"] == "A002"
        missed = display_second.mark(), phone.mark(), floor.mark()
        private_redis.start()  # same port, empty: nothing was persisted
        assert not private_redis.client().keys("LIMITS*")

        wait_until(lambda: private_redis.subscribers(channel) == 2, "both processes subscribed again")
        # Subscribed again, each process brings its own screens up to date from the database.
        counter_one = display_second.wait_for(
            "counter.changed", where=lambda c: c["id"] == office.counter(1), after=missed[0]
        )
        assert counter_one["current_number"] == "A002"
        mine = phone.wait_for("snapshot", after=missed[1])["ticket"]
        assert (mine["number"], mine["status"], mine["counter"]["number"]) == ("A002", "called", 1)
        on_floor = {t["number"]: t["status"] for t in floor.wait_for("snapshot", after=missed[2])["tickets"]}
        assert on_floor["A002"] == "called" and "A001" not in on_floor  # A001 became a no-show meanwhile
        # A call on one process reaches the display on the other again; so does a new ticket's queue.
        mark = display_second.mark()
        called = siti.call_next()
        assert called.status_code == 200, called.text
        assert display_second.wait_for("ticket.called", after=mark)["number"] == called.json()["number"]
        answered.append(kiosk_second.take())
        assert answered[-1].status == 201
        line = display_first.wait_for("queue.changed", where=showing(answered[-1].body["number"]))
        assert sorted(line["waiting_numbers"]) == waiting_in(postgresql_url, service)

        # The rate limits count in Redis again by themselves (Flask-Limiter checks it after growing pauses).

        def limits_back_in_redis() -> bool:
            # A failed login is counted (401, or 429 once this address is over its limit).
            wrong = requests.post(
                f"{second.url}/api/v1/auth/login", json={"username": "nobody", "password": "wrong-password"}, timeout=15
            )
            assert wrong.status_code in (401, 429), wrong.text
            return bool(private_redis.client().keys("LIMITS*"))

        wait_until(limits_back_in_redis, "rate-limit counts written to Redis again", interval=1)

        # Stored: every answered ticket with its number, numbering whole, the calls recorded.
        stored = assert_numbering_is_whole(postgresql_url, service)
        assert {t.token: t.number for t in stored} == {a.body["token"]: a.body["number"] for a in answered}
        called_at = {"A001": "no_show", "A002": "no_show", "A003": "called", "A004": "called"}
        assert {t.number: t.status for t in stored} == {t.number: called_at.get(t.number, "waiting") for t in stored}
        for server in (first, second):
            assert server.process.poll() is None, server.log()
            assert requests.get(f"{server.url}/readyz", timeout=15).json()["checks"]["redis"] == "ok"
            assert "internal error" not in server.log()
    finally:
        for screen in screens:
            screen.close()
        first.stop()
        second.stop()
        wipe(postgresql_url)


# --- 3. PostgreSQL restarts under the kiosks ---


@pytest.fixture
def private_postgres():
    """A cluster of this test's own: the shared one at 5432 is never stopped."""
    cluster = PrivatePostgres(private_postgres_or_skip())
    try:
        cluster.init()
        _migrate(cluster.url)
        yield cluster
    finally:
        cluster.destroy()


def test_requests_get_503_while_postgresql_restarts_the_app_reconnects_and_nothing_is_half_written(
    private_postgres,
):
    url = private_postgres.url
    service = seeded(url).service("A")
    server = ServerProcess(url, env={"RATELIMIT_ENABLED": "0"}).start()
    kiosks = Kiosks(server.url, service, count=3)
    display = None
    try:
        display = Screen(server.url, {"area": ""})
        display.wait_for("snapshot")
        kiosks.start()
        # A clean shutdown ends every session; an immediate one is a crash, recovered from the WAL.
        for mode in ("fast", "immediate"):
            kiosks.wait_for_more(201, 10, "tickets before the stop")
            private_postgres.stop(mode)
            kiosks.wait_for_more(503, 3, f"503s after a {mode} stop")
            private_postgres.start()
            kiosks.wait_for_more(201, 10, f"issuing after a {mode} stop")
        kiosks.stop()

        # Each request got a ticket or a clear 503; none a 500, none hung.
        assert set(kiosks.statuses()) == {201, 503}, kiosks.statuses()
        unavailable = kiosks.with_status(503)
        assert {a.body["error"]["code"] for a in unavailable} == {"unavailable"}
        assert all(a.body["error"]["message"] for a in unavailable)
        assert requests.get(f"{server.url}/readyz", timeout=15).json()["checks"]["database"] == "ok"

        # Nothing half-written: every ticket has its issued row, the daily counter matches, no hole.
        answered = kiosks.with_status(201)
        stored = assert_numbering_is_whole(url, service)
        by_token = {t.token: t for t in stored}
        for answer in answered:
            assert by_token[answer.body["token"]].number == answer.body["number"]
        # A 503 may come after the commit (the answer could not be read back): the kiosk's retry
        # with the same Idempotency-Key then gets that ticket, never a second one.
        assert {t.idempotency_key for t in stored} <= {a.key for a in answered} | {a.key for a in unavailable}
        for answer in unavailable:
            assert kiosks.take(key=answer.key).status == 201
        stored = assert_numbering_is_whole(url, service)
        assert {t.idempotency_key for t in stored} == {a.key for a in answered} | {a.key for a in unavailable}

        # The display stayed connected through both restarts; the next change brings it the stored line.
        last = kiosks.take()
        assert last.status == 201
        line = display.wait_for("queue.changed", where=showing(last.body["number"]))
        assert sorted(line["waiting_numbers"]) == waiting_in(url, service)

        assert server.process.poll() is None
        assert "internal error" not in server.log()
    finally:
        kiosks.stop()
        if display:
            display.close()
        server.stop()


# --- 4. Redis or PostgreSQL hangs (SIGSTOP: connections stay open, nothing is answered) ---

#: A request during a hang must be answered, not wait: the goal is 2 s, the bound here is generous.
ANSWERED_WITHIN = 5
#: Every screen and phone shows the right state soon after the dependency returns (goal: 5 s).
CAUGHT_UP_WITHIN = 10


def calls_after(screen: Screen, mark: int) -> list[str]:
    return [data["number"] for name, data in screen.events[mark:] if name == "ticket.called"]


def test_issuing_and_calling_succeed_while_redis_hangs_and_screens_catch_up_once_it_resumes(
    postgresql_url, private_redis
):
    office = seeded(postgresql_url)
    service = office.service("A")
    channel = os.environ["SOCKETIO_CHANNEL"]
    env = {"REDIS_URL": private_redis.url, "RATELIMIT_ENABLED": "1", "LOG_FORMAT": "text", "LOG_LEVEL": "WARNING"}
    first, second = ServerProcess(postgresql_url, env=env), ServerProcess(postgresql_url, env=env)
    screens: list[Screen] = []
    try:
        first.start()
        second.start()
        kiosk = Kiosks(first.url, service, timeout=ANSWERED_WITHIN)
        # The display and the phone are on the second process: what the first does reaches them via Redis.
        display = Screen(second.url, {"area": ""})
        screens += [display, Screen(first.url, {"area": ""})]  # a process subscribes at its first client
        siti = Officer(first.url, "siti", office.counter(1))
        wait_until(lambda: private_redis.subscribers(channel) == 2, "both processes subscribed")
        answered = [kiosk.take() for _ in range(2)]
        assert [a.status for a in answered] == [201] * 2, answered
        phone = Screen(second.url, {"ticket": answered[1].body["token"]})
        screens.append(phone)
        assert phone.wait_for("snapshot")["ticket"]["status"] == "waiting"
        display.wait_for("queue.changed", where=showing("A002"))
        marks = display.mark(), phone.mark()

        private_redis.pause()
        try:
            # Every request is answered in time and succeeds: the events wait in the outbox.
            during = [kiosk.take() for _ in range(3)]
            assert [a.status for a in during] == [201] * 3, during
            answered += during
            for expected in ("A001", "A002"):
                called = siti.call_next(timeout=ANSWERED_WITHIN)
                assert called.status_code == 200, called.text
                assert called.json()["number"] == expected
            # Nothing reached the other process yet. The hang lasts until the first process has
            # retried what it publishes, its attempts timing out.
            assert calls_after(display, marks[0]) == []
            wait_until(lambda: "cannot publish to Redis" in first.log(), "the first process retrying")
        finally:
            private_redis.resume()

        # Delivered late, in order, once each: the display speaks each call once.
        display.wait_for(
            "queue.changed", where=showing(answered[-1].body["number"]), after=marks[0], timeout=CAUGHT_UP_WITHIN
        )
        display.wait_for("ticket.called", where=lambda c: c["number"] == "A002", after=marks[0])
        assert calls_after(display, marks[0]) == ["A001", "A002"]
        counter = display.wait_for("counter.changed", where=lambda c: c["current_number"] == "A002", after=marks[0])
        assert counter["id"] == office.counter(1)
        mine = phone.wait_for(
            "ticket.updated", where=lambda t: t["status"] == "called", after=marks[1], timeout=CAUGHT_UP_WITHIN
        )
        assert (mine["number"], mine["counter"]["number"]) == ("A002", 1)
        final = display.wait_for(
            "queue.changed", where=lambda q: q["code"] == "A" and "A002" not in q["waiting_numbers"], after=marks[0]
        )
        assert sorted(final["waiting_numbers"]) == waiting_in(postgresql_url, service)

        # Redis works as before: a call on the first process reaches the second at once.
        mark = display.mark()
        called = siti.call_next()
        assert called.status_code == 200, called.text
        assert display.wait_for("ticket.called", after=mark)["number"] == called.json()["number"]

        stored = assert_numbering_is_whole(postgresql_url, service)
        assert {t.token: t.number for t in stored} == {a.body["token"]: a.body["number"] for a in answered}
        for server in (first, second):
            assert server.process.poll() is None, server.log()
            assert requests.get(f"{server.url}/readyz", timeout=15).json()["checks"]["redis"] == "ok"
            assert "internal error" not in server.log()
    finally:
        for screen in screens:
            screen.close()
        first.stop()
        second.stop()
        wipe(postgresql_url)


def test_requests_get_503_at_once_while_postgresql_hangs_and_everything_catches_up_once_it_resumes(
    private_postgres,
):
    url = private_postgres.url
    service = seeded(url).service("A")
    server = ServerProcess(url, env={"RATELIMIT_ENABLED": "0"}).start()
    kiosks = Kiosks(server.url, service, count=1, timeout=ANSWERED_WITHIN)
    display = None
    try:
        display = Screen(server.url, {"area": ""})
        display.wait_for("snapshot")
        answered = [kiosks.take() for _ in range(2)]
        assert [a.status for a in answered] == [201] * 2, answered

        private_postgres.pause()
        try:
            # Each request fails in time (no answer at all would be status None) with a clear 503.
            hung = [kiosks.take() for _ in range(3)]
            assert [a.status for a in hung] == [503] * 3, hung
            assert {a.body["error"]["code"] for a in hung} <= {"unavailable", "busy"}
            assert all(a.body["error"]["message"] for a in hung)
            ready = requests.get(f"{server.url}/readyz", timeout=ANSWERED_WITHIN)
            assert ready.status_code == 503
            assert ready.json()["checks"]["database"].startswith("error")
        finally:
            private_postgres.resume()

        # Back at once: the hung connections were given up and fresh ones are opened.
        wait_until(
            lambda: requests.get(f"{server.url}/readyz", timeout=ANSWERED_WITHIN).status_code == 200,
            "ready again",
            timeout=CAUGHT_UP_WITHIN,
        )
        after = kiosks.take()
        assert after.status == 201, after
        answered.append(after)
        # A request answered 503 may still have been executed once the server resumed: its retry
        # with the same Idempotency-Key gets that ticket, never a second one.
        for answer in hung:
            retried = kiosks.take(key=answer.key)
            assert retried.status == 201, retried
            answered.append(retried)
        stored = assert_numbering_is_whole(url, service)
        assert {t.idempotency_key for t in stored} == {a.key for a in answered}

        last = kiosks.take()
        assert last.status == 201
        line = display.wait_for("queue.changed", where=showing(last.body["number"]), timeout=CAUGHT_UP_WITHIN)
        assert sorted(line["waiting_numbers"]) == waiting_in(url, service)
        assert server.process.poll() is None
        assert "internal error" not in server.log()
    finally:
        kiosks.stop()
        if display:
            display.close()
        server.stop()


def resyncs_asked(server: ServerProcess) -> int:
    return server.log_path.read_text(errors="replace").count("every process resyncs")


def test_events_dropped_from_a_full_outbox_during_a_redis_hang_make_every_process_resync_its_screens(
    postgresql_url, private_redis
):
    office = seeded(postgresql_url)
    service = office.service("A")
    channel = os.environ["SOCKETIO_CHANNEL"]
    env = {"REDIS_URL": private_redis.url, "RATELIMIT_ENABLED": "0", "LOG_FORMAT": "text", "LOG_LEVEL": "WARNING"}
    # The first process keeps only two messages for the others: a call and two tickets overflow it.
    first = ServerProcess(postgresql_url, env={**env, "REDIS_OUTBOX_SIZE": "2"})
    second = ServerProcess(postgresql_url, env=env)
    screens: list[Screen] = []
    try:
        first.start()
        second.start()
        kiosk = Kiosks(first.url, service, timeout=ANSWERED_WITHIN)
        display = Screen(second.url, {"area": ""})
        screens += [display, Screen(first.url, {"area": ""})]
        siti = Officer(first.url, "siti", office.counter(1))
        wait_until(lambda: private_redis.subscribers(channel) == 2, "both processes subscribed")
        assert kiosk.take().status == 201
        display.wait_for("queue.changed", where=showing("A001"))
        mark = display.mark()
        resyncs = resyncs_asked(first)  # a burst may overflow two messages already

        private_redis.pause()
        try:
            assert [kiosk.take().status for _ in range(2)] == [201, 201]
            called = siti.call_next(timeout=ANSWERED_WITHIN)
            assert called.status_code == 200, called.text
            assert called.json()["number"] == "A001"
            wait_until(lambda: "cannot publish to Redis" in first.log(), "the first process retrying")
        finally:
            private_redis.resume()

        # What was dropped never arrives; the resync brings the stored state instead.
        wait_until(lambda: resyncs_asked(first) > resyncs, "the first process asking for a resync")
        counter = display.wait_for(
            "counter.changed",
            where=lambda c: c["id"] == office.counter(1) and c["current_number"] == "A001",
            after=mark,
            timeout=CAUGHT_UP_WITHIN,
        )
        assert counter["current_number"] == "A001"
        line = display.wait_for(
            "queue.changed", where=lambda q: q["code"] == "A" and q["waiting_numbers"] == ["A002", "A003"], after=mark
        )
        assert sorted(line["waiting_numbers"]) == waiting_in(postgresql_url, service)
        assert "internal error" not in first.log() + second.log()
    finally:
        for screen in screens:
            screen.close()
        first.stop()
        second.stop()
        wipe(postgresql_url)
