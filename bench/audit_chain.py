"""The audit chain's cost: a chained audit record against an unchained insert, in one run (issue 23).

    .venv/bin/python -m bench.audit_chain [--records 300] [--rounds 6] [--events 3300]
                                          [--wait-quiet MINUTES] [--no-write]

On a database of its own on each backend (SQLite in a temporary folder, PostgreSQL on the bench
server), it records `--records` audit rows per round the way an admin change does, one transaction
each (build the row, add it, commit), alternately chained (services/audit.record(): the head row
is moved and locked, the hash computed, the head set) and unchained (the same row added without
its place in the chain), `--rounds` times, so drift of the machine falls on both alike. It reports
the mean milliseconds per record and their ratio. It also times sealing a day of `--events` ticket
events (their Merkle root) and verifying the whole chain, per event and per record.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from servicedesk.domain.model import AuditEntry
from servicedesk.extensions import db
from servicedesk.persistence import tables
from servicedesk.services import audit, audit_chain
from servicedesk.web.context import unit_of_work
from tests.builders import helper_app

from . import stack

DAY = datetime(2026, 11, 2, tzinfo=UTC)


def _entry(i: int) -> dict:
    return {
        "user_id": None,
        "action": "update",
        "entity": "service",
        "entity_id": i,
        "before": {"name": f"Legalisir ijazah {i}", "standard_minutes": 15, "fee": 0},
        "after": {"name": f"Legalisir ijazah {i}", "standard_minutes": 20, "fee": 0},
    }


def chained(n: int, start: int) -> float:
    began = time.perf_counter()
    for i in range(start, start + n):
        uow = unit_of_work()
        audit.record(uow, **_entry(i))
        uow.commit()
    return time.perf_counter() - began


def unchained(n: int, start: int) -> float:
    """The same row and transaction, without the chain: what record() cost before issue 23."""
    began = time.perf_counter()
    for i in range(start, start + n):
        uow = unit_of_work()
        uow.repo.add(AuditEntry(at=uow.clock(), **_entry(i)))
        uow.commit()
    return time.perf_counter() - began


def fill_events(count: int) -> None:
    """One day of ticket events (one ticket each), written directly: only their hashing is measured."""
    with db.engine.begin() as conn:
        service = conn.execute(
            tables.services.insert()
            .values(code="A", name="A", name_en="A", requirements=[], procedure=[], standard_minutes=15)
            .returning(tables.services.c.id)
        ).scalar_one()
        for k in range(count):
            at = DAY + timedelta(hours=1, seconds=k * 8)
            ticket = conn.execute(
                tables.tickets.insert()
                .values(
                    origin_service_id=service,
                    service_id=service,
                    number=f"A{k + 1:04d}",
                    sequence=k + 1,
                    service_day=DAY.date(),
                    token=f"t{k}",
                    status="waiting",
                    issued_at=at,
                    queued_at=at,
                )
                .returning(tables.tickets.c.id)
            ).scalar_one()
            conn.execute(
                tables.ticket_events.insert().values(ticket_id=ticket, kind="issued", at=at, service_id=service)
            )


def measure(url: str, records: int, rounds: int, events: int) -> dict:
    clock = [DAY]
    app = helper_app(url, CLOCK=lambda: clock[0], SQLALCHEMY_ENGINE_OPTIONS={})  # a kept connection, as a server has
    times = {"chained": [], "unchained": []}
    with app.app_context():
        unchained(20, 0)  # warm up: connections, statement caches
        chained(20, 0)
        n = 40
        for round_ in range(rounds):
            order = ("chained", "unchained") if round_ % 2 == 0 else ("unchained", "chained")
            for kind in order:
                spent = (chained if kind == "chained" else unchained)(records, n)
                times[kind].append(spent / records * 1000)
                n += records
        fill_events(events)
        clock[0] = DAY + timedelta(days=1)
        began = time.perf_counter()
        uow = unit_of_work()
        (sealed,) = audit_chain.seal(uow)
        seal_ms = (time.perf_counter() - began) * 1000
        db.session.remove()
        # The unchained rows are not part of the chain: verify only the chained ones.
        with db.engine.begin() as conn:
            conn.execute(tables.audit_log.delete().where(tables.audit_log.c.seq.is_(None)))
        began = time.perf_counter()
        verdict = audit_chain.verify(db.session)
        verify_ms = (time.perf_counter() - began) * 1000
        db.session.remove()
        db.engine.dispose()
    assert verdict.ok, verdict.describe()
    return {
        "chained": statistics.mean(times["chained"]),
        "unchained": statistics.mean(times["unchained"]),
        "seal_ms": seal_ms,
        "verify_ms": verify_ms,
        "records": verdict.chain.records,
        "events": verdict.events,
    }


def report(results: dict[str, dict], args, header: list[str]) -> list[str]:
    rows = []
    for backend, r in results.items():
        rows.append(
            [
                backend,
                f"{r['unchained']:.2f}",
                f"{r['chained']:.2f}",
                f"{r['chained'] - r['unchained']:+.2f}",
                f"{r['chained'] / r['unchained']:.2f}",
                f"{r['seal_ms'] / r['events'] * 1000:.0f}",
                f"{r['verify_ms'] / (r['records'] + r['events']) * 1000:.0f}",
            ]
        )
    return [
        *header,
        f"{args.rounds} rounds of {args.records} audit records each way, one transaction per record, "
        f"alternating; then one day of {args.events} ticket events sealed, and the whole chain verified.",
        "",
        *stack.table(
            [
                "database",
                "unchained ms/record",
                "chained ms/record",
                "cost ms/record",
                "ratio",
                "seal µs/event",
                "verify µs/row",
            ],
            rows,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--events", type=int, default=3300)
    parser.add_argument("--wait-quiet", type=float, default=0, help="minutes to wait for a quiet machine first")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    quiet = stack.wait_until_quiet(args.wait_quiet) if args.wait_quiet else "not checked"
    started = stack.load_average()
    results = {}
    with stack.sqlite_database() as url:
        results["SQLite"] = measure(url, args.records, args.rounds, args.events)
    with stack.postgresql_database("servicedesk_bench_audit_chain") as url:
        results["PostgreSQL"] = measure(url, args.records, args.rounds, args.events)
    lines = report(results, args, stack.report_header(quiet, started))
    print("\n".join(lines))
    if not args.no_write:
        stack.write_section("audit-chain", lines)


if __name__ == "__main__":
    main()
