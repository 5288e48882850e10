"""`flask backup DEST`: a consistent copy of the database while the office keeps working.

SQLite: the online backup API copies the file page by page under a read transaction, so a
ticket issued during the backup is either wholly in the copy or not at all (copying the file with
`cp` could catch a half-written page). PostgreSQL: `pg_dump` in its custom format, which reads
one snapshot of the database; restore it with `pg_restore` (docs/operations.md).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import URL, make_url


class BackupFailed(Exception):
    pass


def target_path(dest: str | Path, backend: str, now: datetime) -> Path:
    """A folder gets a dated file name; anything else is the file to write."""
    dest = Path(dest)
    if dest.is_dir():
        suffix = "db" if backend == "sqlite" else "dump"
        return dest / f"servicedesk-{now.astimezone(UTC):%Y%m%d-%H%M%S}Z.{suffix}"
    return dest


def backup_sqlite(url: URL, target: Path) -> dict:
    """Copy with sqlite3's backup API, then check the copy opens and is whole."""
    source_path = url.database
    if not source_path or source_path == ":memory:":
        raise BackupFailed("This SQLite database is in memory; there is no file to back up.")
    partial = target.with_name(target.name + ".partial")
    if not Path(source_path).is_file():
        raise BackupFailed(f"There is no database file at {source_path}.")
    source = sqlite3.connect(source_path, timeout=30)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=1024)  # in steps, so writers are not held up for the whole copy
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            tickets = copy.execute("SELECT count(*) FROM tickets").fetchone()[0]
        finally:
            copy.close()
    finally:
        source.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"The copy failed its integrity check: {check}")
    os.replace(partial, target)
    return {"tickets": tickets}


def pg_environment(url: URL) -> dict[str, str]:
    """libpq settings as environment variables, so the password never shows in a process list."""
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value:
            env[key] = value
    return env


def backup_postgresql(url: URL, target: Path, pg_dump: str = "pg_dump") -> dict:
    """pg_dump --format=custom (compressed, restorable table by table), then list it to check it."""
    executable = shutil.which(pg_dump)
    if executable is None:
        raise BackupFailed("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    partial = target.with_name(target.name + ".partial")
    env = pg_environment(url)
    done = subprocess.run(
        [executable, "--format=custom", "--no-owner", "--file", str(partial)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupFailed(f"pg_dump failed: {done.stderr.strip()}")
    restore = shutil.which("pg_restore")
    if restore:
        listed = subprocess.run([restore, "--list", str(partial)], capture_output=True, text=True, check=False)
        if listed.returncode != 0 or "TABLE DATA" not in listed.stdout:
            partial.unlink(missing_ok=True)
            raise BackupFailed(f"The dump could not be read back: {listed.stderr.strip()}")
    os.replace(partial, target)
    return {}


def backup(database_url: str, dest: str | Path, now: datetime) -> Path:
    url = make_url(database_url)
    backend = url.get_backend_name()
    target = target_path(dest, backend, now)
    if not target.parent.is_dir():
        raise BackupFailed(f"The folder {target.parent} does not exist.")
    if backend == "sqlite":
        backup_sqlite(url, target)
    elif backend == "postgresql":
        backup_postgresql(url, target)
    else:
        raise BackupFailed(f"No backup method for {backend} databases.")
    return target


def register(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("dest", type=click.Path(file_okay=True, dir_okay=True, writable=True))
    def backup_command(dest: str) -> None:
        """Back up the database to DEST (a file, or a folder for a dated file); safe while the office runs."""
        now = app.config["CLOCK"]()
        try:
            target = backup(app.config["SQLALCHEMY_DATABASE_URI"], dest, now)
        except BackupFailed as failed:
            raise click.ClickException(str(failed)) from None
        size = target.stat().st_size
        click.echo(f"Backup written to {target} ({size // 1024} KB).")
