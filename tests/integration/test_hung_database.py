"""PostgreSQL that hangs or is slow: every statement and every wait for the server is bounded, so a
request answers 503 instead of waiting; reports and migrations lift the bound for their transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from servicedesk.config import engine_options, postgresql_timeouts
from servicedesk.extensions import db
from servicedesk.persistence.engine import unhurried
from tests.builders import OfficeBuilder
from tests.conftest import FakeClock, _migrate, close_app, make_app, wipe
from tests.faults import PrivatePostgres, private_postgres_or_skip


def bounded(url: str, statement_seconds: str) -> dict:
    options = engine_options(url.replace("postgresql://", "postgresql+psycopg://", 1))
    return options | {"connect_args": postgresql_timeouts({"DATABASE_STATEMENT_TIMEOUT": statement_seconds})}


@pytest.fixture
def quick_app(postgresql_url):
    wipe(postgresql_url)
    app = make_app(postgresql_url, FakeClock(), SQLALCHEMY_ENGINE_OPTIONS=bounded(postgresql_url, "0.3"))
    yield app
    close_app(app, postgresql_url)


def test_a_statement_longer_than_the_bound_is_ended_by_the_server(quick_app):
    with quick_app.app_context():
        with pytest.raises(OperationalError, match="statement timeout"):
            db.session.execute(text("SELECT pg_sleep(1)"))
        db.session.rollback()
        assert db.session.execute(text("SELECT 1")).scalar() == 1


def test_a_report_or_a_migration_may_take_longer_than_a_request(quick_app):
    with quick_app.app_context():
        unhurried(db.session)
        assert db.session.execute(text("SELECT pg_sleep(1)")).all()  # neither bound ends it
        db.session.rollback()
        # The next transaction on the same pooled connection is bounded again.
        db.session.close()
        with pytest.raises(OperationalError):
            db.session.execute(text("SELECT pg_sleep(1)"))


@pytest.fixture
def hung_able_postgres():
    cluster = PrivatePostgres(private_postgres_or_skip())
    try:
        cluster.init()
        _migrate(cluster.url)
        yield cluster
    finally:
        cluster.destroy()


def test_requests_against_a_hung_postgresql_answer_503_and_work_again_once_it_resumes(hung_able_postgres):
    url = hung_able_postgres.url
    app = make_app(url, FakeClock(), SQLALCHEMY_ENGINE_OPTIONS=bounded(url, "1"))
    try:
        office = OfficeBuilder(app)
        client = app.test_client()
        assert client.post("/api/v1/tickets", json={"service_id": office.service("A")}).status_code == 201

        hung_able_postgres.pause()
        try:
            # On a pooled connection (the client's wait bound) and on a new one (connect_timeout).
            for _ in range(2):
                answer = client.post(
                    "/api/v1/tickets",
                    json={"service_id": office.service("A")},
                    headers={"Idempotency-Key": "kiosk-retry-1"},
                )
                assert answer.status_code == 503, answer.json
                assert answer.json["error"]["code"] in ("unavailable", "busy")
        finally:
            hung_able_postgres.resume()

        # The same key after the resume: the ticket (the first attempt may have run once resumed), once.
        again = client.post(
            "/api/v1/tickets", json={"service_id": office.service("A")}, headers={"Idempotency-Key": "kiosk-retry-1"}
        )
        assert again.status_code == 201, again.json
        assert again.json["number"] == "A002"
    finally:
        close_app(app, url)
