"""The migrations build the schema persistence/tables.py describes, and 0004 fills the waiting and
service times of the tickets recorded before it, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from servicedesk import create_app
from servicedesk.extensions import db
from servicedesk.persistence import tables

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def migrated_app(url: str, revision: str = "head"):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "SOCKETIO_ASYNC_MODE": "threading"})
    with app.app_context():
        upgrade(revision=revision)
        db.engine.dispose()
    return app


def schema_differences(app) -> list:
    with app.app_context(), db.engine.connect() as conn:
        found = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), tables.metadata)
    with app.app_context():
        db.engine.dispose()
    return found


def test_every_migration_goes_back_down_to_an_empty_database_and_up_again_to_the_same_schema(blank_url):
    """An office that must roll a release back runs `flask db downgrade`: each step's downgrade works."""
    app = migrated_app(blank_url)
    with app.app_context():
        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(inspect(conn).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
        upgrade()
        db.engine.dispose()
    assert left == set()
    assert schema_differences(app) == []


def test_the_migrations_build_the_schema_tables_py_describes(blank_url):
    app = migrated_app(blank_url)
    with app.app_context(), db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), tables.metadata)
        # Autogenerate compares neither INCLUDE columns nor partial-index conditions: compare them here.
        dialect = conn.dialect.name
        built = {
            index["name"]: index.get("dialect_options", {})
            for table in tables.metadata.sorted_tables
            for index in inspect(conn).get_indexes(table.name)
        }
        wanted = {
            index.name: index.dialect_options[dialect]
            for table in tables.metadata.sorted_tables
            for index in table.indexes
        }
    with app.app_context():
        db.engine.dispose()
    assert differences == []
    for name, options in wanted.items():
        assert (options["where"] is not None) == (built[name].get(f"{dialect}_where") is not None), name
        if dialect == "postgresql":
            assert list(options["include"] or []) == list(built[name].get("postgresql_include", [])), name
    assert wanted["ix_ticket_events_transfers"]["where"] is not None


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


# Tickets as revision 0003 kept them: (name, service, started, finished, events as (kind, minute, service)).
BEFORE_0004 = [
    ("waiting", 1, None, None, [("issued", 0, 1)]),
    (
        "requeued",  # first called at 10, again at 25 after a no-show: waited 10 min; served 26 -> 30
        1,
        26,
        30,
        [
            ("issued", 0, 1),
            ("called", 10, 1),
            ("no_show", 12, 1),
            ("requeued", 20, 1),
            ("called", 25, 1),
            ("serving", 26, 1),
            ("done", 30, 1),
        ],
    ),
    (
        "held",  # served 6 -> 8 and 20 -> 25, on hold in between: 7 min
        1,
        6,
        25,
        [
            ("issued", 0, 1),
            ("called", 5, 1),
            ("serving", 6, 1),
            ("held", 8, 1),
            ("resumed", 20, 1),
            ("done", 25, 1),
        ],
    ),
    (
        "transferred",  # waited 1 min; 2 min in service 1 count there, not here; 11 -> 19 in service 2
        2,
        11,
        19,
        [
            ("issued", 0, 1),
            ("called", 1, 1),
            ("serving", 2, 1),
            ("transferred", 4, 1),
            ("called", 10, 2),
            ("serving", 11, 2),
            ("done", 19, 2),
        ],
    ),
]


def test_migration_0004_fills_the_waits_and_service_times_of_earlier_tickets(blank_url):
    app = migrated_app(blank_url, "0003")
    with app.app_context():
        engine = db.engine
        with engine.begin() as conn:
            for code in "AB":
                conn.execute(
                    tables.services.insert().values(
                        code=code, name=code, name_en=code, requirements=[], procedure=[], standard_minutes=15
                    )
                )
            services = dict(conn.execute(select(tables.services.c.code, tables.services.c.id)).all())
            service = {1: services["A"], 2: services["B"]}
            for sequence, (name, in_service, started, finished, events) in enumerate(BEFORE_0004, start=1):
                calls = [minute for kind, minute, _ in events if kind == "called"]
                ticket_id = conn.execute(
                    tables.tickets.insert()
                    .values(
                        origin_service_id=service[1],
                        service_id=service[in_service],
                        number=f"A{sequence:03d}",
                        sequence=sequence,
                        service_day=date(2026, 11, 2),
                        token=name,
                        status="done" if finished is not None else "waiting",
                        issued_at=T0,
                        queued_at=T0,
                        called_at=minutes(calls[-1]) if calls else None,
                        started_at=minutes(started) if started is not None else None,
                        finished_at=minutes(finished) if finished is not None else None,
                    )
                    .returning(tables.tickets.c.id)
                ).scalar_one()
                for kind, minute, event_service in events:
                    conn.execute(
                        tables.ticket_events.insert().values(
                            ticket_id=ticket_id, kind=kind, at=minutes(minute), service_id=service[event_service]
                        )
                    )
        engine.dispose()
        upgrade()
        with engine.connect() as conn:
            stored = {
                token: (wait, served)
                for token, wait, served in conn.execute(
                    select(tables.tickets.c.token, tables.tickets.c.wait_seconds, tables.tickets.c.service_seconds)
                )
            }
        engine.dispose()
    assert stored == {
        "waiting": (None, None),
        "requeued": (10 * 60, 4 * 60),
        "held": (5 * 60, 7 * 60),
        "transferred": (1 * 60, 8 * 60),
    }


def test_migration_0015_makes_a_single_office_one_agency_named_after_it_nothing_lost(blank_url):
    app = migrated_app(blank_url, "0019")
    with app.app_context():
        engine = db.engine
        with engine.begin() as conn:
            # The tables as 0019 left them, but for agency_id (no default: not written here).
            conn.execute(tables.office.insert().values(name="Dinas Kependudukan Kota", opening_hours={}))
            for code, name in (("A", "KTP"), ("B", "KK")):
                conn.execute(
                    tables.services.insert().values(
                        code=code, name=name, name_en=name, requirements=[], procedure=[], standard_minutes=15
                    )
                )
            conn.execute(tables.counters.insert().values(number=1, name="Loket 1", status="closed"))
            for username, role in (("admin", "admin"), ("siti", "officer"), ("budi", "supervisor")):
                conn.execute(
                    tables.users.insert().values(username=username, full_name=username, role=role, password_hash="x")
                )
            conn.execute(
                tables.devices.insert().values(
                    kind="kiosk", name="Kiosk 1", token_hash="h", service_ids=[], settings={}
                )
            )
            conn.execute(tables.holidays.insert().values(day=date(2026, 8, 17), name="Hari Kemerdekaan"))
        engine.dispose()
        upgrade()
        with engine.connect() as conn:
            agencies = conn.execute(select(tables.agencies.c.id, tables.agencies.c.code, tables.agencies.c.name)).all()
            scoped = {
                table: sorted(conn.execute(select(tables.metadata.tables[table].c.agency_id)).scalars(), key=str)
                for table in ("services", "counters", "devices", "holidays")
            }
            staff = dict(conn.execute(select(tables.users.c.username, tables.users.c.agency_id)).all())
            kept = conn.execute(select(tables.services.c.code).order_by(tables.services.c.code)).scalars().all()
        engine.dispose()
    assert [(code, name) for _, code, name in agencies] == [("DKK", "Dinas Kependudukan Kota")]
    agency_id = agencies[0][0]
    assert scoped == {
        "services": [agency_id] * 2,
        "counters": [agency_id],
        "devices": [agency_id],
        "holidays": [agency_id],
    }
    assert staff == {"admin": None, "siti": agency_id, "budi": None}  # admins and supervisors stay the site's
    assert kept == ["A", "B"]


def test_migration_0015_leaves_a_new_install_without_an_agency(blank_url):
    app = migrated_app(blank_url)
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(select(tables.agencies.c.id)).all() == []
    with app.app_context():
        db.engine.dispose()


def test_migration_0016_stores_booking_phones_like_notification_contacts_and_drops_their_old_locks(blank_url):
    app = migrated_app(blank_url, "0015")
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    with app.app_context():
        engine = db.engine
        with engine.begin() as conn:
            service_id = conn.execute(
                tables.services.insert()
                .values(code="A", name="KTP", name_en="ID card", requirements=[], procedure=[], standard_minutes=15)
                .returning(tables.services.c.id)
            ).scalar_one()
            for n, phone in enumerate(("+6281234567890", None, "6285711112222")):
                conn.execute(
                    tables.bookings.insert().values(
                        service_id=service_id,
                        day=date(2026, 12, 2),
                        slot_start=now + timedelta(days=1),
                        code=f"BK{n}",
                        token=f"t{n}",
                        name="Sari",
                        phone=phone,
                        status="booked",
                        source="online",
                        rescheduled=0,
                        created_at=now,
                    )
                )
            for kind in ("phone", "nik"):
                conn.execute(
                    tables.booking_holders.insert().values(
                        service_id=service_id, kind=kind, key_hash="h" * 64, touched_on=date(2026, 12, 1)
                    )
                )
        engine.dispose()
        upgrade()
        with engine.connect() as conn:
            phones = conn.execute(select(tables.bookings.c.phone).order_by(tables.bookings.c.code)).scalars().all()
            locks = conn.execute(select(tables.booking_holders.c.kind)).scalars().all()
        engine.dispose()
    assert phones == ["6281234567890", None, "6285711112222"]
    assert locks == ["nik"]
