"""Calling to screens: how long a call takes to reach every connected display and phone.

    .venv/bin/python -m bench.calls [--clients 100 1000] [--calls 20] [--wait-quiet 40]

Two gunicorn gevent processes share PostgreSQL and Redis (the public service mall set-up). For each
client count the office is seeded anew, one visitor in ten is a waiting-room display
(`{"area": ""}`, every call) and the rest are visitors' phones (`{"ticket": token}`), each holding a
ticket of service B; clients alternate between the two processes (connected to each directly: all
come from 127.0.0.1, so nginx's address hash would put them all on one). An officer at counter 1
then calls the next visitor `--calls` times, alternating processes, and marks each a no-show to
free the counter. For every call, the delay is measured from the moment the call-next answer
arrives to the moment each client has its event: `ticket.called` on a display, `ticket.updated`
on the called visitor's phone, `queue.changed` (without the called number) on the other phones.
Events can arrive before the HTTP answer (the server publishes before it answers), so the delay
may be negative; the delay from the request's start is reported too. A client that has not
received its event 10 s after the call counts as lost. All clients live in this one asyncio
process, so their own event handling is part of the measured delay: by default they are a thin
Socket.IO client of this script's own (`--client thin`: one websocket each, every event handled as it
is read), which costs the script less per message than python-socketio's AsyncClient
(`--client python-socketio`, a task per message); how late the script's own event loop was is
reported with the results.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import time
from dataclasses import dataclass, field

import aiohttp
import socketio

from . import stack

# Not more than the process's database pool (10 by default): each connect reads a snapshot, and a
# storm of simultaneous connects beyond the pool waits for a connection and fails after 10 s.
CONNECTING_AT_ONCE = 20

LOST_AFTER = 10.0  # seconds
KINDS = ("display", "phone")


@dataclass
class Expected:
    """What the current call should bring each kind of client."""

    number: str
    started: float
    answered: float | None = None


@dataclass
class Client:
    kind: str  # "display" or "phone"
    url: str
    auth: dict
    number: str | None = None  # a phone's ticket number
    sio: socketio.AsyncClient | ThinSocket | None = field(default=None, repr=False)
    received_at: float | None = None

    def matches(self, name: str, data: dict, expected: Expected) -> bool:
        if self.kind == "display":
            return name == "ticket.called" and data.get("number") == expected.number
        if self.number == expected.number:
            return name == "ticket.updated" and data.get("status") == "called"
        return name == "queue.changed" and data.get("code") == "B" and expected.number not in data["waiting_numbers"]


class Round:
    """Tracks one call: every client records the first matching event's arrival time."""

    def __init__(self, clients: list[Client]):
        self.clients = clients
        self.expected: Expected | None = None
        self.pending = 0
        self.all_arrived = asyncio.Event()

    def start(self, number: str) -> Expected:
        for client in self.clients:
            client.received_at = None
        self.pending = len(self.clients)
        self.all_arrived.clear()
        self.expected = Expected(number, time.perf_counter())
        return self.expected

    def record(self, client: Client, name: str, data) -> None:
        now = time.perf_counter()
        expected = self.expected
        if expected is None or client.received_at is not None or not isinstance(data, dict):
            return
        if client.matches(name, data, expected):
            client.received_at = now
            self.pending -= 1
            if self.pending == 0:
                self.all_arrived.set()


class ThinSocket:
    """A Socket.IO client as thin as the protocol (Engine.IO 4 over one websocket, Socket.IO 5 text
    packets): it answers pings and hands each event to `on_event` as it is read, where python-socketio's
    client starts a task per message. With a thousand clients in one process that bookkeeping keeps
    the script's loop busy when a call fans out, and the script times it as the servers' delay."""

    def __init__(self, http: aiohttp.ClientSession, on_event):
        self.http = http
        self.on_event = on_event
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task | None = None

    async def connect(self, url: str, auth: dict) -> None:
        """Opens the websocket and joins the default namespace; a refusal raises ConnectionError."""
        self.ws = await self.http.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket", autoping=False)
        opened = await self.ws.receive_str()
        if not opened.startswith("0"):
            raise ConnectionError(f"no Engine.IO open packet: {opened[:80]!r}")
        await self.ws.send_str("40" + json.dumps(auth))
        while not (packet := await self.ws.receive_str()).startswith("40"):
            if packet.startswith("44"):
                raise ConnectionError(f"the server refused the connection: {packet[2:]}")
            await self.handle(packet)
        self.reader = asyncio.create_task(self._read())

    async def handle(self, packet: str) -> None:
        if packet == "2":  # the server's ping
            await self.ws.send_str("3")
        elif packet.startswith("42"):  # an event: ["name", data]
            name, *data = json.loads(packet[2:])
            self.on_event(name, data[0] if data else None)

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            await self.handle(message.data)

    async def disconnect(self) -> None:
        if self.ws is not None and not self.ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.send_str("41")
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()


async def connect(client: Client, round_: Round, limit: asyncio.Semaphore, http: aiohttp.ClientSession | None) -> None:
    """Connects one client and waits for its snapshot: thin when given `http`, else python-socketio's."""
    snapshot = asyncio.Event()

    def on_event(name, data=None):
        if name == "snapshot":
            snapshot.set()
        round_.record(client, name, data)

    async with limit:
        if http is not None:
            client.sio = ThinSocket(http, on_event)
            await client.sio.connect(client.url, client.auth)
        else:
            client.sio = socketio.AsyncClient(reconnection=False)

            async def on_any(name, data=None):
                on_event(name, data)

            client.sio.on("*", on_any)
            await client.sio.connect(client.url, auth=client.auth, transports=["websocket"], wait_timeout=20)
        await asyncio.wait_for(snapshot.wait(), 20)


async def issue(http: aiohttp.ClientSession, urls: list[str], service_id: int, count: int) -> list[dict]:
    """Issues tickets in order (their numbers decide who is called first), alternating processes."""
    issued = []
    for i in range(count):
        async with http.post(
            f"{urls[i % len(urls)]}/api/v1/tickets",
            json={"service_id": service_id},
            headers={"Idempotency-Key": f"bench-calls-{time.time_ns()}-{i}"},
        ) as response:
            assert response.status == 201, await response.text()
            issued.append(await response.json())
    return issued


async def officer(urls: list[str], counter_id: int) -> aiohttp.ClientSession:
    """siti at counter 1 (services A and B); her session cookie is valid on both processes."""
    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with http.post(f"{urls[0]}/api/v1/auth/login", json={"username": "siti", "password": "demo12345"}) as r:
        assert r.status == 200, await r.text()
    async with http.post(f"{urls[0]}/api/v1/counters/{counter_id}/open") as r:
        assert r.status == 200, await r.text()
    return http


@dataclass
class Result:
    clients: int
    displays: int
    phones: int
    calls: int
    after_answer_ms: list[float]
    after_request_ms: list[float]
    lost: int
    connect_seconds: float
    slowest_per_call_ms: list[tuple[float, float]]  # each call's last display and last phone, after its answer
    loop_late_ms: list[float]  # how late this script's own event loop woke up during the calls


async def measure(urls: list[str], database: str, total: int, calls: int, thin: bool) -> Result:
    office = stack.seed_office(database)
    displays = max(1, total // 10)
    phones = total - displays
    if phones < calls:
        raise SystemExit(f"{total} clients leave {phones} phones: fewer than the {calls} calls")
    async with aiohttp.ClientSession() as http:
        tickets = await issue(http, urls, office.service("B"), phones)
    clients = [Client("display", urls[i % 2], {"area": ""}) for i in range(displays)]
    clients += [
        Client("phone", urls[(displays + i) % 2], {"ticket": t["token"]}, number=t["number"])
        for i, t in enumerate(tickets)
    ]
    round_ = Round(clients)
    started = time.perf_counter()
    limit = asyncio.Semaphore(CONNECTING_AT_ONCE)
    sockets = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) if thin else None
    after_answer, after_request, lost, slowest = [], [], 0, []
    loop_late: list[float] = []
    lag = desk = None
    try:
        await asyncio.gather(*(connect(c, round_, limit, sockets) for c in clients))
        connect_seconds = time.perf_counter() - started
        print(f"{total} clients connected in {connect_seconds:.1f} s", flush=True)
        await asyncio.sleep(1)
        # The clients' objects, kept from here on, out of the script's garbage collections: a full
        # collection over a thousand clients' objects stops this loop for a few hundred ms, timed as delay.
        gc.collect()
        gc.freeze()
        lag = asyncio.create_task(stack.loop_lag(loop_late))
        desk = await officer(urls, office.counter(1))
        for k in range(calls):
            url = urls[k % 2]
            expected = round_.start(tickets[k]["number"])
            async with desk.post(f"{url}/api/v1/counters/{office.counter(1)}/call-next") as response:
                body = await response.json()
            expected.answered = time.perf_counter()
            assert response.status == 200 and body["number"] == expected.number, body
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(round_.all_arrived.wait(), LOST_AFTER)
            arrived = [c for c in clients if c.received_at is not None]
            lost += len(clients) - len(arrived)
            after_answer += [(c.received_at - expected.answered) * 1000 for c in arrived]
            after_request += [(c.received_at - expected.started) * 1000 for c in arrived]
            last = {k: max((c.received_at for c in arrived if c.kind == k), default=expected.answered) for k in KINDS}
            slowest.append(tuple((last[kind] - expected.answered) * 1000 for kind in KINDS))
            round_.expected = None
            async with desk.post(f"{url}/api/v1/tickets/{body['id']}/no-show") as response:
                assert response.status == 200, await response.text()
            await asyncio.sleep(0.3)  # let the no-show's own events pass before the next call
    finally:
        if lag is not None:
            lag.cancel()
        if desk is not None:
            await desk.close()
        await asyncio.gather(*(c.sio.disconnect() for c in clients if c.sio), return_exceptions=True)
        if sockets is not None:
            await sockets.close()
        gc.unfreeze()
    return Result(
        total, displays, phones, calls, after_answer, after_request, lost, connect_seconds, slowest, loop_late
    )


async def run_all(counts: list[int], calls: int, thin: bool) -> list[Result]:
    channel = stack.redis_channel("calls")
    results = []
    with (
        stack.postgresql_database(f"servicedesk_bench_calls_{os.getpid()}") as database,
        stack.ServerProcess(database, env=stack.server_env(channel)) as first,
        stack.ServerProcess(database, env=stack.server_env(channel)) as second,
    ):
        for total in counts:
            result = await measure([first.url, second.url], database, total, calls, thin)
            print(describe(result), flush=True)
            results.append(result)
            await asyncio.sleep(2)  # the servers drop the closed sockets before the next round
    return results


def describe(r: Result) -> str:
    p = stack.percentile
    return (
        f"{r.clients} clients: after the answer p50 {p(r.after_answer_ms, 50):.1f} ms, "
        f"p99 {p(r.after_answer_ms, 99):.1f} ms, max {max(r.after_answer_ms, default=float('nan')):.1f} ms; "
        f"lost {r.lost}"
    )


def report(results: list[Result], header: list[str], thin: bool) -> list[str]:
    p = stack.percentile
    rows = [
        [
            r.clients,
            r.displays,
            r.phones,
            r.calls,
            r.calls * r.clients,
            f"{p(r.after_answer_ms, 50):.1f}",
            f"{p(r.after_answer_ms, 99):.1f}",
            f"{max(r.after_answer_ms, default=float('nan')):.1f}",
            f"{p(r.after_request_ms, 50):.1f}",
            f"{p(r.after_request_ms, 99):.1f}",
            r.lost,
            f"{r.connect_seconds:.1f}",
        ]
        for r in results
    ]
    verdicts = [
        f"- {r.clients} clients: p99 {p(r.after_answer_ms, 99):.1f} ms "
        f"({'met' if p(r.after_answer_ms, 99) < 250 else 'MISSED'}: < 250 ms), lost {r.lost} "
        f"({'met' if r.lost == 0 else 'MISSED'}: none)"
        for r in results
        if r.clients >= 1000
    ]
    details = [
        f"- {r.clients} clients: the last display / the last phone had each call after (ms, call by call): "
        + ", ".join(f"{d:.0f}/{ph:.0f}" for d, ph in r.slowest_per_call_ms)
        + f"; this script's own event loop woke late by p99 {p(r.loop_late_ms, 99):.1f} ms, at most "
        f"{max(r.loop_late_ms, default=0):.0f} ms ({len(r.loop_late_ms)} sleeps of "
        f"{stack.LAG_PROBE_SECONDS * 1000:.0f} ms during the calls)"
        for r in results
    ]
    return [
        *header,
        "Two processes (PostgreSQL + Redis), clients alternating between them, one display per ten "
        "clients, the rest phones holding waiting tickets of one service (so every call changes their "
        "queue). Delays in milliseconds over every (call, client) pair; negative values mean the event "
        "arrived before the HTTP answer did. Clients: "
        + (
            "the script's thin Socket.IO client (one websocket each, events read as they arrive)."
            if thin
            else "python-socketio's AsyncClient (a task per message)."
        ),
        "",
        *stack.table(
            [
                "clients",
                "displays",
                "phones",
                "calls",
                "deliveries",
                "p50 after answer",
                "p99 after answer",
                "max after answer",
                "p50 after request",
                "p99 after request",
                "lost",
                "connect s",
            ],
            rows,
        ),
        "",
        *details,
        "",
        "Target (1,000 clients):",
        "",
        *verdicts,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument(
        "--client",
        choices=["thin", "python-socketio"],
        default="thin",
        help="the clients' Socket.IO implementation (python-socketio's costs this script more per message)",
    )
    parser.add_argument("--wait-quiet", type=float, default=0, help="minutes to wait for a quiet machine first")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    stack.raise_open_files_limit()
    quiet = stack.wait_until_quiet(args.wait_quiet) if args.wait_quiet else "not checked"
    started = stack.load_average()
    thin = args.client == "thin"
    results = asyncio.run(run_all(args.clients, args.calls, thin))
    lines = report(results, stack.report_header(quiet, started), thin)
    print("\n".join(lines))
    if not args.no_write:
        stack.write_section("calls", lines)


if __name__ == "__main__":
    main()
