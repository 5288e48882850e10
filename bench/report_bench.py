"""Times the management-review report on one year of a busy office in PostgreSQL (issue 7).

    .venv/bin/python bench/report_bench.py [--server postgresql://postgres@127.0.0.1:5432/postgres]
                                           [--tickets-per-day 3300] [--keep] [--reuse] [--runs 3]
                                           [--explain year]

Creates a database of its own (servicedesk_bench) on the server, builds the schema with the app's
migrations, seeds the demo office (services A-E, counters 1-4, four officers), then fills 2025 with
generated tickets, their event rows and survey responses in a few INSERT ... SELECT FROM
generate_series statements (seconds, not the hours row-by-row inserts would take). It then times
persistence.reports.figures() -- every figure of the page -- for one month and for the whole year,
and prints the load average after each. --keep leaves the database for the next run, --reuse
times it again without refilling (after a schema change, refill). --explain year first times each
statement of the yearly report and prints its EXPLAIN (ANALYZE, BUFFERS).

The generated office: Monday to Saturday, 08:00-15:30 WIB, `--tickets-per-day` tickets a day spread
over the hours, five services with the demo SOP standards. Of the tickets 90% are served (their
service time varies around the standard), 4% are no-shows, 4% are cancelled and 2% are transferred
to the next service and served there. 3% of the served are put on hold once, two minutes into
their service, for 5-25 minutes (the visitor fetches a document); that time is not service time.
Every 9th served ticket has a survey response.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.pool import NullPool

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SERVICEDESK_ENV", "testing")  # its apps sign with a short key of their own

from servicedesk import create_app  # noqa: E402
from servicedesk.domain.reporting import PeriodKind, period_for  # noqa: E402
from servicedesk.extensions import db  # noqa: E402
from servicedesk.persistence import reports  # noqa: E402
from servicedesk.services import demo  # noqa: E402
from servicedesk.services.review import review_figures, summary_of  # noqa: E402
from servicedesk.web.context import unit_of_work  # noqa: E402

NAME = "servicedesk_bench"
YEAR = 2025
CASES = [
    ("month (June 2025)", period_for(PeriodKind.MONTH, date(YEAR, 6, 1)), reports.Filters()),
    ("year (2025)", period_for(PeriodKind.YEAR, date(YEAR, 1, 1)), reports.Filters()),
    ("year, one service (A)", period_for(PeriodKind.YEAR, date(YEAR, 1, 1)), reports.Filters(service_id=1)),
]

# One statement per table; :per_day tickets on each working day of the year. Each slot's hash h
# decides its fate: 2% transferred to the next service, 4% no-shows, 4% cancelled before a call,
# the rest served; 3% of the served held once. Times are offsets in seconds from the issue.
FILL_TICKETS = """
WITH days AS (
    SELECT d::date AS day, row_number() OVER (ORDER BY d) - 1 AS day_index
    FROM generate_series(DATE '2025-01-01', DATE '2025-12-31', INTERVAL '1 day') AS d
    WHERE extract(isodow FROM d) < 7
), slots AS (
    SELECT day, day_index, k,
           (k % 5) + 1 AS svc_rank,
           k / 5 + 1 AS seq,
           -- 08:00 WIB is 01:00 UTC; arrivals spread over 7.5 hours with a morning peak.
           (day + TIME '01:00') AT TIME ZONE 'UTC'
             + make_interval(secs => 27000 * power((k + 0.5) / :per_day, 1.3)) AS issued_at,
           hashint4((day_index * 100000 + k)::int) & 2147483647 AS h
    FROM days CROSS JOIN generate_series(0, :per_day - 1) AS k
), visits AS (
    SELECT slots.*,
           h % 100 < 2 AS transferred,
           CASE WHEN h % 100 BETWEEN 2 AND 5 THEN 'no_show'
                WHEN h % 100 BETWEEN 6 AND 9 THEN 'cancelled' ELSE 'done' END AS outcome,
           60 + h % 2400 AS wait,  -- issue to the first call
           CASE WHEN (h / 101) % 100 < 3 THEN 300 + (h / 13) % 1200 ELSE 0 END AS hold  -- fetching a document
    FROM slots
)
INSERT INTO tickets (id, origin_service_id, service_id, number, sequence, service_day, token, priority,
                     status, issued_at, queued_at, counter_id, officer_id, called_at, started_at,
                     finished_at, wait_seconds, service_seconds, recall_count)
SELECT day_index * 100000 + k + 1,
       s.id,
       CASE WHEN transferred THEN s2.id ELSE s.id END,
       s.code || lpad(seq::text, 3, '0'), seq, day, md5((day_index * 100000 + k)::text),
       h % 10 = 0,
       outcome,
       issued_at, issued_at,
       CASE WHEN outcome <> 'cancelled' THEN c.id END,
       CASE WHEN outcome <> 'cancelled' THEN c.officer END,
       -- the latest call: a transferred visitor is called again in the next service 5 minutes later
       CASE WHEN outcome <> 'cancelled'
            THEN issued_at + make_interval(secs => wait + CASE WHEN transferred THEN 300 ELSE 0 END) END,
       CASE WHEN outcome = 'done'
            THEN issued_at + make_interval(secs => wait + CASE WHEN transferred THEN 330 ELSE 30 END) END,
       CASE WHEN outcome = 'done'
            THEN issued_at + make_interval(secs => wait + CASE WHEN transferred THEN 330 ELSE 30 END
                                                  + sv.standard_minutes * (30 + (h / 7) % 50)
                                                  + hold) END,
       CASE WHEN outcome <> 'cancelled' THEN wait END,
       CASE WHEN outcome = 'done' THEN sv.standard_minutes * (30 + (h / 7) % 50) END,
       0
FROM visits
JOIN bench_services s ON s.rank = svc_rank
JOIN bench_services s2 ON s2.rank = svc_rank % 5 + 1
JOIN bench_services sv ON sv.rank = CASE WHEN transferred THEN svc_rank % 5 + 1 ELSE svc_rank END
JOIN bench_staff c ON c.rank = ((h / 3) % 4) + 1
ORDER BY 1  -- rows in the order they were issued, as an office writes them (a month is then a few pages)
"""

# Event rows derived from each ticket's columns: issued, the first call, then serving/done,
# no_show or cancelled; a transferred ticket also has serving and transferred in its first service
# and a second call; a held ticket (its finish later than its service time says) held and resumed.
FILL_EVENTS = """
INSERT INTO ticket_events (ticket_id, kind, at, service_id, to_service_id, counter_id, officer_id)
SELECT id, 'issued', issued_at, origin_service_id, NULL::int, NULL::int, NULL::int FROM tickets
UNION ALL
SELECT id, 'called', issued_at + make_interval(secs => wait_seconds), origin_service_id, NULL, counter_id, officer_id
  FROM tickets WHERE wait_seconds IS NOT NULL
UNION ALL
SELECT id, 'serving', issued_at + make_interval(secs => wait_seconds + 30), origin_service_id, NULL, counter_id,
       officer_id
  FROM tickets WHERE service_id <> origin_service_id
UNION ALL
SELECT id, 'transferred', issued_at + make_interval(secs => wait_seconds + 90), origin_service_id, service_id,
       counter_id, officer_id
  FROM tickets WHERE service_id <> origin_service_id
UNION ALL
SELECT id, 'called', called_at, service_id, NULL, counter_id, officer_id
  FROM tickets WHERE service_id <> origin_service_id
UNION ALL
SELECT id, 'serving', started_at, service_id, NULL, counter_id, officer_id FROM tickets WHERE started_at IS NOT NULL
UNION ALL
SELECT id, 'held', started_at + INTERVAL '2 minutes', service_id, NULL, counter_id, officer_id
  FROM tickets WHERE finished_at - started_at > make_interval(secs => service_seconds)
UNION ALL
SELECT id, 'resumed', finished_at - make_interval(secs => service_seconds) + INTERVAL '2 minutes', service_id, NULL,
       counter_id, officer_id
  FROM tickets WHERE finished_at - started_at > make_interval(secs => service_seconds)
UNION ALL
SELECT id, 'done', finished_at, service_id, NULL, counter_id, officer_id FROM tickets WHERE status = 'done'
UNION ALL
SELECT id, 'no_show', called_at + INTERVAL '3 minutes', service_id, NULL, counter_id, officer_id
  FROM tickets WHERE status = 'no_show'
UNION ALL
SELECT id, 'cancelled', issued_at + INTERVAL '20 minutes', service_id, NULL, NULL, NULL
  FROM tickets WHERE status = 'cancelled'
ORDER BY 3
"""

FILL_SURVEY = """
INSERT INTO survey_responses (ticket_id, service_id, counter_id, officer_id, submitted_at,
                              u1, u2, u3, u4, u5, u6, u7, u8, u9, comment)
SELECT id, service_id, counter_id, officer_id, finished_at + INTERVAL '2 minutes',
       2 + (hashint4(id) & 2147483647) % 3,
       2 + (hashint4(id + 1) & 2147483647) % 3,
       1 + (hashint4(id + 2) & 2147483647) % 4,
       4,
       2 + (hashint4(id + 3) & 2147483647) % 3,
       3 + (hashint4(id + 4) & 2147483647) % 2,
       3 + (hashint4(id + 5) & 2147483647) % 2,
       1 + (hashint4(id + 6) & 2147483647) % 4,
       2 + (hashint4(id + 7) & 2147483647) % 3,
       CASE WHEN id % 7 = 0 THEN 'Komentar pengunjung nomor ' || id END
FROM (SELECT id, service_id, counter_id, officer_id, finished_at,
             row_number() OVER (ORDER BY id) AS n
        FROM tickets WHERE status = 'done') AS served
WHERE n % 9 = 0
LIMIT :responses
"""


def fresh_demo_database(server: str, name: str) -> str:
    """A new database `name` on `server` (dropped first if it exists), migrated, with the demo office
    in it, open around the clock; its URL."""
    url = make_url(server).set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    bench_url = url.set(database=name).render_as_string(hide_password=False)

    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": bench_url, "SECRET_KEY": "bench", "REDIS_URL": None})
    with app.app_context():
        upgrade()
        demo.seed(unit_of_work(), always_open=True, password_hash="x")
        db.engine.dispose()
    return bench_url


def drop_database(server: str, name: str) -> None:
    """The benchmark's database goes once it is timed (unless --keep)."""
    admin = create_engine(
        make_url(server).set(drivername="postgresql+psycopg"), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def build(server: str, per_day: int, responses: int, name: str = NAME) -> str:
    bench_url = fresh_demo_database(server, name)

    engine = create_engine(bench_url, poolclass=NullPool)
    steps = [
        (
            "services",
            "CREATE TEMP TABLE bench_services AS SELECT id, code, standard_minutes, "
            "row_number() OVER (ORDER BY position) AS rank FROM services",
            {},
        ),
        (
            "staff",
            "CREATE TEMP TABLE bench_staff AS SELECT c.id, u.id AS officer, "
            "row_number() OVER (ORDER BY c.number) AS rank FROM counters c "
            "JOIN users u ON u.username = (ARRAY['siti','budi','agus','dewi'])[c.number]",
            {},
        ),
        ("tickets", FILL_TICKETS, {"per_day": per_day}),
        ("events", FILL_EVENTS, {}),
        ("survey", FILL_SURVEY, {"responses": responses}),
    ]
    with engine.connect() as conn:
        # The generated rows are consistent by construction; skipping the per-row foreign-key
        # triggers (tens of millions of look-ups) turns a half-hour fill into minutes.
        conn.execute(text("SET session_replication_role = replica"))
        for name, sql, params in steps:
            began = time.perf_counter()
            conn.execute(text(sql), params)
            conn.commit()
            print(f"  filled {name} in {time.perf_counter() - began:.1f} s", flush=True)
        conn.execute(text("SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT max(id) FROM tickets))"))
        conn.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return bench_url


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        found = {
            table: conn.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in ("tickets", "ticket_events", "survey_responses")
        }
        found["database MB"] = conn.scalar(text("SELECT pg_database_size(current_database()) / 1048576"))
    engine.dispose()
    return found


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def time_reports(url: str, runs: int) -> list[tuple[str, list[float], reports.Figures, str, list[float]]]:
    """Each case's figures(), then what the page adds for the management review (the previous
    period's summary, the per-day trend, the waits per priority group) in the same transaction."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None})
    results = []
    with app.app_context():
        for label, period, filters in CASES:
            timings, review_timings = [], []
            for _ in range(runs):
                began = time.perf_counter()
                found = reports.figures(db.session, period, "Asia/Jakarta", filters)
                timings.append(time.perf_counter() - began)
                began = time.perf_counter()
                review_figures(db.session, period, "Asia/Jakarta", filters, current=summary_of(found))
                review_timings.append(time.perf_counter() - began)
                db.session.rollback()
            results.append((label, timings, found, load(), review_timings))
        db.engine.dispose()
    return results


def explain(url: str, label: str) -> None:
    """Each statement of one report, its time, then EXPLAIN (ANALYZE, BUFFERS) of it."""
    period, filters = next((period, filters) for name, period, filters in CASES if name.startswith(label))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None})
    statements: list[tuple[str, object, float]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["began"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters, time.perf_counter() - conn.info.pop("began")))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
        reports.figures(db.session, period, "Asia/Jakarta", filters)
        db.session.rollback()
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
        print(f"{label}: {sum(seconds for _, _, seconds in statements):.3f} s in {len(statements)} statements")
        for statement, _, seconds in statements:
            print(f"  {seconds:.3f} s  {' '.join(statement.split())[:110]}")
        connection = db.engine.raw_connection()
        cursor = connection.cursor()
        for statement, _, _ in statements:
            if statement.startswith("SET LOCAL"):  # what figures() sets for its transaction
                cursor.execute(statement.replace("SET LOCAL", "SET", 1))
        for statement, parameters, _ in statements:
            if not statement.startswith("SET LOCAL"):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                print("-" * 100)
                print(" ".join(statement.split())[:300])
                print("\n".join(row[0] for row in cursor.fetchall()))
        connection.close()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--tickets-per-day", type=int, default=3300)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="time an existing servicedesk_bench database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--explain", metavar="REPORT", help="first time each statement of one report (month, year) and EXPLAIN it"
    )
    args = parser.parse_args()

    print(f"machine: {platform.machine()} {platform.system()}, python {platform.python_version()}")
    url = (
        make_url(args.server).set(drivername="postgresql+psycopg", database=NAME).render_as_string(hide_password=False)
    )
    if not args.reuse:
        began = time.perf_counter()
        url = build(args.server, args.tickets_per_day, args.responses)
        print(f"filled in {time.perf_counter() - began:.0f} s")
    for table, count in counts(url).items():
        print(f"  {table}: {count:,}")
    if args.explain:
        explain(url, args.explain)
    print(f"timing {args.runs} runs each; before: {load()}")
    for label, timings, found, after, review_timings in time_reports(url, args.runs):
        service = found.total.service
        print(
            f"{label}: " + ", ".join(f"{t:.2f}" for t in timings) + f" s (median {statistics.median(timings):.2f} s)"
            f" -- {found.total.issued:,} issued, {found.total.served:,} served"
            f" (service mean {service.mean:.1f} s, median {service.median:.0f} s, p90 {service.p90:.1f} s), "
            f"{found.survey_total.respondents:,} responses; {after}"
        )
        print(
            "  + review (previous period, per-day trend, per-group waits): "
            + ", ".join(f"{t:.2f}" for t in review_timings)
            + f" s (median {statistics.median(review_timings):.2f} s)"
        )
    if not args.keep:
        drop_database(args.server, NAME)


if __name__ == "__main__":
    main()
