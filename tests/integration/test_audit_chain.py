"""The audit trail proves itself: every record is chained, ended days of ticket events are sealed
into the chain, and a change made around the application (raw SQL, as a database user would) is
named by `flask audit verify` and the admin page, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Barrier

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from servicedesk.domain.audit_chain import GENESIS, record_hash
from servicedesk.extensions import db
from servicedesk.persistence import tables
from servicedesk.services import audit_chain
from servicedesk.services.audit import record
from servicedesk.web.context import unit_of_work
from tests.conftest import close_app, make_app
from tests.integration.admin_pages import AdminPages
from tests.integration.test_migrations import migrated_app


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def some_records(app, count: int, start: int = 0) -> list[int]:
    ids = []
    with app.app_context():
        for i in range(start, start + count):
            uow = unit_of_work()
            entry = record(uow, user_id=None, action="update", entity="service", entity_id=i, after={"name": f"S{i}"})
            uow.commit()
            ids.append(entry.id)
    return ids


def raw_sql(app, *statements: str, **params) -> None:
    """A database user's own connection: the application's append-only guard is not in the way."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)
    engine.dispose()


def verify(app):
    with app.app_context():
        return audit_chain.verify(db.session)


def test_each_record_links_to_the_previous_one_and_the_chain_verifies(app, clock):
    some_records(app, 3)
    with app.app_context():
        rows = db.session.execute(select(tables.audit_log).order_by(tables.audit_log.c.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS and rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    expected = record_hash(
        seq=1, at=clock.now, user_id=None, action="update", entity="service", entity_id=0,
        before=None, after={"name": "S0"}, prev_hash=GENESIS,
    )  # fmt: skip
    assert rows[0].hash == expected
    result = run(app, "audit", "verify")
    assert result.exit_code == 0 and result.output.startswith("OK: 3 audit record(s) chained")


def test_set_up_changes_through_the_pages_are_chained(app, client, auth, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    pages.post("/admin/holidays", {"day": "2026-12-25", "name": "Hari Raya Natal"})
    verdict = verify(app)
    assert verdict.ok and verdict.chain.records >= 1


@pytest.fixture
def postgresql_app(postgresql_url, clock):
    """SQLite serialises writers; the race to the chain's head is PostgreSQL's."""
    app = make_app(postgresql_url, clock)
    yield app
    close_app(app, postgresql_url)


def test_concurrent_transactions_never_fork_the_chain(postgresql_app):
    app = postgresql_app
    start = Barrier(8)

    def writer(n):
        start.wait()
        return some_records(app, 10, start=n * 10)

    with ThreadPoolExecutor(8) as pool:
        ids = [i for batch in pool.map(writer, range(8)) for i in batch]
    assert len(set(ids)) == 80
    verdict = verify(app)
    assert verdict.ok and verdict.chain.records == 80


# --- tampering, as a database user would ---


def test_an_edited_record_is_named_by_verify(app):
    ids = some_records(app, 5)
    raw_sql(app, """UPDATE audit_log SET "after" = '{"name": "forged"}' WHERE id = :id""", id=ids[2])
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"audit record #{ids[2]} (position 3)" in result.output and "changed" in result.output


def test_a_deleted_record_is_named_at_the_next_one(app):
    ids = some_records(app, 5)
    raw_sql(app, "DELETE FROM audit_log WHERE id = :id", id=ids[1])
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and f"audit record #{ids[2]}" in result.output and "missing" in result.output


def test_records_deleted_at_the_end_are_found(app):
    ids = some_records(app, 5)
    raw_sql(app, "DELETE FROM audit_log WHERE id >= :id", id=ids[3])
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and "the end of the chain" in result.output


def test_reordered_records_are_named(app):
    ids = some_records(app, 5)
    raw_sql(
        app,
        "UPDATE audit_log SET seq = -1 WHERE id = :a",
        "UPDATE audit_log SET seq = 2 WHERE id = :b",
        "UPDATE audit_log SET seq = 3 WHERE id = :a",
        a=ids[1],
        b=ids[2],
    )
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and f"audit record #{ids[2]}" in result.output


def test_a_record_rehashed_by_hand_breaks_the_link_of_the_next(app):
    ids = some_records(app, 4)
    raw_sql(app, "UPDATE audit_log SET hash = :h WHERE id = :id", h="f" * 64, id=ids[1])
    assert verify(app).chain.broken.record_id == ids[1]


def test_the_admin_page_shows_the_same_verdict_to_supervisors(app, client, auth, office):
    ids = some_records(app, 3)
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    assert "Intact" in pages.html("/admin/audit/verify?lang=en")
    raw_sql(app, """UPDATE audit_log SET "after" = '{"name": "forged"}' WHERE id = :id""", id=ids[-1])
    html = pages.html("/admin/audit/verify?lang=en")
    assert f"Broken at audit record #{ids[-1]}" in html


def test_officers_cannot_open_the_verify_page(client, auth, office):
    auth.login("siti")
    assert client.get("/admin/audit/verify").status_code == 403


# --- ticket events: sealed days ---


def issue(client, office, n: int = 2) -> None:
    for _ in range(n):
        assert client.post("/api/v1/tickets", json={"service_id": office.service("A")}).status_code == 201


def test_an_ended_day_is_sealed_into_the_chain_and_an_edited_event_is_found(app, client, office, clock):
    issue(client, office, 3)
    clock.advance(days=1)
    assert run(app, "audit", "seal").output == "Sealed 1 day(s): 2026-11-02.\n"
    assert run(app, "audit", "seal").output == "Sealed 0 day(s).\n"
    with app.app_context():
        day = db.session.execute(select(tables.event_day_roots)).one()
        sealing = db.session.execute(select(tables.audit_log).where(tables.audit_log.c.id == day.audit_id)).one()
    assert day.events == 3 and sealing.action == "seal_day" and sealing.after["root"] == day.root
    result = run(app, "audit", "verify")
    assert result.exit_code == 0 and "1 sealed day(s) with 3 ticket event(s)" in result.output

    raw_sql(app, "UPDATE ticket_events SET note = 'forged' WHERE id = (SELECT min(id) FROM ticket_events)")
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and "ticket events of 2026-11-02" in result.output and "changed" in result.output


def test_a_deleted_event_of_a_sealed_day_is_found(app, client, office, clock):
    issue(client, office, 2)
    clock.advance(days=1)
    run(app, "audit", "seal")
    raw_sql(app, "DELETE FROM ticket_events WHERE id = (SELECT max(id) FROM ticket_events)")
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and "1 event(s) now, 2 when sealed" in result.output


def test_a_root_changed_in_its_table_no_longer_matches_the_chain(app, client, office, clock):
    issue(client, office, 1)
    clock.advance(days=1)
    run(app, "audit", "seal")
    raw_sql(app, "UPDATE event_day_roots SET root = :r", r="0" * 64)
    assert "differs from the one in audit record" in run(app, "audit", "verify").output


def test_close_day_seals_the_days_before_it(app, client, office, clock):
    issue(client, office, 2)
    clock.advance(days=2)
    run(app, "close-day")
    with app.app_context():
        days = [row.day.isoformat() for row in db.session.execute(select(tables.event_day_roots))]
    assert days == ["2026-11-02", "2026-11-03"]
    assert verify(app).ok


# --- the digest outside the database ---


class Receiver:
    """A real HTTP server on a free local port that keeps what is POSTed (or never answers)."""

    def __init__(self, *, answer: bool = True):
        self.bodies: list[dict] = []
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if not answer:
                    receiver.release.wait(10)
                    return
                receiver.bodies.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/digest"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_the_digest_is_written_to_a_file_and_posted_to_the_webhook(app, client, office, clock, tmp_path):
    issue(client, office, 2)
    clock.advance(days=1)
    out = tmp_path / "digest.json"
    with Receiver() as receiver:
        app.config["AUDIT_DIGEST_WEBHOOK_URL"] = receiver.url
        result = run(app, "audit", "digest", "--out", str(out))
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text())
    with app.app_context():
        seq, last_hash = db.session.execute(select(tables.audit_chain_head.c.seq, tables.audit_chain_head.c.hash)).one()
        root = db.session.scalar(select(tables.event_day_roots.c.root))
    assert written["date"] == "2026-11-02" and written["events"] == 2 and written["root"] == root
    assert written["audit_records"] == seq and written["last_hash"] == last_hash
    assert receiver.bodies == [written]


def test_a_webhook_that_does_not_answer_is_given_up_after_the_timeout(app, client, office, clock, tmp_path):
    issue(client, office, 1)
    clock.advance(days=1)
    out = tmp_path / "digest.json"
    with Receiver(answer=False) as receiver:
        app.config.update(AUDIT_DIGEST_WEBHOOK_URL=receiver.url, AUDIT_DIGEST_WEBHOOK_TIMEOUT=0.2)
        result = run(app, "audit", "digest", "--out", str(out))
    assert result.exit_code == 1 and "Digest written, but not sent" in result.output
    assert json.loads(out.read_text())["date"] == "2026-11-02"


def test_a_kept_digest_shows_a_chain_rebuilt_after_it(app, client, office, clock, tmp_path):
    issue(client, office, 2)
    clock.advance(days=1)
    kept = tmp_path / "kept.json"
    run(app, "audit", "digest", "--out", str(kept))
    some_records(app, 2)
    result = run(app, "audit", "verify", "--digest", str(kept))
    assert result.exit_code == 0 and f"{kept}: OK, the chain still holds it." in result.output
    # Someone with the database puts another user on the sealing record (before the kept digest) and
    # rehashes the whole chain after it: it verifies on its own, but no longer holds the kept hash.
    with app.app_context():
        rows = db.session.execute(select(tables.audit_log).order_by(tables.audit_log.c.seq)).all()
    prev = GENESIS
    for row in rows:
        user_id = office.users["admin"] if row.seq == 1 else row.user_id
        digest = record_hash(
            seq=row.seq, at=row.at, user_id=user_id, action=row.action, entity=row.entity,
            entity_id=row.entity_id, before=row.before, after=row.after, prev_hash=prev,
        )  # fmt: skip
        raw_sql(
            app,
            "UPDATE audit_log SET user_id = :user_id, prev_hash = :prev, hash = :hash WHERE id = :id",
            "UPDATE audit_chain_head SET hash = :hash WHERE seq = :seq",
            user_id=user_id, prev=prev, hash=digest, id=row.id, seq=row.seq,
        )  # fmt: skip
        prev = digest
    result = run(app, "audit", "verify", "--digest", str(kept))
    assert result.exit_code == 1 and result.output.startswith("OK:")
    assert "no longer holds the kept hash" in result.output


def test_a_day_that_is_not_sealed_is_refused(app, tmp_path):
    result = run(app, "audit", "digest", "--out", str(tmp_path / "d.json"), "--day", "2026-10-01")
    assert result.exit_code == 1 and "is not sealed" in result.output


# --- the migration hashes the records made before it ---


def test_the_migration_chains_the_records_written_before_it(blank_url):
    app = migrated_app(blank_url, "0005")
    moments = [datetime(2026, 11, 2, 2, minute, tzinfo=UTC) for minute in (0, 5, 9)]
    with app.app_context():
        with db.engine.begin() as conn:
            for i, at in enumerate(moments):
                conn.execute(
                    text('INSERT INTO audit_log (at, action, entity, entity_id, "after") VALUES (:at, :a, :e, :i, :j)'),
                    {"at": at if db.engine.dialect.name == "postgresql" else at.replace(tzinfo=None),
                     "a": "create", "e": "service", "i": i, "j": json.dumps({"code": "ABC"[i]})},
                )  # fmt: skip
        db.engine.dispose()
        upgrade()
        rows = db.session.execute(select(tables.audit_log).order_by(tables.audit_log.c.id)).all()
        verdict = audit_chain.verify(db.session)
        db.session.remove()
        db.engine.dispose()
    assert [r.seq for r in rows] == [1, 2, 3]
    first = record_hash(
        seq=1, at=moments[0], user_id=None, action="create", entity="service", entity_id=0,
        before=None, after={"code": "A"}, prev_hash=GENESIS,
    )  # fmt: skip
    assert rows[0].hash == first and rows[1].prev_hash == first
    assert verdict.ok and verdict.chain.records == 3


def test_a_sealed_day_is_listed_on_the_audit_page_under_ticket_events(app, client, auth, office, clock):
    issue(client, office, 1)
    clock.advance(days=1)
    run(app, "audit", "seal")
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    html = pages.html("/admin/audit?entity=ticket_events&lang=en").split('id="audit-rows"')[1]
    assert "seal_day" in html and "Ticket events" in html
