"""Issuing benchmark: tickets per second and latency of POST /api/v1/tickets under 1, 8 and 32 clients.

    .venv/bin/python -m bench.issuing [--duration 10] [--clients 1 8 32] [--wait-quiet 40]

Each set-up is started fresh: the product on one gunicorn gevent process on SQLite, on one and on two
processes sharing PostgreSQL and Redis (the two behind nginx with deploy/nginx/ as written), and a bare
Flask JSON endpoint (bench/bare_app.py) under the same server, once alone and once as two processes
behind the same nginx, as the ceiling each product row is divided by. wrk drives the load
(bench/post_ticket.lua: a JSON POST with a fresh Idempotency-Key each, like the kiosk). Before every
measured run the office is seeded anew (an empty queue) and a short unmeasured run warms the process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from . import stack

LUA = Path(__file__).with_name("post_ticket.lua")


@dataclass
class Run:
    setup: str
    processes: int
    clients: int
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    cpu_ms: float  # the app workers' CPU time per answered request
    stored: int | None  # tickets in the database afterwards (None for the bare app)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def wrk(url: str, clients: int, seconds: float, service_id: int | str) -> dict:
    """One wrk run (one thread: the second core is the server's); returns the script's RESULT line."""
    done = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "-s",
            str(LUA),
            f"{url}/api/v1/tickets",
        ],
        capture_output=True,
        text=True,
        env={"SERVICE_ID": str(service_id), "PATH": "/usr/bin:/bin"},
        timeout=seconds + 60,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result: {done.stdout}\n{done.stderr}")
    return json.loads(line[len("RESULT ") :])


def count_tickets(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM tickets")).scalar_one()
    engine.dispose()
    return count


def measure(
    setup: str,
    processes: int,
    target: str,
    workers: list[int],
    database: str | None,
    clients: list[int],
    seconds: float,
    codes: tuple[str, ...] = ("B",),
    profile: Path | None = None,
):
    """Runs every client count against one running set-up; the office is re-seeded before each.
    With `profile`, py-spy samples the workers during each measured run into collapsed stacks."""

    def seeded() -> str:
        office = stack.seed_office(database)
        return ",".join(str(office.service(code)) for code in codes)

    for n in clients:
        service_id = seeded() if database else 2
        wrk(target, n, min(3.0, seconds), service_id)  # warm-up: imports, pools, JIT-less caches
        if database:
            service_id = seeded()
        samplers = [py_spy(pid, profile, f"{setup}-{processes}p-c{n}", seconds) for pid in workers] if profile else []
        cpu_before = sum(stack.cpu_seconds(pid) for pid in workers)
        result = wrk(target, n, seconds, service_id)
        cpu = sum(stack.cpu_seconds(pid) for pid in workers) - cpu_before
        for sampler in samplers:
            sampler.wait()
        run = Run(
            setup,
            processes,
            n,
            result["requests"],
            result["duration_us"] / 1e6,
            result["p50_us"] / 1000,
            result["p90_us"] / 1000,
            result["p99_us"] / 1000,
            result["max_us"] / 1000,
            result["status_errors"] + result["socket_errors"],
            cpu * 1000 / max(1, result["requests"]),
            count_tickets(database) if database else None,
        )
        print(
            f"{setup:<40} c={n:<3} {run.per_second:8.1f}/s p50 {run.p50_ms:6.1f} ms p99 {run.p99_ms:6.1f} ms "
            f"cpu {run.cpu_ms:5.2f} ms/req errors {run.errors} stored {run.stored}",
            flush=True,
        )
        yield run


def py_spy(pid: int, folder: Path, name: str, seconds: float) -> subprocess.Popen:
    """py-spy samples one worker for the measured run; its collapsed stacks go to folder/name-pid.txt."""
    folder.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
    output = folder / f"{slug}-{pid}.txt"
    command = [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid), "--nonblocking"]
    command += ["--format", "raw", "--rate", "250"]
    command += ["--duration", str(max(1, round(seconds))), "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextlib.contextmanager
def servers(database: str, count: int, channel: str | None, bare: bool = False):
    kind = stack.BareServer if bare else stack.ServerProcess
    with contextlib.ExitStack() as stack_:
        started = [stack_.enter_context(kind(database, env=stack.server_env(channel))) for _ in range(count)]
        workers = [stack.worker_pid(s) for s in started]
        if count == 1:
            yield started[0].url, workers
        else:
            folder = Path(stack_.enter_context(tempfile.TemporaryDirectory(prefix="servicedesk-nginx-")))
            yield stack_.enter_context(stack.Nginx(folder, [s.port for s in started])).url, workers


# One service's numbers are taken one transaction at a time (gap-free: the sequence row stays locked
# until the ticket commits); a mall's kiosks issue for many services at once.
ONE, THREE = ("B",), ("B", "D", "E")


def run_all(
    clients: list[int], seconds: float, only: list[str] | None = None, profile: Path | None = None
) -> list[Run]:
    runs: list[Run] = []
    channel = stack.redis_channel("issuing")
    with stack.sqlite_database() as sqlite, stack.postgresql_database(f"servicedesk_bench_issuing_{os.getpid()}") as pg:
        plan = [
            ("bare Flask (ceiling)", 1, sqlite, None, True, ONE),
            ("SQLite", 1, sqlite, None, False, ONE),
            ("PostgreSQL + Redis", 1, pg, channel, False, ONE),
            ("PostgreSQL + Redis, 3 services", 1, pg, channel, False, THREE),
            ("bare Flask (ceiling), nginx", 2, sqlite, None, True, ONE),
            ("PostgreSQL + Redis, nginx", 2, pg, channel, False, ONE),
            ("PostgreSQL + Redis, nginx, 3 services", 2, pg, channel, False, THREE),
        ]
        for setup, processes, database, redis_channel, bare, codes in plan:
            if only and not any(part in f"{setup}, {processes}" for part in only):
                continue
            with servers(database, processes, redis_channel, bare) as (target, workers):
                database = None if bare else database
                runs += measure(setup, processes, target, workers, database, clients, seconds, codes, profile)
    return runs


def report(runs: list[Run], seconds: float, header: list[str]) -> list[str]:
    ceiling = {(r.processes, r.clients): r.per_second for r in runs if r.setup.startswith("bare")}
    ceiling_of = lambda r: ceiling.get((r.processes, r.clients), float("nan"))  # noqa: E731
    rows = []
    for r in runs:
        ratio = "—" if r.setup.startswith("bare") else f"{r.per_second / ceiling_of(r):.2f}"
        rows.append(
            [
                f"{r.setup}, {r.processes} process{'es' if r.processes > 1 else ''}",
                r.clients,
                f"{r.per_second:.0f}",
                f"{r.per_second / r.processes:.0f}",
                f"{r.p50_ms:.1f}",
                f"{r.p90_ms:.1f}",
                f"{r.p99_ms:.1f}",
                f"{r.max_ms:.1f}",
                f"{r.cpu_ms:.2f}",
                ratio,
                r.errors,
                "—" if r.stored is None else r.stored,
            ]
        )
    verdicts = []
    for r in runs:
        if r.setup.startswith("PostgreSQL") and r.clients == 8:
            share = r.per_second / ceiling_of(r)
            per_process = r.per_second / r.processes
            verdicts.append(
                f"- {r.setup}, {r.processes} process(es), 8 clients: {per_process:.0f} tickets/s per process "
                f"({'met' if per_process >= 300 else 'MISSED'}: ≥ 300), p99 {r.p99_ms:.1f} ms "
                f"({'met' if r.p99_ms < 50 else 'MISSED'}: < 50 ms), {share:.2f} of the ceiling "
                f"({'met' if share >= 0.5 else 'MISSED'}: ≥ 0.5)"
            )
    return [
        *header,
        f"{seconds:g} s per measured run, after a {min(3.0, seconds):g} s warm-up run; wrk with one thread and "
        "N connections (= concurrent clients), each sending the next request as soon as its answer arrives. "
        "The two-process rows go through nginx (deploy/nginx/ as the multi-process test uses it, round-robin) "
        "and are compared with the bare app as two processes behind the same nginx. Latency is wrk's, "
        "measured at the client. *stored* counts the tickets in the database after the run (wrk stops "
        "counting answers at the deadline, so a few in-flight requests may be stored but not counted).",
        "",
        *stack.table(
            [
                "set-up",
                "clients",
                "tickets/s",
                "per process",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "max ms",
                "CPU ms/ticket",
                "÷ ceiling",
                "errors",
                "stored",
            ],
            rows,
        ),
        "",
        "Targets (PostgreSQL, 8 concurrent clients):",
        "",
        *verdicts,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10, help="seconds per measured run")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--wait-quiet", type=float, default=0, help="minutes to wait for a quiet machine first")
    parser.add_argument(
        "--only", nargs="+", help="run only the set-ups whose name contains one of these (e.g. 'PostgreSQL + Redis, 1')"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument(
        "--profile", type=Path, help="py-spy the workers into this folder (collapsed stacks); implies --no-write"
    )
    args = parser.parse_args()
    stack.raise_open_files_limit()
    quiet = stack.wait_until_quiet(args.wait_quiet) if args.wait_quiet else "not checked"
    started = stack.load_average()
    runs = run_all(args.clients, args.duration, args.only, args.profile)
    lines = report(runs, args.duration, stack.report_header(quiet, started))
    print("\n".join(lines))
    if not (args.no_write or args.profile):
        stack.write_section("issuing", lines)


if __name__ == "__main__":
    main()
