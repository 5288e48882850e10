"""Idle connections: the memory one server process needs to hold thousands of Socket.IO clients.

    .venv/bin/python -m bench.connections [--clients 5000] [--hold 60] [--wait-quiet 40]

One gunicorn gevent process on PostgreSQL with Redis (the public service mall set-up), run from a
virtualenv with requirements.txt only (.venv-production, made on first use), as a server is
installed: the benchmark's own tools (aiohttp for these clients) stay out of its memory. The office
is seeded and one ticket per phone is issued (services B, D and E in turn, so no line grows past a
third of them); then the clients connect over websocket, one in ten a waiting-room display
(`{"area": ""}`), the rest phones (`{"ticket": token}`), and stay idle for `--hold` seconds (longer
than Engine.IO's 25 s ping interval, so every connection answers pings meanwhile). The RSS of the
gevent worker (VmRSS in /proc/<pid>/status) is read before the first connection, once all are
connected, and at the end of the hold; the clients then check they are all still connected and a
/healthz request measures how quickly the process still answers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from dataclasses import dataclass

import aiohttp
import socketio

from . import stack

# Fewer than the process's database pool (10 + 20 overflow): each connect reads a snapshot, and a
# storm of simultaneous connects beyond the pool waits for a connection and fails after 10 s.
CONNECTING_AT_ONCE = 20

SERVICES = ("B", "D", "E")  # no daily quota


@dataclass
class Result:
    clients: int
    displays: int
    rss_before_kib: int
    rss_connected_kib: int
    rss_held_kib: int
    still_connected: int
    connect_seconds: float
    hold_seconds: float
    healthz_ms: float

    @property
    def per_connection_kib(self) -> float:
        return (self.rss_held_kib - self.rss_before_kib) / self.clients


async def issue_many(url: str, service_ids: list[int], count: int) -> list[str]:
    """Tickets for the phones, eight requests at a time."""
    limit = asyncio.Semaphore(8)

    async def one(http: aiohttp.ClientSession, i: int) -> str:
        async with (
            limit,
            http.post(
                f"{url}/api/v1/tickets",
                json={"service_id": service_ids[i % len(service_ids)]},
                headers={"Idempotency-Key": f"bench-idle-{time.time_ns()}-{i}"},
            ) as response,
        ):
            assert response.status == 201, await response.text()
            return (await response.json())["token"]

    async with aiohttp.ClientSession() as http:
        return await asyncio.gather(*(one(http, i) for i in range(count)))


async def connect_all(url: str, auths: list[dict]) -> list[socketio.AsyncClient]:
    limit = asyncio.Semaphore(CONNECTING_AT_ONCE)
    done = 0

    async def one(auth: dict) -> socketio.AsyncClient:
        nonlocal done
        client = socketio.AsyncClient(reconnection=False)
        snapshot = asyncio.Event()
        client.on("snapshot", lambda data: snapshot.set())
        async with limit:
            await client.connect(url, auth=auth, transports=["websocket"], wait_timeout=60)
            await asyncio.wait_for(snapshot.wait(), 60)
        done += 1
        if done % 1000 == 0:
            print(f"{done} connected", flush=True)
        return client

    return await asyncio.gather(*(one(auth) for auth in auths))


async def healthz_ms(url: str) -> float:
    async with aiohttp.ClientSession() as http:
        started = time.perf_counter()
        async with http.get(f"{url}/healthz") as response:
            assert response.status == 200
        return (time.perf_counter() - started) * 1000


async def measure(total: int, hold: float) -> Result:
    channel = stack.redis_channel("connections")
    with (
        stack.postgresql_database(f"servicedesk_bench_connections_{os.getpid()}") as database,
        stack.ServerProcess(database, env=stack.server_env(channel), python=stack.production_python()) as server,
    ):
        office = stack.seed_office(database)
        worker = stack.worker_pid(server)
        displays = max(1, total // 10)
        tokens = await issue_many(server.url, [office.service(code) for code in SERVICES], total - displays)
        await healthz_ms(server.url)
        rss_before = stack.rss_kib(worker)
        auths = [{"area": ""} for _ in range(displays)] + [{"ticket": token} for token in tokens]
        started = time.perf_counter()
        clients = await connect_all(server.url, auths)
        connect_seconds = time.perf_counter() - started
        rss_connected = stack.rss_kib(worker)
        print(f"{total} connected in {connect_seconds:.0f} s; RSS {rss_connected / 1024:.0f} MiB", flush=True)
        await asyncio.sleep(hold)
        rss_held = stack.rss_kib(worker)
        still = sum(1 for c in clients if c.connected)
        answer_ms = await healthz_ms(server.url)
        await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
        return Result(total, displays, rss_before, rss_connected, rss_held, still, connect_seconds, hold, answer_ms)


def report(r: Result, header: list[str]) -> list[str]:
    mib = lambda kib: f"{kib / 1024:.0f}"  # noqa: E731
    return [
        *header,
        f"One process (PostgreSQL + Redis), {r.clients} websocket clients: {r.displays} displays and "
        f"{r.clients - r.displays} phones (one ticket each, in services {', '.join(SERVICES)}), idle for "
        f"{r.hold_seconds:g} s after the last connected.",
        "",
        *stack.table(
            [
                "clients",
                "RSS before MiB",
                "RSS all connected MiB",
                f"RSS after {r.hold_seconds:g} s idle MiB",
                "KiB per connection",
                "still connected",
                "connecting took s",
                "/healthz afterwards ms",
            ],
            [
                [
                    r.clients,
                    mib(r.rss_before_kib),
                    mib(r.rss_connected_kib),
                    mib(r.rss_held_kib),
                    f"{r.per_connection_kib:.0f}",
                    r.still_connected,
                    f"{r.connect_seconds:.0f}",
                    f"{r.healthz_ms:.1f}",
                ]
            ],
        ),
        "",
        f"Target: {r.clients} idle connections in under 500 MB: {r.rss_held_kib * 1024 / 1e6:.0f} MB "
        f"({'met' if r.rss_held_kib * 1024 < 500e6 else 'MISSED'}).",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--hold", type=float, default=60, help="seconds the clients stay idle")
    parser.add_argument("--wait-quiet", type=float, default=0, help="minutes to wait for a quiet machine first")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    stack.raise_open_files_limit()
    quiet = stack.wait_until_quiet(args.wait_quiet) if args.wait_quiet else "not checked"
    started = stack.load_average()
    result = asyncio.run(measure(args.clients, args.hold))
    lines = report(result, stack.report_header(quiet, started))
    print("\n".join(lines))
    if not args.no_write:
        stack.write_section("connections", lines)


if __name__ == "__main__":
    main()
