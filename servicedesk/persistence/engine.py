"""Per-backend connection settings that SQLAlchemy's URL cannot express, and ending sessions whose
connection the database dropped."""

from __future__ import annotations

import logging
import select
from functools import cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import scoped_session

log = logging.getLogger(__name__)


def configure_engine(engine: Engine) -> None:
    if engine.dialect.driver == "psycopg":
        event.listen(engine, "checkout", _drop_if_server_hung_up)
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # Let SQLAlchemy issue BEGIN itself (below) instead of pysqlite's implicit deferred BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection):
        # SQLite has no SELECT ... FOR UPDATE: taking the write lock at BEGIN serializes
        # writers (two "call next" never read the same head), and a deferred transaction that
        # later upgrades would fail with SQLITE_BUSY instead of waiting.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def server_hung_up(dbapi_connection) -> bool:
    """Whether PostgreSQL ended this idle connection (a restart, a failover, pg_terminate_backend).

    An idle connection has nothing to read: a backend that is ended sends its reason and closes the
    socket, so anything readable there means the session is over (at worst an unexpected notice, and
    the price is one new connection). Polling the socket costs a system call; SQLAlchemy's
    pool_pre_ping asks the same with a SELECT 1 round trip per checkout, about a fifteenth of the
    CPU a ticket takes.
    """
    import psycopg  # only PostgreSQL processes load it

    pgconn = dbapi_connection.pgconn
    if pgconn.status != psycopg.pq.ConnStatus.OK:
        return True
    poller = _os_poll()()  # poll(): no limit on descriptor numbers (a busy process has thousands)
    poller.register(pgconn.socket, select.POLLIN)
    return bool(poller.poll(0))


@cache
def _os_poll():
    """select.poll as the OS has it, also under gevent's patching: a zero-timeout poll of one socket
    needs no turn of the event loop."""
    try:
        from gevent import monkey
    except ImportError:
        return select.poll
    return monkey.get_original("select", "poll")


def _drop_if_server_hung_up(dbapi_connection, _record, _proxy) -> None:
    # The pool answers DisconnectionError by replacing this connection with a fresh one.
    if server_hung_up(dbapi_connection):
        log.info("database connection closed by the server while idle; reconnecting")
        raise DisconnectionError("the server closed this pooled connection")


def remove_session(session: scoped_session) -> None:
    """End an app context's session, even when the database dropped its connection meanwhile.

    A PostgreSQL restart between a request's last query and the end of the request leaves a
    transaction that cannot even roll back. Its connection is invalidated instead, so the answer
    already made (often a committed ticket) stands rather than becoming a 500, and the pool
    (`server_hung_up` at checkout) opens a fresh connection for the next request.
    """
    try:
        session.remove()
    except DBAPIError as error:
        log.warning("database connection lost at the end of a request: %s", error.orig)
        session.registry().invalidate()
        session.remove()
