"""Times the yearly reports of a city-wide install: ~30 services, a year of millions of tickets (issue 26).

    .venv/bin/python -m bench.city_reports [--server postgresql://postgres@127.0.0.1:5432/postgres]
                                           [--services 30] [--tickets-per-day 32000] [--runs 3]
                                           [--keep] [--reuse] [--profile] [--rollups]

The fill is bench/report_bench.py's (its own database `servicedesk_city_bench`, the app's
migrations, the demo office, then 2025 Monday-Saturday by INSERT ... SELECT FROM generate_series
with the foreign-key triggers off), widened from the demo's five services to `--services` (the
extra ones copies of service A with standards of 10-25 minutes), as an MPP floor or a city's
branch offices would have them. 32,000 tickets a day on 313 days is ten million tickets; a million
(`--tickets-per-day 3200`) fills in a tenth of the time.

It times persistence.reports.figures() -- every figure of the /reports page -- for the year
site-wide and for one service (a thirtieth of the tickets: one agency's part when an agency holds
one service), then `--profile` times each statement of both, and `--rollups` rolls every closed
day up with the app's own command (services/report_rollups.py, what `flask reports rollup` runs),
times the same reports read from the rollups, and checks every figure equal to the tickets'. The
database is dropped at the end unless --keep.
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

from sqlalchemy import create_engine, event, func, make_url, select, text
from sqlalchemy.pool import NullPool

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SERVICEDESK_ENV", "testing")

from bench.report_bench import FILL_EVENTS, FILL_SURVEY, counts, drop_database, fresh_demo_database, load  # noqa: E402
from servicedesk import create_app  # noqa: E402
from servicedesk.domain.reporting import PeriodKind, period_for  # noqa: E402
from servicedesk.extensions import db  # noqa: E402
from servicedesk.persistence import reports  # noqa: E402
from servicedesk.persistence import tables as t  # noqa: E402
from servicedesk.services import report_rollups, review  # noqa: E402
from servicedesk.web.context import unit_of_work  # noqa: E402
from tests.integration.test_report_rollups import comparable  # noqa: E402

NAME = "servicedesk_city_bench"
YEAR = 2025
YEAR_PERIOD = period_for(PeriodKind.YEAR, date(YEAR, 1, 1))

# Copies of service A for ranks 6..n, with codes S06..Sn and standards of 10, 15, 20 or 25 minutes.
ADD_SERVICES = """
CREATE TEMP TABLE extra AS
SELECT s.*, g FROM services s CROSS JOIN generate_series(6, :n) AS g WHERE s.code = 'A';
UPDATE extra SET id = nextval(pg_get_serial_sequence('services', 'id')), code = 'S' || lpad(g::text, 2, '0'),
                 name = 'Layanan ' || g, name_en = 'Service ' || g, position = g - 1,
                 standard_minutes = 10 + (g % 4) * 5, daily_quota = NULL;
ALTER TABLE extra DROP COLUMN g;
INSERT INTO services SELECT * FROM extra;
DROP TABLE extra;
"""

# report_bench.FILL_TICKETS with :n services instead of five (and four-digit sequence numbers).
FILL_TICKETS = """
WITH days AS (
    SELECT d::date AS day, row_number() OVER (ORDER BY d) - 1 AS day_index
    FROM generate_series(DATE '2025-01-01', DATE '2025-12-31', INTERVAL '1 day') AS d
    WHERE extract(isodow FROM d) < 7
), slots AS (
    SELECT day, day_index, k,
           (k % :n) + 1 AS svc_rank,
           k / :n + 1 AS seq,
           (day + TIME '01:00') AT TIME ZONE 'UTC'
             + make_interval(secs => 27000 * power((k + 0.5) / :per_day, 1.3)) AS issued_at,
           hashint4((day_index * 100000 + k)::int) & 2147483647 AS h
    FROM days CROSS JOIN generate_series(0, :per_day - 1) AS k
), visits AS (
    SELECT slots.*,
           h % 100 < 2 AS transferred,
           CASE WHEN h % 100 BETWEEN 2 AND 5 THEN 'no_show'
                WHEN h % 100 BETWEEN 6 AND 9 THEN 'cancelled' ELSE 'done' END AS outcome,
           60 + h % 2400 AS wait,
           CASE WHEN (h / 101) % 100 < 3 THEN 300 + (h / 13) % 1200 ELSE 0 END AS hold
    FROM slots
)
INSERT INTO tickets (id, origin_service_id, service_id, number, sequence, service_day, token, priority,
                     status, issued_at, queued_at, counter_id, officer_id, called_at, started_at,
                     finished_at, wait_seconds, service_seconds, recall_count)
SELECT day_index * 100000 + k + 1,
       s.id,
       CASE WHEN transferred THEN s2.id ELSE s.id END,
       s.code || lpad(seq::text, 5, '0'), seq, day, md5((day_index * 100000 + k)::text),
       h % 10 = 0,
       outcome,
       issued_at, issued_at,
       CASE WHEN outcome <> 'cancelled' THEN c.id END,
       CASE WHEN outcome <> 'cancelled' THEN c.officer END,
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
JOIN bench_services s2 ON s2.rank = svc_rank % :n + 1
JOIN bench_services sv ON sv.rank = CASE WHEN transferred THEN svc_rank % :n + 1 ELSE svc_rank END
JOIN bench_staff c ON c.rank = ((h / 3) % 4) + 1
ORDER BY 1
"""


def build(server: str, per_day: int, services: int, responses: int) -> str:
    bench_url = fresh_demo_database(server, NAME)

    engine = create_engine(bench_url, poolclass=NullPool)
    with engine.connect() as conn:
        for statement in ADD_SERVICES.strip().split(";\n"):
            if statement.strip():
                conn.execute(text(statement), {"n": services})
        conn.commit()
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
        ("tickets", FILL_TICKETS, {"per_day": per_day, "n": services}),
        ("events", FILL_EVENTS, {}),
        ("survey", FILL_SURVEY, {"responses": responses}),
    ]
    with engine.connect() as conn:
        conn.execute(text("SET session_replication_role = replica"))  # consistent by construction
        conn.execute(text("SET work_mem = '256MB'"))
        for name, sql, params in steps:
            began = time.perf_counter()
            conn.execute(text(sql), params)
            conn.commit()
            print(f"  filled {name} in {time.perf_counter() - began:.1f} s", flush=True)
        conn.execute(text("SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT max(id) FROM tickets))"))
        conn.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        began = time.perf_counter()
        conn.execute(text("VACUUM ANALYZE"))
        print(f"  vacuum analyze in {time.perf_counter() - began:.1f} s", flush=True)
    engine.dispose()
    return bench_url


def cases(url: str) -> list[tuple[str, reports.Filters]]:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        one = conn.scalar(text("SELECT id FROM services WHERE code = 'S17'")) or 1
    engine.dispose()
    return [("year, site-wide", reports.Filters()), ("year, one service", reports.Filters(service_id=one))]


def time_reports(
    url: str, runs: int, profile: bool, use_rollups: bool
) -> list[tuple[str, list[float], reports.Figures, str]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None})
    results = []
    statements: list[tuple[str, float]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["began"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, time.perf_counter() - conn.info.pop("began")))

    with app.app_context():
        for label, filters in cases(url):
            timings, page = [], []
            for _ in range(runs):
                began = time.perf_counter()
                found = reports.figures(db.session, YEAR_PERIOD, "Asia/Jakarta", filters, use_rollups=use_rollups)
                timings.append(time.perf_counter() - began)
                db.session.rollback()
                # The rest of the /reports page: the previous year, the monthly trend, the waits per
                # priority group (services/review.py reads rollups wherever they exist).
                review.review_figures(
                    db.session,
                    YEAR_PERIOD,
                    "Asia/Jakarta",
                    filters,
                    current=review.summary_of(found),
                    use_rollups=use_rollups,
                )
                page.append(time.perf_counter() - began)
                db.session.rollback()
            results.append((label, timings, found, load()))
            results.append((f"{label}, the whole page (with the review)", page, found, load()))
            if profile:
                statements.clear()
                event.listen(db.engine, "before_cursor_execute", before)
                event.listen(db.engine, "after_cursor_execute", after)
                reports.figures(db.session, YEAR_PERIOD, "Asia/Jakarta", filters, use_rollups=use_rollups)
                db.session.rollback()
                event.remove(db.engine, "before_cursor_execute", before)
                event.remove(db.engine, "after_cursor_execute", after)
                print(f"{label}, per statement ({sum(s for _, s in statements):.2f} s in all):")
                for statement, seconds in statements:
                    if seconds >= 0.005:
                        print(f"  {seconds:6.3f} s  {' '.join(statement.split())[:100]}")
        db.engine.dispose()
    return results


def roll_up(url: str) -> None:
    """The app's rollups of every closed day (services/report_rollups.py), as `flask reports rollup`."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None})
    with app.app_context():
        began = time.perf_counter()
        done = report_rollups.roll_up(unit_of_work())
        took = time.perf_counter() - began
        print(
            f"rolled up {len(done.days)} days, {done.tickets:,} tickets in {took:.0f} s"
            f" ({took / max(len(done.days), 1):.2f} s a day)"
        )
        for table in (t.report_day_tally, t.report_day_counts, t.report_month_seconds):
            rows = db.session.scalar(select(func.count()).select_from(table))
            size = db.session.scalar(text(f"SELECT pg_total_relation_size('{table.name}') / 1048576"))
            print(f"  {table.name}: {rows:,} rows, {size} MB")
        db.session.rollback()
        db.engine.dispose()


def report(results, source: str) -> dict[str, reports.Figures]:
    for label, timings, found, after in results:
        print(
            f"{label} ({source}): "
            + ", ".join(f"{t:.2f}" for t in timings)
            + f" s (median {statistics.median(timings):.2f} s)"
            f" -- {found.total.issued:,} issued, {found.total.served:,} served, waiting median"
            f" {found.total.waiting.median} s; {after}"
        )
    return {label: found for label, _timings, found, _after in results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--services", type=int, default=30)
    parser.add_argument("--tickets-per-day", type=int, default=32_000)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help=f"time an existing {NAME} database")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", action="store_true", help="time each statement of both reports")
    parser.add_argument("--rollups", action="store_true", help="roll the year up and time the reports read from it")
    args = parser.parse_args()
    if not 5 <= args.services <= 99 or args.tickets_per_day >= 100_000:
        parser.error("5-99 services and fewer than 100,000 tickets a day")

    print(
        f"machine: {platform.machine()} {platform.system()}, {os.cpu_count()} CPUs,",
        f"python {platform.python_version()}",
    )
    url = (
        make_url(args.server).set(drivername="postgresql+psycopg", database=NAME).render_as_string(hide_password=False)
    )
    if not args.reuse:
        began = time.perf_counter()
        url = build(args.server, args.tickets_per_day, args.services, args.responses)
        print(f"filled in {time.perf_counter() - began:.0f} s")
    for table, count in counts(url).items():
        print(f"  {table}: {count:,}")
    print(f"timing {args.runs} runs each; before: {load()}")
    from_tickets = report(time_reports(url, args.runs, args.profile, use_rollups=False), "from the tickets")
    if args.rollups:
        roll_up(url)
        from_rollups = report(time_reports(url, args.runs, args.profile, use_rollups=True), "from the rollups")
        for label, found in from_rollups.items():
            same = comparable(found) == comparable(from_tickets[label])
            print(f"{label}: every figure read from the rollups equals the tickets': {same}")
    if not args.keep:
        drop_database(args.server, NAME)


if __name__ == "__main__":
    main()
