"""`flask backup DEST`: a consistent copy that can be restored, on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from servicedesk.ops.backup import pg_environment
from tests.conftest import need


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def backend(app) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()


def test_a_backup_into_a_folder_gets_a_dated_file_that_holds_the_office(app, client, office, tmp_path):
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    result = run(app, "backup", str(tmp_path))
    assert result.exit_code == 0, result.output
    [written] = list(tmp_path.iterdir())
    assert written.name.startswith("servicedesk-20261102-020000Z")
    assert "Backup written to" in result.output and str(written) in result.output
    assert not list(tmp_path.glob("*.partial"))
    if backend(app) == "sqlite":
        assert written.suffix == ".db"
        copy = sqlite3.connect(written)
        try:
            assert copy.execute("SELECT count(*) FROM services").fetchone()[0] == 5
            assert copy.execute("SELECT number FROM tickets").fetchall() == [("A001",)]
            assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        finally:
            copy.close()
    else:
        assert written.suffix == ".dump"
        listed = subprocess.run(["pg_restore", "--list", str(written)], capture_output=True, text=True, check=True)
        assert "TABLE DATA public tickets" in listed.stdout


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # an SQLite copy is the database itself
def test_a_postgresql_backup_restores_into_an_empty_database(app, client, office, tmp_path):
    need(shutil.which("pg_restore") is not None, "pg_restore (postgresql-client)")
    client.post("/api/v1/tickets", json={"service_id": office.service("B")})
    target = tmp_path / "office.dump"
    assert run(app, "backup", str(target)).exit_code == 0
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    restored = url.set(database=f"{url.database}_restore")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{restored.database}"'))
        conn.execute(text(f'CREATE DATABASE "{restored.database}"'))
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--dbname", restored.database, str(target)],
            env=pg_environment(restored),
            check=True,
            capture_output=True,
        )
        engine = create_engine(restored, poolclass=NullPool)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM services")).scalar() == 5
            assert conn.execute(text("SELECT number FROM tickets")).scalars().all() == ["B001"]
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{restored.database}" WITH (FORCE)'))
        admin.dispose()


def test_a_backup_into_a_missing_folder_fails_with_a_message(app, office, tmp_path):
    result = run(app, "backup", str(tmp_path / "nowhere" / "copy.db"))
    assert result.exit_code != 0 and "does not exist" in result.output
