"""Times the yearly reports of a city-wide install: ~30 services, a year of millions of tickets (issue 26).

    .venv/bin/python -m bench.city_reports [--server postgresql://postgres@127.0.0.1:5432/postgres]
                                           [--services 30] [--tickets-per-day 32000] [--runs 3]
                                           [--keep] [--reuse] [--profile] [--rollup-probe]

The fill is bench/report_bench.py's (its own database `servicedesk_city_bench`, the app's
migrations, the demo office, then 2025 Monday-Saturday by INSERT ... SELECT FROM generate_series
with the foreign-key triggers off), widened from the demo's five services to `--services` (the
extra ones copies of service A with standards of 10-25 minutes), as an MPP floor or a city's
branch offices would have them. 32,000 tickets a day on 313 days is ten million tickets; a million
(`--tickets-per-day 3200`) fills in a tenth of the time.

It times persistence.reports.figures() -- every figure of the /reports page -- for the year
site-wide and for one service (a thirtieth of the tickets: one agency's part when an agency holds
one service), then `--profile` times each statement of both, and `--rollup-probe` measures the
remedy a daily rollup would be: it builds, in the bench database only, per service and day the
counts the report's tally needs and the per-second histograms its medians and p90 need (and the
same histograms summed per month), and times the yearly figures read from those instead of from the
tickets. Nothing of it reaches the app's
schema; the database is dropped at the end unless --keep.
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
os.environ.setdefault("SERVICEDESK_ENV", "testing")

from bench.report_bench import FILL_EVENTS, FILL_SURVEY, counts, drop_database, fresh_demo_database, load  # noqa: E402
from servicedesk import create_app  # noqa: E402
from servicedesk.domain.reporting import PeriodKind, period_for  # noqa: E402
from servicedesk.extensions import db  # noqa: E402
from servicedesk.persistence import reports  # noqa: E402

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

# The probe's rollups: what a closed day would leave behind, per service and day.
PROBE_TABLES = [
    (
        "probe_day_tally",
        """CREATE TABLE probe_day_tally AS
           SELECT t.service_day AS day, origin_service_id, service_id, officer_id, counter_id,
                  count(*) AS issued, count(*) FILTER (WHERE priority) AS priority,
                  count(*) FILTER (WHERE status = 'done' AND service_seconds IS NOT NULL) AS served,
                  count(*) FILTER (WHERE status = 'no_show') AS no_show,
                  count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
                  count(*) FILTER (WHERE status = 'done' AND service_seconds <= s.standard_minutes * 60) AS within,
                  sum(service_seconds) FILTER (WHERE status = 'done') AS service_sum
           FROM tickets t JOIN services s ON s.id = t.service_id
           GROUP BY 1, 2, 3, 4, 5""",
    ),
    (
        "probe_day_seconds",
        """CREATE TABLE probe_day_seconds AS
           SELECT service_day AS day, 'w'::char AS what, origin_service_id AS service_id,
                  CAST(floor(wait_seconds + 0.5) AS INTEGER) AS sec, count(*) AS k, sum(wait_seconds) AS seconds
           FROM tickets WHERE wait_seconds IS NOT NULL GROUP BY 1, 2, 3, 4
           UNION ALL
           SELECT service_day, 's', service_id, CAST(floor(service_seconds + 0.5) AS INTEGER), count(*),
                  sum(service_seconds)
           FROM tickets WHERE status = 'done' AND service_seconds IS NOT NULL GROUP BY 1, 2, 3, 4""",
    ),
    (
        "probe_month_seconds",
        """CREATE TABLE probe_month_seconds AS
           SELECT date_trunc('month', day)::date AS day, what, service_id, sec, sum(k) AS k, sum(seconds) AS seconds
           FROM probe_day_seconds GROUP BY 1, 2, 3, 4""",
    ),
    ("index", "CREATE INDEX ON probe_day_seconds (what, service_id, day)"),
    ("index", "CREATE INDEX ON probe_month_seconds (what, service_id, day)"),
    ("index", "CREATE INDEX ON probe_day_tally (day)"),
]

PROBE_TALLY = """
SELECT origin_service_id, service_id, officer_id, counter_id, sum(issued), sum(priority), sum(served),
       sum(no_show), sum(cancelled), sum(within), sum(service_sum)
FROM probe_day_tally WHERE day BETWEEN :first AND :last {where}
GROUP BY 1, 2, 3, 4
"""

# The same ranking as reports.sql.distributions, over the year's summed per-second histograms.
PROBE_DISTRIBUTION = """
WITH per_second AS (
    SELECT service_id AS grp, sec, sum(k) AS k, sum(seconds) AS seconds
    FROM {histograms} WHERE what = :what AND day BETWEEN :first AND :last {where}
    GROUP BY 1, 2
), levels AS (
    SELECT grp, sec, k, seconds FROM per_second
    UNION ALL SELECT -1, sec, sum(k), sum(seconds) FROM per_second GROUP BY sec
), ranked AS (
    SELECT grp, sec, k, sum(k) OVER (PARTITION BY grp ORDER BY sec ROWS UNBOUNDED PRECEDING) AS cum,
           sum(k) OVER (PARTITION BY grp) AS n, sum(seconds) OVER (PARTITION BY grp) AS total
    FROM levels
)
SELECT grp, sec, k, cum, n, total FROM ranked
WHERE (cum - k < (n - 1) / 2 + 1 AND (n - 1) / 2 + 1 <= cum)
   OR (cum - k < (n - 1) / 2 + 2 AND (n - 1) / 2 + 2 <= cum)
   OR (cum - k < (n - 1) * 9 / 10 + 1 AND (n - 1) * 9 / 10 + 1 <= cum)
   OR (cum - k < (n - 1) * 9 / 10 + 2 AND (n - 1) * 9 / 10 + 2 <= cum)
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


def time_reports(url: str, runs: int, profile: bool) -> list[tuple[str, list[float], reports.Figures, str]]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None})
    results = []
    statements: list[tuple[str, float]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["began"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, time.perf_counter() - conn.info.pop("began")))

    with app.app_context():
        for label, filters in cases(url):
            timings = []
            for _ in range(runs):
                began = time.perf_counter()
                found = reports.figures(db.session, YEAR_PERIOD, "Asia/Jakarta", filters)
                timings.append(time.perf_counter() - began)
                db.session.rollback()
            results.append((label, timings, found, load()))
            if profile:
                statements.clear()
                event.listen(db.engine, "before_cursor_execute", before)
                event.listen(db.engine, "after_cursor_execute", after)
                reports.figures(db.session, YEAR_PERIOD, "Asia/Jakarta", filters)
                db.session.rollback()
                event.remove(db.engine, "before_cursor_execute", before)
                event.remove(db.engine, "after_cursor_execute", after)
                print(f"{label}, per statement ({sum(s for _, s in statements):.2f} s in all):")
                for statement, seconds in statements:
                    if seconds >= 0.005:
                        print(f"  {seconds:6.3f} s  {' '.join(statement.split())[:100]}")
        db.engine.dispose()
    return results


def rollup_probe(url: str, runs: int) -> None:
    """Build per-day rollups in the bench database and time the year's figures read from them."""
    engine = create_engine(url, poolclass=NullPool)
    first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)
    with engine.connect() as conn:
        conn.execute(text("DROP TABLE IF EXISTS probe_day_tally, probe_day_seconds, probe_month_seconds"))
        conn.execute(text("SET work_mem = '256MB'"))
        for name, sql in PROBE_TABLES:
            began = time.perf_counter()
            conn.execute(text(sql))
            conn.commit()
            print(f"  probe: built {name} in {time.perf_counter() - began:.1f} s", flush=True)
        conn.execute(text("ANALYZE probe_day_tally"))
        conn.execute(text("ANALYZE probe_day_seconds"))
        conn.execute(text("ANALYZE probe_month_seconds"))
        conn.commit()
        for table in ("probe_day_tally", "probe_day_seconds", "probe_month_seconds"):
            rows = conn.scalar(text(f"SELECT count(*) FROM {table}"))
            size = conn.scalar(text(f"SELECT pg_total_relation_size('{table}') / 1048576"))
            print(f"  probe: {table}: {rows:,} rows, {size} MB")
        one = conn.scalar(text("SELECT id FROM services WHERE code = 'S17'")) or 1
        for label, where, params, histograms in (
            ("year, site-wide", "", {}, "probe_day_seconds"),
            ("year, one service", "AND service_id = :one", {"one": one}, "probe_day_seconds"),
            ("year, site-wide, monthly histograms", "", {}, "probe_month_seconds"),
            ("year, one service, monthly histograms", "AND service_id = :one", {"one": one}, "probe_month_seconds"),
        ):
            tally_where = "AND (origin_service_id = :one OR service_id = :one)" if where else ""
            timings = []
            for _ in range(runs):
                conn.execute(text("SET LOCAL work_mem = '64MB'"))
                conn.execute(text("SET LOCAL jit = off"))
                began = time.perf_counter()
                bounds = {"first": first, "last": last, **params}
                conn.execute(text(PROBE_TALLY.format(where=tally_where)), bounds).all()
                for what in ("w", "s"):
                    conn.execute(
                        text(PROBE_DISTRIBUTION.format(where=where, histograms=histograms)),
                        {"what": what, "first": first, "last": last, **params},
                    ).all()
                timings.append(time.perf_counter() - began)
                conn.rollback()
            print(
                f"  probe: {label} from rollups (tally + both distributions): "
                + ", ".join(f"{t:.2f}" for t in timings)
                + f" s (median {statistics.median(timings):.2f} s); {load()}"
            )
    engine.dispose()


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
    parser.add_argument("--rollup-probe", action="store_true", help="measure per-day rollups in the bench database")
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
    for label, timings, found, after in time_reports(url, args.runs, args.profile):
        print(
            f"{label}: " + ", ".join(f"{t:.2f}" for t in timings) + f" s (median {statistics.median(timings):.2f} s)"
            f" -- {found.total.issued:,} issued, {found.total.served:,} served, waiting median"
            f" {found.total.waiting.median} s; {after}"
        )
    if args.rollup_probe:
        rollup_probe(url, args.runs)
    if not args.keep:
        drop_database(args.server, NAME)


if __name__ == "__main__":
    main()
