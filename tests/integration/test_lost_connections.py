"""PostgreSQL drops the app's connection at the worst moments (a restart, a failover): after the commit,
before the request ends. What was committed is answered as committed, never as a 500."""

from __future__ import annotations

import os
import resource
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from servicedesk.extensions import db
from tests.builders import OfficeBuilder
from tests.conftest import FakeClock, close_app, make_app, wipe


def drop_app_connections(database_url: str) -> int:
    """What a PostgreSQL restart does to the app: every session on its database ends, from outside.

    pg_terminate_backend() only signals a backend; this returns once they have all exited, as after
    a restart (a backend still exiting is a race no check at checkout can win)."""
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as conn:
        ended = conn.execute(text(f"SELECT count(pg_terminate_backend(pid)) {others}")).scalar()
        conn.commit()
        for _ in range(100):
            if not conn.execute(text(f"SELECT count(*) {others}")).scalar():
                break
            conn.commit()
            time.sleep(0.02)
    engine.dispose()
    return ended


@pytest.fixture
def pg_app(postgresql_url):
    wipe(postgresql_url)
    app = make_app(postgresql_url, FakeClock())
    yield app
    close_app(app, postgresql_url)


def stored_numbers(database_url: str) -> list[str]:
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as conn:
        numbers = list(conn.execute(text("SELECT number FROM tickets ORDER BY number")).scalars())
    engine.dispose()
    return numbers


def test_a_connection_lost_between_the_commit_and_the_events_still_answers_201_with_the_stored_ticket(
    pg_app, postgresql_url
):
    office = OfficeBuilder(pg_app)
    publish = pg_app.extensions["servicedesk.publish"]

    def lose_the_connection_then_publish(events):
        db.session.execute(text("SELECT 1"))  # the publisher's transaction has its connection...
        assert drop_app_connections(postgresql_url) >= 1  # ...and the database drops it
        publish(events)

    pg_app.extensions["servicedesk.publish"] = lose_the_connection_then_publish
    answer = pg_app.test_client().post("/api/v1/tickets", json={"service_id": office.service("A")})

    assert answer.status_code == 201, answer.json
    assert answer.json["number"] == "A001"
    assert stored_numbers(postgresql_url) == ["A001"]


def test_a_connection_lost_before_the_request_ends_does_not_turn_its_answer_into_an_error(pg_app, postgresql_url):
    office = OfficeBuilder(pg_app)

    @pg_app.teardown_appcontext
    def lose_the_connection(_exc):
        # Registered after Flask-SQLAlchemy's, so it runs first: the session still holds a connection.
        drop_app_connections(postgresql_url)

    client = pg_app.test_client()
    issued = client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    assert issued.status_code == 201
    listed = client.get("/api/v1/services")
    assert listed.status_code == 200
    assert stored_numbers(postgresql_url) == ["A001"]
    # The next request gets a fresh connection by itself (the pool sees the server hung up).
    assert client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json["number"] == "A002"


def test_connections_the_server_closed_while_idle_in_the_pool_are_replaced_before_a_request_uses_them(
    pg_app, postgresql_url
):
    office = OfficeBuilder(pg_app)
    client = pg_app.test_client()
    assert client.post("/api/v1/tickets", json={"service_id": office.service("A")}).status_code == 201
    assert client.get("/api/v1/services").status_code == 200  # the pooled connections are idle now

    assert drop_app_connections(postgresql_url) >= 1  # a restart or failover while nobody asked

    listed = client.get("/api/v1/services")
    assert listed.status_code == 200, listed.json
    issued = client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    assert issued.status_code == 201, issued.json
    assert stored_numbers(postgresql_url) == ["A001", "A002"]


def test_pooled_connections_with_descriptor_numbers_above_1024_are_checked_too(pg_app, postgresql_url):
    """A process holding thousands of phones' sockets gets high descriptor numbers for its database
    connections; select() refuses those, poll() does not."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert hard >= 2048, "the test needs more than 1024 descriptors"
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2048), hard))
    filler = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        office = OfficeBuilder(pg_app)
        client = pg_app.test_client()
        with pg_app.app_context():
            db.engine.dispose()  # the next connection gets a descriptor above the filler's
        assert client.post("/api/v1/tickets", json={"service_id": office.service("A")}).status_code == 201
        with pg_app.app_context():
            pooled = db.engine.raw_connection()
            assert pooled.dbapi_connection.pgconn.socket > 1024
            pooled.close()
        assert drop_app_connections(postgresql_url) >= 1
        assert client.get("/api/v1/services").status_code == 200
    finally:
        for fd in filler:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
