"""Fixtures that read like the product's vocabulary: an app on each database, a clock, an office, staff.

Every integration test runs on SQLite and on PostgreSQL (TEST_DATABASE_URL). With
SERVICEDESK_REQUIRE_ALL=1 (CI) a missing PostgreSQL, Redis or Chromium fails the run instead of
skipping, so a green CI always means every backend was exercised.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from servicedesk import create_app
from servicedesk.extensions import db

REQUIRE_ALL = os.environ.get("SERVICEDESK_REQUIRE_ALL") == "1"
PG_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL")
# With pytest-xdist (`make test` runs two workers), "gw0", "gw1"…; None in a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
# Server processes started by this run talk over a Redis channel of their own; a worker inherits the
# controller's channel and adds its name, so two workers' servers never hear each other.
os.environ.setdefault("SOCKETIO_CHANNEL", f"servicedesk-test-{os.getpid()}")
if WORKER and not os.environ["SOCKETIO_CHANNEL"].endswith(f"-{WORKER}"):
    os.environ["SOCKETIO_CHANNEL"] += f"-{WORKER}"
# Tests sign with short keys of their own; production refuses those (servicedesk/signing_key.py).
os.environ["SERVICEDESK_ENV"] = "testing"

# Monday 2 November 2026, 09:00 in Jakarta: the office is open.
MONDAY_MORNING = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def need(condition: bool, what: str) -> None:
    """Skip when a backend is missing locally; fail in CI, where everything must run."""
    if not condition:
        if REQUIRE_ALL:
            pytest.fail(f"{what} is required (SERVICEDESK_REQUIRE_ALL=1)")
        pytest.skip(f"{what} not configured")


def need_espeak() -> None:
    """The display's recorded voice needs espeak-ng: skipped with the reason locally, required in CI."""
    need(shutil.which("espeak-ng") is not None, "espeak-ng (apt-get install espeak-ng)")


class FakeClock:
    """The app's clock, moved by the test: `clock.advance(minutes=5)`."""

    def __init__(self, now: datetime = MONDAY_MORNING):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


def _pg_url() -> str:
    url = PG_URL or ""
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "SOCKETIO_ASYNC_MODE": "threading"})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    _migrate(url)
    return url


@contextmanager
def own_postgresql_database(name: str):
    """An empty database `name` on the TEST_DATABASE_URL server, dropped afterwards."""
    need(bool(PG_URL), "PostgreSQL (TEST_DATABASE_URL)")
    server = make_url(_pg_url())
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgresql_url() -> str:
    """A database of this run's own (of this worker's own under xdist) on the TEST_DATABASE_URL server,
    so parallel runs and workers never meet."""
    with own_postgresql_database(f"servicedesk_test_{os.getpid()}{f'_{WORKER}' if WORKER else ''}") as url:
        _migrate(url)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def wipe(url: str) -> None:
    """Empty every table and restart its ids at 1, as a fresh database would have them.

    On PostgreSQL this is DELETE plus setval in one round trip, not TRUNCATE: TRUNCATE gives each of
    the tables a new file and costs ~0.7 s per test against ~0.15 s for deleting the few rows a
    test leaves (docs/benchmarks.md, "Test suite time"). The effect is the same: no rows, ids from 1.
    """
    from servicedesk.persistence.tables import metadata

    engine = create_engine(url, poolclass=NullPool)
    names = [table.name for table in reversed(metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            listed = ", ".join(f"'{name}'" for name in names)
            deletes = "".join(f"DELETE FROM {name};" for name in names)
            # The sequences the tables own (serial and identity columns), back to where they start.
            restart = (
                "SELECT setval(s.seqrelid, s.seqstart, false) FROM pg_sequence s"
                " JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid"
                " AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
                f" JOIN pg_class t ON t.oid = d.refobjid WHERE t.relname IN ({listed})"
                " AND t.relnamespace = current_schema()::regnamespace"
            )
            conn.exec_driver_sql(deletes + restart)
        else:
            for name in names:
                conn.execute(text(f"DELETE FROM {name}"))
    engine.dispose()


def make_app(database_url: str, clock: FakeClock, **overrides):
    """An app on one test database, with the fake clock; rate limits off unless asked for."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test",
            "TESTING": True,
            "CLOCK": clock,
            "SOCKETIO_ASYNC_MODE": "threading",
            "REDIS_URL": None,
            "RATELIMIT_ENABLED": False,
            "PUBLISH_COALESCE_SECONDS": 0,  # events before the request returns; test_live_events covers the window
            **overrides,
        }
    )


def close_app(app, database_url: str) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    wipe(database_url)


@pytest.fixture
def app(database_url, clock):
    app = make_app(database_url, clock)
    yield app
    close_app(app, database_url)


@pytest.fixture
def limited_app(database_url, clock):
    """The app with its rate limits on (in-memory counts, fresh for each test)."""
    app = make_app(database_url, clock, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    yield app
    close_app(app, database_url)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def office(app):
    """The demo education office: services A-E, counters 1-4, officers siti, budi, agus, dewi."""
    from tests.builders import OfficeBuilder

    return OfficeBuilder(app)


@pytest.fixture
def auth(client):
    from tests.builders import Auth

    return Auth(client)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items) -> None:
    """Under pytest-xdist (`--dist loadgroup`), the tests of one browser/server module stay on one
    worker, in their order, with their module's fixtures; every other test goes wherever is free."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    e2e = Path(__file__).resolve().parent / "e2e"
    for item in items:
        if e2e in Path(item.fspath).parents:
            item.add_marker(pytest.mark.xdist_group(f"e2e-{Path(item.fspath).stem}"))
