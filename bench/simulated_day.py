"""A simulated busy day at a public service mall, replayed faster than real time against two processes.

    .venv/bin/python -m bench.simulated_day [--speed 20] [--hours 8] [--tickets 1800] [--wait-quiet 40]

The office: the demo services A–E without daily quotas, 30 counters (15 on each of two floors),
each with its own officer, serving a main service and a second one (A has 10 counters, B, D and E 6
each, C 2). Visitors arrive from 08:00 on a curve that peaks mid-morning (around 10:00) and falls
through the afternoon; `--tickets` is the whole day's count, `--hours` cuts the day short (arrivals
stop then, the counters serve whoever is still waiting, and the check follows). Each visitor takes
a ticket at a kiosk (services A 35 %, B 20 %, C 5 %, D 20 %, E 20 %); half follow it on their
phone (a Socket.IO client until their visit ends); 2 % give up and withdraw while waiting; 4 % are
not there when called (the officer recalls once, then marks the no-show); 2 % of the served are
transferred to another service and served there too. Service times are log-normal around a mean per
service (A 6, B 10, C 15, D 9, E 5 minutes); an officer walks the called visitor in for a minute
before starting. Waiting-room displays: one announcing every call and one per floor, on each process.

Two gunicorn gevent processes share PostgreSQL and Redis behind nginx (deploy/nginx/ as written):
kiosks and officers go through nginx; Socket.IO clients connect to the processes directly and in
turn (they all come from 127.0.0.1, so nginx's address hash would pin them all to one process).

At the end it checks that every issued ticket ended done, no-show or cancelled, that the numbers of
each service are gap-free, that every display received every call and recall it should announce
(by event id, against the database's event rows) and every following phone its own call, and that
no request got a 5xx or no answer, no visitor's task crashed and no connection dropped.
`bench/soak.py` runs the same day with the server processes' memory and logs watched.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import random
import tempfile
import time
from collections import Counter as Tally
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import socketio
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from . import stack

OPENING = 8 * 60  # minutes after midnight
DAY_HOURS = 8
SHARE = {"A": 0.35, "B": 0.20, "C": 0.05, "D": 0.20, "E": 0.20}
MEAN_MINUTES = {"A": 6, "B": 10, "C": 15, "D": 9, "E": 5}
COUNTERS = {"A": 10, "B": 6, "C": 2, "D": 6, "E": 6}  # main service -> counters
SECOND = {"A": "E", "B": "D", "C": "A", "D": "B", "E": "A"}  # each counter's second service
FLOORS = ("Lantai 1", "Lantai 2")
PHONE_SHARE, WITHDRAW_SHARE, NO_SHOW_SHARE, TRANSFER_SHARE = 0.5, 0.02, 0.04, 0.02
PASSWORD = "demo12345"
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=30)  # an answer slower than this counts as a failure
ISSUE_ENDPOINT = "public_api.issue"  # POST /api/v1/tickets, as the servers' /metrics name it


def arrival_rate(minute: float) -> float:
    """Relative arrivals per minute of the day: a morning peak around 10:00 and a smaller one after lunch."""
    hour = minute / 60
    return 0.25 + math.exp(-(((hour - 10.0) / 1.1) ** 2)) + 0.35 * math.exp(-(((hour - 13.5) / 1.0) ** 2))


def arrival_minutes(total: int, hours: float, rng: random.Random) -> list[float]:
    """Arrival times (minutes after midnight) of a Poisson process following arrival_rate, cut at `hours`."""
    day_end = OPENING + DAY_HOURS * 60
    whole_day = sum(arrival_rate(m + 0.5) for m in range(OPENING, day_end))
    scale = total / whole_day
    peak = max(arrival_rate(m) for m in range(OPENING, day_end)) * scale
    arrivals, minute = [], float(OPENING)
    while True:
        minute += rng.expovariate(peak)
        if minute >= OPENING + hours * 60 or minute >= day_end:
            return arrivals
        if rng.random() < arrival_rate(minute) * scale / peak:
            arrivals.append(minute)


class SimClock:
    def __init__(self, speed: float):
        self.speed = speed
        self.started = time.monotonic()

    def minute(self) -> float:
        """The simulated time of day, in minutes after midnight."""
        return OPENING + (time.monotonic() - self.started) * self.speed / 60

    async def until(self, minute: float) -> None:
        await asyncio.sleep(max(0.0, (minute - self.minute()) * 60 / self.speed))

    async def wait(self, minutes: float) -> None:
        await asyncio.sleep(max(0.0, minutes * 60 / self.speed))


@dataclass
class Visit:
    ticket_id: int
    number: str
    token: str
    service: str
    no_show: bool
    withdraws_after: float | None  # simulated minutes of waiting before giving up
    transfer: bool
    calls_seen: int = 0


@dataclass
class Listener:
    """A display or a phone: a Socket.IO client that keeps what it heard."""

    url: str
    auth: dict
    call_ids: set[int] = field(default_factory=set)
    events: Tally = field(default_factory=Tally)
    sio: socketio.AsyncClient | None = None
    visit: Visit | None = None
    connected_once: bool = False
    knew_from_snapshot: bool = False
    closing: bool = False
    dropped: int = 0  # disconnections the script did not ask for

    async def connect(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        snapshot = asyncio.Event()

        async def on_any(name, data=None):
            self.events[name] += 1
            if name == "snapshot":
                snapshot.set()
                status = data.get("ticket", {}).get("status") if isinstance(data, dict) else None
                if self.visit and status not in (None, "waiting"):
                    self.visit.calls_seen += 1
                    self.knew_from_snapshot = True
            elif name in ("ticket.called", "ticket.recalled") and isinstance(data, dict) and "event_id" in data:
                self.call_ids.add(data["event_id"])
            elif name == "ticket.updated" and self.visit and isinstance(data, dict):
                if data["status"] == "called":
                    self.visit.calls_seen += 1
                elif data["status"] in ("done", "no_show", "cancelled"):
                    asyncio.ensure_future(self.close())  # the visit is over: the phone leaves

        def on_disconnect(reason=None):
            if not self.closing:
                self.dropped += 1

        self.sio.on("*", on_any)
        self.sio.on("disconnect", on_disconnect)
        await self.sio.connect(self.url, auth=self.auth, transports=["websocket"], wait_timeout=30)
        await asyncio.wait_for(snapshot.wait(), 30)
        self.connected_once = True

    async def close(self) -> None:
        self.closing = True
        if self.sio and self.sio.connected:
            await self.sio.disconnect()


@dataclass
class Stats:
    issue_ms: list[float] = field(default_factory=list)
    call_ms: list[float] = field(default_factory=list)
    unexpected: Tally = field(default_factory=Tally)
    requests: int = 0
    server_errors: Tally = field(default_factory=Tally)  # 5xx answers by status
    failures: Tally = field(default_factory=Tally)  # no answer: timeouts, refused or reset connections
    crashed: Tally = field(default_factory=Tally)  # exceptions that ended a simulated visitor or phone
    withdrawn: int = 0
    max_waiting: int = 0
    phone_failures: int = 0
    loop_late_ms: list[float] = field(default_factory=list)  # how late the script's own event loop woke up


class Day:
    def __init__(self, base_url: str, socket_urls: list[str], office, counters: list[dict], args, rng):
        self.base = base_url
        self.socket_urls = socket_urls
        self.office = office
        self.counters = counters
        self.args = args
        self.rng = rng
        self.clock = SimClock(args.speed)
        self.visits: dict[int, Visit] = {}
        self.phones: list[Listener] = []
        self.stats = Stats()
        self.arrivals_over = False
        self.serving = 0
        self.http: aiohttp.ClientSession | None = None
        self.tasks: set[asyncio.Task] = set()

    def spawn(self, coro) -> None:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.finished)

    def finished(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.stats.crashed[repr(task.exception())[:120]] += 1

    async def post(
        self, session: aiohttp.ClientSession, path: str, body: dict | None = None, headers: dict | None = None
    ) -> tuple[int, dict]:
        """Every request of the day goes through here: 5xx answers and requests without an answer (timeouts,
        refused or reset connections: status 0) are counted whatever the caller does with them."""
        self.stats.requests += 1
        try:
            async with session.post(f"{self.base}/api/v1/{path}", json=body or {}, headers=headers) as response:
                if response.content_type == "application/json":
                    answer = await response.json()
                else:  # e.g. nginx's own 502 page
                    answer = {"error": {"code": f"not JSON: {(await response.text())[:60]!r}"}}
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.stats.failures[f"{path.split('/')[-1]} {exc.__class__.__name__}"] += 1
            return 0, {"error": {"code": exc.__class__.__name__}}
        if response.status >= 500:
            self.stats.server_errors[f"{path.split('/')[-1]} {response.status}"] += 1
        return response.status, answer

    # --- visitors ---

    async def visitor(self, n: int) -> None:
        service = self.rng.choices(list(SHARE), weights=list(SHARE.values()))[0]
        started = time.perf_counter()
        status, body = await self.post(
            self.http,
            "tickets",
            {"service_id": self.office.service(service)},
            headers={"Idempotency-Key": f"simulated-day-{os.getpid()}-{n}"},
        )
        self.stats.issue_ms.append((time.perf_counter() - started) * 1000)
        if status != 201:
            self.stats.unexpected[f"issue {status}"] += 1
            return
        visit = Visit(
            body["id"],
            body["number"],
            body["token"],
            service,
            no_show=self.rng.random() < NO_SHOW_SHARE,
            withdraws_after=self.rng.uniform(5, 40) if self.rng.random() < WITHDRAW_SHARE else None,
            transfer=self.rng.random() < TRANSFER_SHARE,
        )
        self.visits[visit.ticket_id] = visit
        if self.rng.random() < PHONE_SHARE:
            phone = Listener(self.socket_urls[n % len(self.socket_urls)], {"ticket": visit.token}, visit=visit)
            self.phones.append(phone)
            self.spawn(self.follow(phone))
        if visit.withdraws_after is not None:
            self.spawn(self.withdraw(visit))

    async def follow(self, phone: Listener) -> None:
        try:
            await phone.connect()
        except (socketio.exceptions.ConnectionError, TimeoutError) as exc:
            print(f"phone {phone.visit.number} could not connect: {exc!r}", flush=True)
            self.stats.phone_failures += 1

    async def withdraw(self, visit: Visit) -> None:
        await self.clock.wait(visit.withdraws_after)
        status, _ = await self.post(self.http, f"tickets/{visit.token}/withdraw")
        if status == 200:
            self.stats.withdrawn += 1
        elif status != 409:  # 409: already called, the visitor stays
            self.stats.unexpected[f"withdraw {status}"] += 1

    async def kiosks(self, arrivals: list[float]) -> None:
        for n, minute in enumerate(arrivals):
            await self.clock.until(minute)
            self.spawn(self.visitor(n))
        self.arrivals_over = True

    # --- officers ---

    async def officer(self, counter: dict) -> None:
        desk = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=REQUEST_TIMEOUT)
        try:
            status, body = await self.post(desk, "auth/login", {"username": counter["username"], "password": PASSWORD})
            assert status == 200, body
            status, body = await self.post(desk, f"counters/{counter['id']}/open")
            assert status == 200, body
            idle_rounds = 0
            while True:
                started = time.perf_counter()
                status, body = await self.post(desk, f"counters/{counter['id']}/call-next")
                self.stats.call_ms.append((time.perf_counter() - started) * 1000)
                if status == 404:
                    # Closing time: no visitor to come, nobody at a counter who might be transferred.
                    idle_rounds = idle_rounds + 1 if self.arrivals_over and not self.busy() else 0
                    if idle_rounds >= 3:
                        break
                    await self.clock.wait(1)  # an idle officer looks again a minute later
                    continue
                if status != 200:
                    self.stats.unexpected[f"call-next {status} {body.get('error', {}).get('code')}"] += 1
                    await self.clock.wait(0.5)
                    continue
                idle_rounds = 0
                self.serving += 1
                try:
                    await self.serve(desk, body)
                finally:
                    self.serving -= 1
            await self.post(desk, f"counters/{counter['id']}/close")
        finally:
            await desk.close()

    def busy(self) -> bool:
        """Visitors still being issued or about to withdraw, or being served, keep the counters open."""
        return self.serving > 0 or any(not t.done() for t in self.tasks)

    async def serve(self, desk: aiohttp.ClientSession, called: dict) -> None:
        visit = self.visits.get(called["id"])
        ticket = called["id"]
        first_visit = visit is not None and called["service"]["code"] == visit.service
        if visit is not None and visit.no_show and first_visit:
            await self.clock.wait(2)
            await self.expect(desk, f"tickets/{ticket}/recall")
            await self.clock.wait(2)
            await self.expect(desk, f"tickets/{ticket}/no-show")
            return
        await self.clock.wait(1)  # the visitor walks to the counter
        await self.expect(desk, f"tickets/{ticket}/start")
        code = called["service"]["code"]
        mean = MEAN_MINUTES[code]
        await self.clock.wait(self.rng.lognormvariate(math.log(mean) - 0.18, 0.6))
        if visit is not None and visit.transfer and first_visit:
            target = self.rng.choice([c for c in SHARE if c != code])
            await self.expect(
                desk, f"tickets/{ticket}/transfer", {"to_service_id": self.office.service(target), "note": "simulasi"}
            )
            return
        await self.expect(desk, f"tickets/{ticket}/finish")

    async def expect(self, desk: aiohttp.ClientSession, path: str, body: dict | None = None) -> None:
        status, answer = await self.post(desk, path, body)
        if status != 200:
            self.stats.unexpected[f"{path.split('/')[-1]} {status} {answer.get('error', {}).get('code')}"] += 1

    # --- the floor ---

    async def watch_queue(self, database: str) -> None:
        engine = create_engine(database, poolclass=NullPool)
        try:
            while True:
                with engine.connect() as conn:
                    waiting = conn.execute(text("SELECT count(*) FROM tickets WHERE status = 'waiting'")).scalar()
                self.stats.max_waiting = max(self.stats.max_waiting, waiting)
                await asyncio.sleep(2)
        finally:
            engine.dispose()

    async def progress(self) -> None:
        while True:
            await asyncio.sleep(30)
            hour, minute = divmod(int(self.clock.minute()), 60)
            print(
                f"{hour:02d}:{minute:02d} issued {len(self.visits)}, phones {len(self.phones)}, "
                f"most waiting {self.stats.max_waiting}, unexpected {dict(self.stats.unexpected)}",
                flush=True,
            )


def build_floor(database: str) -> tuple[object, list[dict]]:
    """The demo office without quotas, plus 30 counters on two floors, each with its own officer."""
    from servicedesk.domain.model import Counter, Role, User
    from servicedesk.extensions import db
    from servicedesk.web.context import unit_of_work
    from tests.builders import FAST_HASH

    office = stack.seed_office(database)
    for code in SHARE:
        office.update_service(code, daily_quota=None)
    counters = []
    with office.app.app_context():
        uow = unit_of_work()
        by_code = {code: uow.repo.service_by_code(code) for code in SHARE}
        number = 10
        for main, count in COUNTERS.items():
            for _ in range(count):
                number += 1
                floor = FLOORS[(number - 11) * 2 // sum(COUNTERS.values())]
                codes = [main, SECOND[main]]
                counter = Counter(number, f"Loket {number}", floor)
                uow.repo.add(counter)
                user = User(f"petugas{number}", f"Petugas Loket {number}", Role.OFFICER, FAST_HASH)
                user.competences = [by_code[c] for c in codes]
                uow.repo.add(user)
                uow.session.flush()
                uow.repo.set_counter_services(counter, [by_code[c].id for c in codes])
                counters.append({"id": counter.id, "number": number, "username": user.username, "floor": floor})
        uow.commit()
        db.engine.dispose()
    return office, counters


@dataclass
class Check:
    lines: list[str]
    passed: bool


def check(database: str, day: Day, displays: list[tuple[str, Listener]], served: dict[float, int]) -> Check:
    engine = create_engine(database, poolclass=NullPool)
    with engine.connect() as conn:
        tickets = conn.execute(
            text(
                "SELECT t.id, t.number, t.status, t.sequence, s.code, t.service_day "
                "FROM tickets t JOIN services s ON s.id = t.origin_service_id"
            )
        ).all()
        calls = conn.execute(
            text(
                "SELECT e.id, c.area FROM ticket_events e JOIN counters c ON c.id = e.counter_id "
                "WHERE e.kind IN ('called', 'recalled')"
            )
        ).all()
        transferred = conn.execute(text("SELECT count(*) FROM ticket_events WHERE kind = 'transferred'")).scalar()
        waits = conn.execute(
            text(
                "SELECT extract(epoch FROM min(e.at) - t.issued_at) FROM tickets t "
                "JOIN ticket_events e ON e.ticket_id = t.id AND e.kind = 'called' GROUP BY t.id, t.issued_at"
            )
        ).scalars()
        waits = sorted(float(w) * day.args.speed / 60 for w in waits)
    engine.dispose()
    lines, passed = [], True

    def verdict(ok: bool, text_: str) -> None:
        nonlocal passed
        passed &= ok
        lines.append(f"- {'PASS' if ok else 'FAIL'}: {text_}")

    statuses = Tally(row.status for row in tickets)
    issued_ids = set(day.visits)
    stored_ids = {row.id for row in tickets}
    verdict(
        issued_ids == stored_ids,
        f"the kiosks were given {len(issued_ids)} tickets and the database holds {len(stored_ids)}, the same ones",
    )
    open_ = {s: n for s, n in statuses.items() if s not in ("done", "no_show", "cancelled")}
    verdict(
        not open_,
        f"every ticket ended done, no-show or cancelled: {dict(statuses)}"
        + (f"; still open: {open_}" if open_ else ""),
    )
    gaps = []
    by_service: dict[tuple, list[int]] = {}
    for row in tickets:
        by_service.setdefault((row.code, row.service_day), []).append(row.sequence)
        if row.number != f"{row.code}{row.sequence:03d}":
            gaps.append(f"{row.number} has sequence {row.sequence}")
    for (code, service_day), sequences in sorted(by_service.items()):
        if sorted(sequences) != list(range(1, len(sequences) + 1)):
            gaps.append(f"{code} on {service_day}: {len(sequences)} numbers, highest {max(sequences)}")
    verdict(not gaps, "numbers are gap-free per service and day" + (f": {gaps[:5]}" if gaps else ""))
    for name, display in displays:
        should = {row.id for row in calls if name.endswith("all calls") or name.endswith(row.area)}
        missing = should - display.call_ids
        verdict(
            not missing and not display.dropped,
            f"display {name} announced {len(should & display.call_ids)} of the {len(should)} calls and recalls "
            f"it should"
            + (f" (missing {len(missing)})" if missing else "")
            + (f"; its connection dropped {display.dropped} times" if display.dropped else ""),
        )
    called = called_ids(database)
    phones_called = [p for p in day.phones if p.connected_once and p.visit.ticket_id in called]
    deaf = [p.visit.number for p in phones_called if p.visit.calls_seen == 0]
    verdict(
        not deaf and not day.stats.phone_failures,
        f"every one of {len(phones_called)} phones whose ticket was called heard its call "
        f"({sum(p.knew_from_snapshot for p in phones_called)} of them from their snapshot: called before they "
        f"connected)"
        + (f"; not: {deaf[:10]}" if deaf else "")
        + (f"; {day.stats.phone_failures} phones failed to connect" if day.stats.phone_failures else ""),
    )
    stats = day.stats
    dropped = sum(phone.dropped for phone in day.phones)
    verdict(
        not stats.server_errors and not stats.failures and not stats.crashed and not dropped,
        f"{stats.requests} requests: {sum(stats.server_errors.values())} answered 5xx, "
        f"{sum(stats.failures.values())} got no answer (timeout after {REQUEST_TIMEOUT.total:g} s, refused or reset), "
        f"{sum(stats.crashed.values())} visitors or phones crashed in the script, {dropped} phone connections dropped"
        + "".join(
            f"; {what}: {dict(tally)}"
            for what, tally in (("5xx", stats.server_errors), ("no answer", stats.failures), ("crashed", stats.crashed))
            if tally
        ),
    )
    p = stack.percentile
    lines += [
        "",
        f"Tickets {len(tickets)} ({dict(sorted(Tally(row.code for row in tickets).items()))}); "
        f"transfers {transferred}; withdrawn by visitors {stats.withdrawn}; most waiting at once {stats.max_waiting}.",
        f"Simulated wait until the first call: median {p(waits, 50):.0f} min, p90 {p(waits, 90):.0f} min, "
        f"longest {max(waits, default=0):.0f} min.",
        f"Kiosk issuing through nginx: p50 {p(stats.issue_ms, 50):.0f} ms, p99 {p(stats.issue_ms, 99):.0f} ms; "
        f"call-next ({len(stats.call_ms)} presses, empty queues included): p50 {p(stats.call_ms, 50):.0f} ms, "
        f"p99 {p(stats.call_ms, 99):.0f} ms.",
        within_bounds(stats.issue_ms, served),
        f"The script's own event loop woke late by p50 {p(stats.loop_late_ms, 50):.1f} ms, p99 "
        f"{p(stats.loop_late_ms, 99):.1f} ms, at most {max(stats.loop_late_ms, default=0):.0f} ms "
        f"({len(stats.loop_late_ms)} sleeps of {stack.LAG_PROBE_SECONDS * 1000:.0f} ms): a request it timed meanwhile "
        "looks slower than the server answered it.",
        f"Unexpected answers: {dict(stats.unexpected) or 'none'}.",
    ]
    return Check(lines, passed)


async def server_timings(urls: list[str], endpoint: str) -> dict[float, int]:
    """How long the servers themselves took to answer an endpoint (from Flask's first hook to its last, not
    counting nginx or the script): their /metrics histograms of its successful answers, summed over the
    processes, as {upper bound in seconds: answers within it}."""
    within: Tally = Tally()
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as http:
        for url in urls:
            async with http.get(f"{url}/metrics") as response:
                exposition = await response.text()
            for family in text_string_to_metric_families(exposition):
                for sample in family.samples:
                    labels = sample.labels
                    if (
                        sample.name == "servicedesk_request_seconds_bucket"
                        and labels.get("endpoint") == endpoint
                        and labels.get("status", "").startswith("2")
                    ):
                        within[float(labels["le"])] += int(sample.value)
    return dict(within)


def within_bounds(client_ms: list[float], served: dict[float, int]) -> str:
    """The share of answers within each histogram bound, as the servers and as the script timed them."""
    total = served.get(math.inf, 0)
    if not total or not client_ms:
        return "Kiosk issuing as the servers timed it: no figures (/metrics gave none)."
    bounds = [b for b in sorted(served) if 0.025 <= b <= 0.5]
    timed = lambda bound: sum(ms <= bound * 1000 for ms in client_ms) / len(client_ms)  # noqa: E731
    shares = ", ".join(f"{bound * 1000:.0f} ms: {served[bound] / total:.1%} / {timed(bound):.1%}" for bound in bounds)
    return (
        f"Kiosk issuing, share of answers within a time, as the servers timed it ({total} answers, their "
        f"/metrics: Flask's first hook to its last) / as the script timed it (through nginx and its own "
        f"event loop): {shares}."
    )


def called_ids(database: str) -> set[int]:
    """Tickets with at least one call row (a phone whose visitor withdrew first was never called)."""
    engine = create_engine(database, poolclass=NullPool)
    with engine.connect() as conn:
        ids = set(conn.execute(text("SELECT DISTINCT ticket_id FROM ticket_events WHERE kind = 'called'")).scalars())
    engine.dispose()
    return ids


async def simulate(args, monitor=None) -> tuple[Check, dict]:
    """The day, from an empty database to the checks. A `monitor` (bench/soak.py) is started once the server
    processes and nginx are up and finished, with the day's request counts, before the checks."""
    rng = random.Random(args.seed)
    arrivals = arrival_minutes(args.tickets, args.hours, rng)
    channel = stack.redis_channel("day")
    with contextlib.ExitStack() as resources:
        database = resources.enter_context(stack.postgresql_database(f"servicedesk_bench_day_{os.getpid()}"))
        office, counters = build_floor(database)
        # Structured logs as in production: every warning and error carries its level (bench/soak.py reads them).
        env = stack.server_env(channel) | {"LOG_FORMAT": "json"}
        servers = [resources.enter_context(stack.ServerProcess(database, env=env)) for _ in range(2)]
        folder = Path(resources.enter_context(tempfile.TemporaryDirectory(prefix="servicedesk-nginx-")))
        nginx = resources.enter_context(stack.Nginx(folder, [s.port for s in servers]))
        if monitor is not None:
            roots = {f"process {i + 1}": s.process.pid for i, s in enumerate(servers)} | {"nginx": nginx.process.pid}
            monitor.start(roots, [s.log_path for s in servers] + [folder / "error.log"])
        socket_urls = [s.url for s in servers]
        displays = []
        for i, url in enumerate(socket_urls):
            displays.append((f"{i + 1} (process {i + 1}), all calls", Listener(url, {"area": ""})))
            displays.append((f"{i + 3} (process {i + 1}), {FLOORS[i]}", Listener(url, {"area": FLOORS[i]})))
        for _, display in displays:
            await display.connect()
        day = Day(nginx.url, socket_urls, office, counters, args, rng)
        print(f"{len(arrivals)} arrivals in {args.hours:g} h, at {args.speed:g}× speed", flush=True)
        started = time.monotonic()
        connector = aiohttp.TCPConnector(limit=200)
        async with aiohttp.ClientSession(connector=connector, timeout=REQUEST_TIMEOUT) as http:
            day.http = http
            day.clock = SimClock(args.speed)
            if monitor is not None:
                monitor.simulated = day.clock.minute
            jobs = (day.watch_queue(database), day.progress(), stack.loop_lag(day.stats.loop_late_ms))
            watchers = [asyncio.create_task(job) for job in jobs]
            officers = [asyncio.create_task(day.officer(c)) for c in counters]
            await day.kiosks(arrivals)
            await asyncio.gather(*officers)
            while day.tasks:
                await asyncio.gather(*list(day.tasks), return_exceptions=True)
            for watcher in watchers:
                watcher.cancel()
            await asyncio.sleep(2)  # the last events reach the displays
        real_minutes = (time.monotonic() - started) / 60
        if monitor is not None:
            await monitor.finish(day, displays)
        served = await server_timings(socket_urls, ISSUE_ENDPOINT)
        result = check(database, day, displays, served)
        await asyncio.gather(*(d.close() for _, d in displays), *(p.close() for p in day.phones))
        facts = {
            "arrivals": len(arrivals),
            "real_minutes": real_minutes,
            "simulated_until": day.clock.minute(),
            "phones": len(day.phones),
        }
        return result, facts


def report(result: Check, facts: dict, args, header: list[str]) -> list[str]:
    end_hour, end_minute = divmod(int(facts["simulated_until"]), 60)
    cut_hour, cut_minute = divmod(int(OPENING + args.hours * 60), 60)
    shortened = (
        f"**Shortened day**: arrivals from 08:00 to {cut_hour:02d}:{cut_minute:02d} only, "
        "then the counters served everyone still waiting. "
        if args.hours < DAY_HOURS
        else "The whole day, 08:00–16:00. "
    )
    return [
        *header,
        shortened + f"{facts['arrivals']} visitors (of a {args.tickets}-ticket day) at {args.speed:g}× speed: "
        f"{facts['real_minutes']:.1f} real minutes, the last counter closed at {end_hour:02d}:{end_minute:02d} "
        f"simulated; 30 counters, {facts['phones']} phones following their ticket, 4 displays; random seed "
        f"{args.seed}.",
        "",
        *result.lines,
        "",
        f"Overall: {'every check passed' if result.passed else 'SOME CHECKS FAILED'}.",
    ]


def parser(description: str = __doc__) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed", type=float, default=20, help="simulated minutes per real minute")
    parser.add_argument("--hours", type=float, default=DAY_HOURS, help="hours of arrivals from 08:00 (8: whole day)")
    parser.add_argument("--tickets", type=int, default=1800, help="visitors in a whole day")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--wait-quiet", type=float, default=0, help="minutes to wait for a quiet machine first")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    return parser


def run(args, monitor=None) -> tuple[Check, list[str], list[str]]:
    """The day with its checks; answers the result, the report header (machine, command, load) and the report."""
    stack.raise_open_files_limit()
    quiet = stack.wait_until_quiet(args.wait_quiet) if args.wait_quiet else "not checked"
    started = stack.load_average()
    result, facts = asyncio.run(simulate(args, monitor))
    header = stack.report_header(quiet, started)
    return result, header, report(result, facts, args, header)


def main() -> None:
    args = parser().parse_args()
    result, _, lines = run(args)
    print("\n".join(lines))
    if not args.no_write:
        stack.write_section("simulated-day", lines)
    raise SystemExit(0 if result.passed else 1)


if __name__ == "__main__":
    main()
