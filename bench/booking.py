"""Booking ahead next to issuing: a day's slot search and a booking, at 8 clients, as ratios (issue 24).

    .venv/bin/python -m bench.booking [--seconds 8] [--clients 8] [--wait-quiet MINUTES] [--no-write]

On each backend (SQLite in a temporary folder, PostgreSQL on the bench server), one server process
(gunicorn + gevent, as production) serves the demo office with service A bookable (limits off, so
every request does the whole work). `--clients` threads of this script each send the next request
as soon as the last is answered, for `--seconds` per kind, one kind after the other:
issuing (`POST /api/v1/tickets`), the slot search of a day (`GET …/slots?day=`) and booking
(`POST /api/v1/bookings`, a distinct phone each, slots of the next 60 days in turn). The client is
Python (requests), the same for every kind: the absolute numbers include its cost, the ratios to
issuing in the same run are the point.
"""

from __future__ import annotations

import argparse
import itertools
import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import requests

from servicedesk.extensions import db
from servicedesk.persistence.bookings import BookingRepository
from servicedesk.web.context import unit_of_work
from tests.servers import ServerProcess

from . import stack

HORIZON_DAYS = 60


def enable_booking(office, code: str = "A") -> int:
    service_id = office.service(code)
    with office.app.app_context():
        uow = unit_of_work()
        settings = BookingRepository(uow.session).settings_or_new(service_id)
        settings.enabled, settings.horizon_days = True, HORIZON_DAYS
        settings.online_percent, settings.priority_percent, settings.walk_in_reserve_percent = 70, 0, 30
        for name in settings.LIMIT_FIELDS:
            setattr(settings, name, None)
        settings.max_no_shows = None
        uow.commit()
        db.session.remove()
    return service_id


def run(seconds: float, clients: int, request) -> dict:
    """`clients` threads calling request(session, n) back to back for `seconds`: answers/s and latencies."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = itertools.count()
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        session = requests.Session()
        mine, codes = [], {}
        start.wait()
        while time.perf_counter() < deadline[0]:
            began = time.perf_counter()
            status = request(session, next(counter))
            mine.append((time.perf_counter() - began) * 1000)
            codes[status] = codes.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for status, n in codes.items():
                statuses[status] = statuses.get(status, 0) + n

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    start.wait()
    for thread in threads:
        thread.join()
    return {
        "per_second": len(latencies) / seconds,
        "p50": stack.percentile(latencies, 50),
        "p99": stack.percentile(latencies, 99),
        "statuses": statuses,
    }


def measure(url: str, seconds: float, clients: int) -> dict[str, dict]:
    office = stack.seed_office(url)
    office.update_service("A", daily_quota=None)  # issuing must issue, not answer "quota reached"
    service_id = enable_booking(office)
    env = stack.server_env(None) | {"SETTINGS_CACHE_SECONDS": "2"}
    with ServerProcess(url, env=env) as server:
        base = server.url
        today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).date()
        days = [today + timedelta(days=d) for d in range(1, HORIZON_DAYS + 1)]
        slots = []
        for day in days:
            answer = requests.get(f"{base}/api/v1/booking/services/{service_id}/slots?day={day}", timeout=10).json()
            slots += [s["start"] for s in answer["slots"] for _ in range(s["seats"])]

        def issue(session, n):
            return session.post(f"{base}/api/v1/tickets", json={"service_id": service_id}, timeout=10).status_code

        def search(session, n):
            day = days[n % len(days)]
            return session.get(f"{base}/api/v1/booking/services/{service_id}/slots?day={day}", timeout=10).status_code

        def book(session, n):
            body = {
                "service_id": service_id,
                "slot_start": slots[n % len(slots)],
                "name": f"Pengunjung {n}",
                "phone": f"0812{n:08d}",
            }
            return session.post(f"{base}/api/v1/bookings", json=body, timeout=10).status_code

        run(1.0, clients, search)  # warm up the process: imports, statement caches, connections
        results = {
            "issuing": run(seconds, clients, issue),
            "slot search": run(seconds, clients, search),
            "booking": run(seconds, clients, book),
        }
    return results


def report(results: dict[str, dict], args, header: list[str]) -> list[str]:
    rows = []
    for backend, kinds in results.items():
        issuing = kinds["issuing"]["per_second"]
        for kind in ("issuing", "slot search", "booking"):
            r = kinds[kind]
            answers = ", ".join(f"{status}: {n}" for status, n in sorted(r["statuses"].items()))
            rows.append(
                [
                    backend,
                    kind,
                    f"{r['per_second']:.0f}",
                    f"{r['p50']:.1f}",
                    f"{r['p99']:.1f}",
                    f"{r['per_second'] / issuing:.2f}",
                    answers,
                ]
            )
    return [
        *header,
        f"{args.clients} clients (threads, requests.Session each), {args.seconds:g} s per kind, one kind after "
        "the other on one server process (gunicorn + gevent); service A bookable with its limits off; booking "
        f"cycles through every seat of the next {HORIZON_DAYS} days (a full slot answers 409, still a whole "
        "request). *÷ issuing* is the kind's answers per second over issuing's in the same run.",
        "",
        *stack.table(["database", "request", "answers/s", "p50 ms", "p99 ms", "÷ issuing", "answers"], rows),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--wait-quiet", type=float, default=0, help="minutes to wait for a quiet machine first")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    quiet = stack.wait_until_quiet(args.wait_quiet) if args.wait_quiet else "not checked"
    started = stack.load_average()
    results = {}
    with stack.sqlite_database() as url:
        results["SQLite"] = measure(url, args.seconds, args.clients)
    with stack.postgresql_database("servicedesk_bench_booking") as url:
        results["PostgreSQL"] = measure(url, args.seconds, args.clients)
    lines = report(results, args, stack.report_header(quiet, started))
    print("\n".join(lines))
    if not args.no_write:
        stack.write_section("booking", lines)


if __name__ == "__main__":
    main()
