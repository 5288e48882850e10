"""Fixtures the integration modules share: an empty database of a test's own, on SQLite and PostgreSQL."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from tests.conftest import own_postgresql_database


@pytest.fixture(scope="session")
def blank_postgresql_database():
    """A PostgreSQL database of this worker's own (the session's test databases are migrated already).
    Created once: dropping a database makes the server checkpoint, which costs seconds on a busy one."""
    with own_postgresql_database(f"servicedesk_migrations_{os.getpid()}") as url:
        yield url


def emptied(url: str) -> str:
    """The database as CREATE DATABASE leaves it: everything a migration made goes with the schema."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_url(request, tmp_path):
    """An empty database of this test's own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'blank.db'}"
    return emptied(request.getfixturevalue("blank_postgresql_database"))
