"""A city's hall of agencies, live: one call reaching its room's screens, with thousands connected (issue 26).

    .venv/bin/python -m bench.city [--clients 20000] [--agencies 30] [--processes 4] [--calls 60]
                                   [--interval 0.5] [--wait-quiet 0] [--no-write]

`--processes` gunicorn gevent processes share PostgreSQL and Redis (the Socket.IO message queue). The
office gets `--agencies` agencies besides the demo's, each with one service, its counter 1 (numbers repeat
across agencies) with an officer at it, and a TV of its own (a display device of the agency). The clients
are, of `--clients`: 2% hall TVs (every agency's calls), 8% agency TVs (spread over the agencies), the
rest visitors' phones, each holding a waiting ticket of one agency's service (spread evenly). They are
spread over the processes round robin, each connected to its process directly: Socket.IO runs over
websocket only, so any process may hold any screen, and nginx's address hash would put every client
of this one machine on one process.

Then the agencies' officers call in turn, one call every `--interval` seconds, each marked a no-show at
once. For every call the delay to each screen that must show it is measured from the call-next request:
`ticket.called` on every hall TV and on the called agency's own TVs, `ticket.updated` on the called
visitor's phone, `queue.changed` (without the called number) on the other phones of that service. A
screen without its event 10 s after the call counts as lost; a `ticket.called` reaching another
agency's TV counts as a leak (the rooms are scoped per agency). The clients live in this one asyncio
process (the thin client of bench/calls.py); how late its own loop woke is reported, since on this
2-core machine the clients and the servers share the CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import multiprocessing
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from servicedesk.domain.model import Agency, Counter, Role, Service, User
from servicedesk.extensions import db
from servicedesk.services import admin
from servicedesk.web.context import unit_of_work
from tests.builders import FAST_HASH

from . import stack
from .calls import LOST_AFTER, ThinSocket

CONNECTING_AT_ONCE = 40  # fewer than four processes' database pools together
SOURCES = 250  # client addresses when going through nginx, which pins a socket by its address


@dataclass
class Agencies:
    ids: list[int]
    services: list[int]
    counters: list[int]
    officers: list[str]
    tv_tokens: list[str]
    codes: list[str]


def seed_agencies(url: str, count: int) -> Agencies:
    """`count` agencies, each with service X.., its counter 1, an officer and a TV of its own."""
    office = stack.seed_office(url)
    found = Agencies([], [], [], [], [], [])
    with office.app.app_context():
        for k in range(count):
            uow = unit_of_work()
            code = f"X{chr(65 + k // 26)}{chr(65 + k % 26)}"
            agency = Agency(f"KOTA{k + 1:02d}", f"Dinas Kota {k + 1}", f"Dinas {k + 1}")
            uow.repo.add(agency)
            uow.session.flush()
            service = Service(code, f"Layanan {code}", agency_id=agency.id, standard_minutes=10)
            counter = Counter(1, f"Loket 1 {code}", agency_id=agency.id)
            officer = User(f"petugas{k + 1:02d}", f"Petugas {k + 1}", Role.OFFICER, FAST_HASH)
            officer.agency_id = agency.id
            officer.competences = [service]
            for row in (service, counter, officer):
                uow.repo.add(row)
            uow.session.flush()
            uow.repo.set_counter_services(counter, [service.id])
            uow.commit()
            _, token = admin.register_device(
                unit_of_work(), actor_id=None, data={"kind": "display", "name": f"TV {code}", "agency_id": agency.id}
            )
            found.ids.append(agency.id)
            found.services.append(service.id)
            found.counters.append(counter.id)
            found.officers.append(officer.username)
            found.tv_tokens.append(token)
            found.codes.append(code)
        db.session.remove()
    return found


@dataclass
class Screen:
    kind: str  # "hall", "tv" or "phone"
    agency: int | None  # index of its agency (None: the hall's)
    url: str
    auth: dict
    number: str | None = None  # a phone's ticket number
    source: str = "127.0.0.1"  # the address it connects from (nginx pins a socket by address)


@dataclass
class Call:
    agency: int
    number: str
    code: str


def wants(screen: Screen, call: Call) -> bool:
    return screen.kind == "hall" or screen.agency == call.agency


class Listener:
    """One client process's screens: which call each event answers, and the first time it did.

    Every call is known before the run (the officers call the oldest waiting ticket of each agency in
    turn), so a screen's event is matched to its call by its content: a TV's `ticket.called` by the
    number, the called phone's `ticket.updated` by its own number, another phone's `queue.changed` by
    the first list of its service without a called number. Each first match is reported (call, screen,
    when) on the `hits` queue to the measuring process, which timed the call's request: both read the
    same system-wide monotonic clock."""

    def __init__(self, screens: list[tuple[int, Screen]], calls: list[Call], hits):
        self.screens = screens
        self.calls = calls
        self.by_number = {call.number: n for n, call in enumerate(calls)}
        self.by_code: dict[str, list[int]] = {}
        for n, call in enumerate(calls):
            self.by_code.setdefault(call.code, []).append(n)
        self.codes = {call.agency: call.code for call in calls}
        self.seen: set[tuple[int, int]] = set()
        self.hits = hits

    def record(self, key: int, screen: Screen, name: str, data) -> None:
        now = time.perf_counter()
        if not isinstance(data, dict):
            return
        if screen.kind in ("hall", "tv"):
            if name != "ticket.called" or (n := self.by_number.get(data.get("number"))) is None:
                return
            if screen.kind == "tv" and screen.agency != self.calls[n].agency:
                self.hits.put(("leak", n, key, now))  # another agency's TV heard this call
                return
            self._hit(n, key, now)
        elif name == "ticket.updated" and data.get("status") == "called" and data.get("number") == screen.number:
            self._hit(self.by_number[screen.number], key, now)
        elif name == "queue.changed" and data.get("code") == self.codes.get(screen.agency):
            waiting = set(data["waiting_numbers"])
            for n in self.by_code[data["code"]]:
                number = self.calls[n].number
                if number != screen.number and number not in waiting and (n, key) not in self.seen:
                    self._hit(n, key, now)

    def _hit(self, n: int, key: int, now: float) -> None:
        if (n, key) not in self.seen:
            self.seen.add((n, key))
            self.hits.put(("hit", n, key, now))


async def issue_all(urls: list[str], service_ids: list[int], per_service: int) -> list[list[dict]]:
    """`per_service` waiting tickets of each service, issued concurrently over the processes."""
    issued: list[list[dict]] = [[] for _ in service_ids]
    limit = asyncio.Semaphore(len(service_ids))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:

        async def one(i: int, k: int) -> None:
            # A service's tickets are numbered one at a time (a row lock): the requests in flight at once
            # are for different services, and one that waited past the lock timeout (503) is sent again.
            for attempt in range(5):
                async with (
                    limit,
                    http.post(
                        f"{urls[(i + k) % len(urls)]}/api/v1/tickets",
                        json={"service_id": service_ids[k]},
                        headers={"Idempotency-Key": f"bench-city-{k}-{i}-{attempt}"},
                    ) as response,
                ):
                    if response.status == 503 and attempt < 4:
                        continue
                    assert response.status == 201, await response.text()
                    issued[k].append(await response.json())
                    return

        await asyncio.gather(*(one(i, k) for i in range(per_service) for k in range(len(service_ids))))
    for tickets in issued:
        tickets.sort(key=lambda t: (t["created_at"], t["id"]))  # the order call-next takes them
    return issued


async def connect(
    key: int, screen: Screen, listener: Listener, limit: asyncio.Semaphore, http: aiohttp.ClientSession
) -> tuple[ThinSocket, int]:
    snapshot = asyncio.Event()

    def on_event(name, data=None):
        if name == "snapshot":
            snapshot.set()
        listener.record(key, screen, name, data)

    retries = 0
    async with limit:
        # A handshake the server never answers (its accept queue overflowed in a storm) is tried again,
        # not waited for: one stuck connect would hold its slot, and forty of them stop the whole run.
        for attempt in range(3):
            sock = ThinSocket(http, on_event)
            try:
                await asyncio.wait_for(sock.connect(screen.url, screen.auth), 20)
                await asyncio.wait_for(snapshot.wait(), 30)
                return sock, retries
            except (TimeoutError, aiohttp.ClientError, ConnectionError):
                await sock.disconnect()
                if attempt == 2:
                    raise
                retries += 1
    raise AssertionError("unreachable")


def client_process(screens: list[tuple[int, Screen]], calls: list[Call], at_once: int, hits, stop) -> None:
    """A process of its own holding some of the screens (one process may not open 20,000 sockets):
    connects them, reports ("connected", how many, retries), listens until `stop` is set, then
    reports ("lag", how late its loop woke, in ms) and disconnects."""
    stack.raise_open_files_limit()
    asyncio.run(_client(screens, calls, at_once, hits, stop))


async def _client(screens: list[tuple[int, Screen]], calls: list[Call], at_once: int, hits, stop) -> None:
    listener = Listener(screens, calls, hits)
    limit = asyncio.Semaphore(at_once)
    sessions = {
        source: aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, local_addr=(source, 0)))
        for source in {screen.source for _key, screen in screens}
    }
    late: list[float] = []
    sockets: list[ThinSocket] = []
    lag = None
    try:
        connected = await asyncio.gather(
            *(connect(key, screen, listener, limit, sessions[screen.source]) for key, screen in screens)
        )
        sockets = [sock for sock, _retries in connected]
        hits.put(("connected", len(sockets), sum(retries for _sock, retries in connected), 0.0))
        gc.collect()
        gc.freeze()
        lag = asyncio.create_task(stack.loop_lag(late))
        while not stop.is_set():
            await asyncio.sleep(0.2)
    finally:
        if lag is not None:
            lag.cancel()
        hits.put(("lag", late, 0, 0.0))
        await asyncio.gather(*(sock.disconnect() for sock in sockets), return_exceptions=True)
        for session in sessions.values():
            await session.close()


async def officers(urls: list[str], agencies: Agencies) -> list[aiohttp.ClientSession]:
    desks = []
    for k, username in enumerate(agencies.officers):
        http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        url = urls[k % len(urls)]
        async with http.post(f"{url}/api/v1/auth/login", json={"username": username, "password": "demo12345"}) as r:
            assert r.status == 200, await r.text()
        async with http.post(f"{url}/api/v1/counters/{agencies.counters[k]}/open") as r:
            assert r.status == 200, await r.text()
        desks.append(http)
    return desks


@dataclass
class Result:
    clients: int
    agencies: int
    processes: int
    halls: int
    tvs: int
    phones: int
    calls: int
    delays_ms: dict[str, list[float]]  # by kind of screen, from the officer's call-next request
    lost: int
    leaks: int
    deliveries: int
    connect_seconds: float
    loop_late_ms: list[float]
    client_processes: int = 1
    through_nginx: bool = False


async def measure(urls: list[str], front: str | None, database: str, args) -> Result:
    """`urls` are the processes (tickets are issued there directly); `front` is nginx's address when
    the screens and the officers go through nginx, None when they connect to the processes."""
    agencies = seed_agencies(database, args.agencies)
    halls = max(1, args.clients * 2 // 100)
    tvs = max(args.agencies, args.clients * 8 // 100)
    per_service = max(2, (args.clients - halls - tvs) // args.agencies)
    began = time.perf_counter()
    tickets = await issue_all(urls, agencies.services, per_service)
    print(f"{per_service * args.agencies} tickets issued in {time.perf_counter() - began:.0f} s", flush=True)
    screen_urls = [front] if front else urls
    screens = [Screen("hall", None, screen_urls[i % len(screen_urls)], {"area": ""}) for i in range(halls)]
    screens += [
        Screen(
            "tv",
            i % args.agencies,
            screen_urls[(halls + i) % len(screen_urls)],
            {"display": agencies.tv_tokens[i % args.agencies]},
        )
        for i in range(tvs)
    ]
    for k, issued in enumerate(tickets):
        screens += [
            Screen("phone", k, screen_urls[(len(screens) + i) % len(screen_urls)], {"ticket": t["token"]}, t["number"])
            for i, t in enumerate(issued)
        ]
    if front:  # a hall's devices come from many addresses: 127.0.0.2 .. 127.0.0.251 here
        for i, screen in enumerate(screens):
            screen.source = f"127.0.0.{2 + i % SOURCES}"
    calls = [
        Call(
            n % args.agencies,
            tickets[n % args.agencies][n // args.agencies]["number"],
            agencies.codes[n % args.agencies],
        )
        for n in range(args.calls)
    ]
    expected = [sum(1 for s in screens if wants(s, call)) for call in calls]

    context = multiprocessing.get_context("spawn")
    hits, stop = context.Queue(), context.Event()
    parts = [
        [(key, s) for key, s in enumerate(screens) if key % args.client_processes == p]
        for p in range(args.client_processes)
    ]
    children = [
        context.Process(
            target=client_process, args=(part, calls, CONNECTING_AT_ONCE // args.client_processes, hits, stop)
        )
        for part in parts
    ]
    arrived: list[dict[int, float]] = [{} for _ in calls]
    leaks = 0
    loop_late: list[float] = []
    current = {"call": -1}
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    connected = asyncio.Event()
    counts = {"connected": 0, "retried": 0, "lags": 0}

    def drain() -> None:
        """The hits of every client process, read on a thread of their own."""
        nonlocal leaks
        while counts["lags"] < len(children):
            kind, n, key, when = hits.get()
            if kind == "connected":
                counts["connected"] += n
                counts["retried"] += key
                if counts["connected"] == len(screens):
                    loop.call_soon_threadsafe(connected.set)
            elif kind == "lag":
                loop_late.extend(n)
                counts["lags"] += 1
            elif kind == "leak":
                leaks += 1
            elif n == current["call"] and key not in arrived[n]:
                arrived[n][key] = when
                if len(arrived[n]) == expected[n]:
                    loop.call_soon_threadsafe(done.set)

    desks: list[aiohttp.ClientSession] = []
    delays: dict[str, list[float]] = {"hall": [], "tv": [], "phone": []}
    lost = deliveries = 0
    for child in children:
        child.start()
    reader = loop.run_in_executor(None, drain)
    try:
        began = time.perf_counter()
        await asyncio.wait_for(connected.wait(), 1800)
        connect_seconds = time.perf_counter() - began
        print(
            f"{len(screens)} screens connected in {connect_seconds:.0f} s by {len(children)} client processes "
            f"({counts['retried']} connects tried again)",
            flush=True,
        )
        await asyncio.sleep(2)
        office_urls = [front] if front else urls
        desks = await officers(office_urls, agencies)
        for n, call in enumerate(calls):
            k = call.agency
            desk, url, counter = desks[k], office_urls[n % len(office_urls)], agencies.counters[k]
            done.clear()
            current["call"] = n
            sent = time.perf_counter()
            async with desk.post(f"{url}/api/v1/counters/{counter}/call-next") as response:
                body = await response.json()
            assert response.status == 200 and body["number"] == call.number, body
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), LOST_AFTER)
            current["call"] = -1
            got = dict(arrived[n])
            lost += expected[n] - len(got)
            deliveries += len(got)
            for key, when in got.items():
                delays[screens[key].kind].append((when - sent) * 1000)
            async with desk.post(f"{url}/api/v1/tickets/{body['id']}/no-show") as response:
                assert response.status == 200, await response.text()
            await asyncio.sleep(args.interval)
    finally:
        for desk in desks:
            await desk.close()
        stop.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(reader, 120)
        for child in children:
            child.join(30)
            if child.is_alive():
                child.kill()
    return Result(
        len(screens),
        args.agencies,
        len(urls),
        halls,
        tvs,
        len(screens) - halls - tvs,
        args.calls,
        delays,
        lost,
        leaks,
        deliveries,
        connect_seconds,
        loop_late,
        len(children),
        front is not None,
    )


async def run(args) -> Result:
    channel = stack.redis_channel("city")
    with stack.postgresql_database(f"servicedesk_bench_city_{os.getpid()}") as database, contextlib.ExitStack() as held:
        servers = [
            held.enter_context(stack.ServerProcess(database, env=stack.server_env(channel)))
            for _ in range(args.processes)
        ]
        front = None
        if args.nginx:
            folder = Path(held.enter_context(tempfile.TemporaryDirectory(prefix="bench-city-nginx-")))
            front = held.enter_context(stack.WideNginx(folder, [s.port for s in servers])).url
        return await measure([s.url for s in servers], front, database, args)


BEHIND_NGINX = f" behind nginx (deploy/nginx, 4 nginx workers; the screens from {SOURCES} addresses)"


def describe(r: Result) -> list[str]:
    p = stack.percentile
    every = [d for kind in r.delays_ms.values() for d in kind]
    rows = [
        [
            kind,
            len(values),
            f"{p(values, 50):.1f}",
            f"{p(values, 95):.1f}",
            f"{p(values, 99):.1f}",
            f"{max(values, default=float('nan')):.1f}",
        ]
        for kind, values in (*r.delays_ms.items(), ("every screen", every))
    ]
    verdict = "met" if p(every, 99) < 250 and r.lost == 0 and r.leaks == 0 else "MISSED"
    return [
        f"{r.clients:,} screens ({r.halls:,} hall TVs, {r.tvs:,} agency TVs, {r.phones:,} phones) on {r.processes} "
        f"processes{BEHIND_NGINX if r.through_nginx else ', each screen connected to its process directly'}, "
        f"{r.agencies} agencies, {r.calls} calls taking turns across the agencies; the screens held by "
        f"{r.client_processes} client processes; connected in "
        f"{r.connect_seconds:.0f} s. Delays in ms from the officer's call-next request to the screen's event.",
        "",
        *stack.table(["screens", "deliveries", "p50", "p95", "p99", "max"], rows),
        "",
        f"- Lost: **{r.lost}** of {r.lost + r.deliveries:,} expected deliveries; leaks to another agency's TV: "
        f"**{r.leaks}**; one call reaching its room's screens p99 < 250 ms with none lost: **{verdict}**.",
        f"- The client processes' event loops woke late by p99 "
        f"{p(r.loop_late_ms, 99):.1f} ms, at most {max(r.loop_late_ms, default=0):.0f} ms: on 2 cores the clients "
        "and the servers share the CPU, so the delays include the clients' own time.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--agencies", type=int, default=30)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between a call's end and the next")
    parser.add_argument("--wait-quiet", type=float, default=0, help="minutes to wait for a quiet machine first")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--nginx", action="store_true", help="screens and officers through nginx (deploy/nginx)")
    parser.add_argument("--client-processes", type=int, default=2, help="processes the screens are spread over")
    args = parser.parse_args()
    stack.raise_open_files_limit()
    quiet = stack.wait_until_quiet(args.wait_quiet) if args.wait_quiet else "not checked"
    started = stack.load_average()
    result = asyncio.run(run(args))
    lines = [
        "## A city's hall: one call to its room's screens (issue 26)",
        "",
        *stack.report_header(quiet, started),
        *describe(result),
    ]
    print("\n".join(lines))
    if not args.no_write:
        stack.write_section("city", lines)


if __name__ == "__main__":
    main()
