"""A burst of 1,000 notifications: from the commit that queues each to its arrival at the provider.

    .venv/bin/python -m bench.notify_burst [--messages 1000] [--wait-quiet MINUTES] [--no-write]

On a database of its own on each backend, the real worker process (`flask notify work`, default
settings: batch 50, 8 calls at a time, 0.5 s idle poll) delivers to a local HTTP SMS gateway. The
script commits `--messages` outbox rows one transaction each, as fast as one thread can (what a
peak of calls would queue), noting each commit's time; the gateway notes each arrival. It reports
the commit rate, the delivery throughput (messages over first commit to last arrival) and the
latency from commit to provider (p50, p95, p99, max).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

from servicedesk.domain.notify import Channel, Message, Trigger
from servicedesk.extensions import db
from servicedesk.persistence import outbox
from tests.builders import helper_app
from tests.notify_fakes import FakeGateway
from tests.servers import ROOT

from . import stack


def start_worker(url: str, gateway: FakeGateway) -> subprocess.Popen:
    env = {
        **os.environ,
        "FLASK_APP": "servicedesk",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "SERVICEDESK_ENV": "testing",
        "NOTIFY_SMS_URL": gateway.url + "/sms",
        "NOTIFY_SMS_DEDUPES": "1",
    }
    env.pop("REDIS_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "notify", "work"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )


def wait(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.01)


def measure(url: str, count: int) -> dict:
    arrived: dict[str, float] = {}
    gateway = FakeGateway()
    gateway.on_arrival = lambda a: (arrived.setdefault(a.headers["idempotency-key"], time.time()), (200, b"{}"))[1]
    app = helper_app(url, SQLALCHEMY_ENGINE_OPTIONS={})
    worker = start_worker(url, gateway)
    committed: dict[str, float] = {}
    try:
        with app.app_context():

            def queue(key: str) -> None:
                outbox.add(db.session, [Message(Channel.SMS, "6281234567890", Trigger.CALLED, key, text="x")],
                           datetime.now(UTC))  # fmt: skip
                db.session.commit()
                committed[key] = time.time()

            queue("warm-up")
            wait(lambda: "warm-up" in arrived, 60)  # the worker is up and polling
            began = time.perf_counter()
            for i in range(count):
                queue(f"burst:{i}")
            commit_seconds = time.perf_counter() - began
            wait(lambda: len(arrived) == count + 1, 300)
            db.session.remove()
            db.engine.dispose()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        gateway.close()
    keys = [f"burst:{i}" for i in range(count)]
    latencies = [(arrived[k] - committed[k]) * 1000 for k in keys]
    span = max(arrived[k] for k in keys) - min(committed[k] for k in keys)
    return {
        "commits_per_s": count / commit_seconds,
        "throughput": count / span,
        "p50": stack.percentile(latencies, 50),
        "p95": stack.percentile(latencies, 95),
        "p99": stack.percentile(latencies, 99),
        "max": max(latencies),
        "requests": len(gateway.arrivals) - 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--wait-quiet", type=float, default=0, help="minutes to wait for a quiet machine first")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    quiet = stack.wait_until_quiet(args.wait_quiet) if args.wait_quiet else "not checked"
    started = stack.load_average()
    results = {}
    with stack.sqlite_database() as url:
        results["SQLite"] = measure(url, args.messages)
    with stack.postgresql_database("servicedesk_bench_notify") as url:
        results["PostgreSQL"] = measure(url, args.messages)
    rows = [
        [name, f"{r['commits_per_s']:.0f}", f"{r['throughput']:.0f}", f"{r['p50']:.0f}", f"{r['p95']:.0f}",
         f"{r['p99']:.0f}", f"{r['max']:.0f}", r["requests"]]
        for name, r in results.items()
    ]  # fmt: skip
    lines = [
        *stack.report_header(quiet, started),
        f"{args.messages} outbox rows committed one transaction each, as fast as one thread can; the worker "
        "process (defaults: batch 50, 8 calls at a time, 0.5 s idle poll) delivers to a local HTTP gateway.",
        "",
        *stack.table(
            ["database", "commits/s", "delivered/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "provider calls"], rows
        ),
    ]
    print("\n".join(lines))
    if not args.no_write:
        stack.write_section("notify-burst", lines)


if __name__ == "__main__":
    main()
