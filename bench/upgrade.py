"""An existing single office upgraded to the many-agency schema, on a copy of the report benchmark's
database (issue 26: "an existing single-office database upgrades to one site with one agency, nothing
lost").

    .venv/bin/python -m bench.upgrade [--server postgresql://postgres@127.0.0.1:5432/postgres]
                                      [--tickets-per-day 3300] [--keep]

Builds a year of the demo office as bench/report_bench.py does (in a database of its own), reads every
figure of the yearly report and the row counts, then takes the schema back to revision 0014 -- the last
one-office schema, as an office that installed before agencies has it -- and times `flask db upgrade`
from there to head. Afterwards the office is one agency named after it, every service, counter,
officer and device belongs to it, and the counts and every figure of the yearly report are equal to
those before. The result is written to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import time

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bench import report_bench, stack
from servicedesk import create_app
from servicedesk.extensions import db
from servicedesk.persistence import reports

NAME = "servicedesk_upgrade_bench"
ONE_OFFICE = "0014"  # the revision before agencies (migrations/versions/0015_agencies.py)
YEAR = report_bench.CASES[1][1]


def year_figures(url: str) -> reports.Figures:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None})
    with app.app_context():
        found = reports.figures(db.session, YEAR, "Asia/Jakarta", reports.Filters())
        db.session.rollback()
        db.engine.dispose()
    return found


def migrate(url: str, step, revision: str) -> float:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None})
    with app.app_context():
        began = time.perf_counter()
        step(revision=revision)
        took = time.perf_counter() - began
        db.engine.dispose()
    return took


def scoping(url: str) -> dict:
    """The agencies after the upgrade, and how many rows of each scoped table are outside the one agency."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        agencies = conn.execute(text("SELECT id, code, name FROM agencies")).all()
        only = agencies[0][0] if len(agencies) == 1 else None
        outside = {
            table: conn.scalar(text(f"SELECT count(*) FROM {table} WHERE agency_id IS DISTINCT FROM :id"), {"id": only})
            for table in ("services", "counters", "devices")
        }
        outside["officers"] = conn.scalar(
            text("SELECT count(*) FROM users WHERE role = 'officer' AND agency_id IS DISTINCT FROM :id"), {"id": only}
        )
    engine.dispose()
    return {"agencies": [(code, name) for _, code, name in agencies], "outside": outside}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--tickets-per-day", type=int, default=3300)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    started_load = stack.load_average()

    url = report_bench.build(args.server, args.tickets_per_day, args.responses, name=NAME)
    before_counts, before = report_bench.counts(url), year_figures(url)
    down = migrate(url, downgrade, ONE_OFFICE)
    up = migrate(url, upgrade, "head")
    after_counts, after = report_bench.counts(url), year_figures(url)
    scoped = scoping(url)

    same_counts = {k: v for k, v in before_counts.items() if k != "database MB"} == {
        k: v for k, v in after_counts.items() if k != "database MB"
    }
    kept = same_counts and before == after and len(scoped["agencies"]) == 1 and not any(scoped["outside"].values())
    print(f"downgrade to {ONE_OFFICE}: {down:.1f} s, upgrade to head: {up:.1f} s; nothing lost: {kept}")
    print(f"counts before {before_counts}, after {after_counts}; {scoped}")
    rows = [[table, f"{before_counts[table]:,}", f"{after_counts[table]:,}"] for table in before_counts]
    stack.write_section(
        "upgrade",
        [
            "## Upgrading a single office to agencies (issue 26)",
            "",
            *stack.report_header(started_load, started_load),
            f"A year of the demo office ({before.total.issued:,} tickets issued in the year) taken back to revision "
            f"{ONE_OFFICE} (the one-office schema) in {down:.1f} s, then `flask db upgrade` to head in **{up:.1f} s**.",
            "",
            *stack.table(["rows", "before", "after"], rows),
            "",
            f"- Agencies after the upgrade: {scoped['agencies']}; rows of services, counters, devices and officers "
            f"outside that agency: {scoped['outside']}.",
            f"- Every figure of the yearly report equal before and after: **{before == after}**; nothing lost: "
            f"**{kept}**.",
            "- Why so quick: 0015 adds nullable `agency_id` columns (no table rewrite on PostgreSQL) and fills them on",
            "  the small tables only (services, counters, users, devices, holidays); tickets and their events are not",
            "  touched, since a ticket's agency is its service's.",
        ],
    )
    if not args.keep:
        report_bench.drop_database(args.server, NAME)
    if not kept:
        raise SystemExit("the upgrade lost or changed something")


if __name__ == "__main__":
    main()
