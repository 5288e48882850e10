"""Per-backend connection settings that SQLAlchemy's URL cannot express, and ending sessions whose
connection the database dropped."""

from __future__ import annotations

import logging
import select
from functools import cache

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, scoped_session

log = logging.getLogger(__name__)


def configure_engine(engine: Engine) -> None:
    if engine.dialect.driver == "psycopg":
        event.listen(engine, "checkout", _drop_if_server_hung_up)
        event.listen(engine, "do_connect", _connect_with_bounded_waits)
        event.listen(engine, "checkin", _restore_wait_bound)
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


# --- a PostgreSQL that hangs ---
#
# A stopped or unreachable server answers nothing: TCP keepalives and the server's statement_timeout
# never fire (the kernel still acknowledges), so a query would wait for ever. Each connection
# therefore bounds every wait for an answer on the client side (`wait_timeout`, a little more than
# the statement_timeout: a server that is merely slow ends the statement itself), and gives up the
# connection when it expires, so the request answers 503 and the pool opens a fresh one.


def bounded_connection_class():
    """psycopg's Connection whose waits for the server end after `wait_timeout` seconds."""
    import psycopg  # only PostgreSQL processes load it

    class BoundedConnection(psycopg.Connection):
        wait_timeout: float | None = None
        default_wait_timeout: float | None = None

        def wait(self, gen, interval=None, timeout=None):
            if timeout is not None or not self.wait_timeout:
                return super().wait(gen, *(() if interval is None else (interval,)), timeout=timeout)
            try:
                return super().wait(gen, *(() if interval is None else (interval,)), timeout=self.wait_timeout)
            except psycopg.errors._WaitTimeout:
                # The server did not answer: what it did with the statement is unknown, so this
                # connection is given up (SQLAlchemy sees it closed and invalidates it).
                log.warning("the database did not answer within %s s; closing the connection", self.wait_timeout)
                self.pgconn.finish()
                raise psycopg.OperationalError(f"the database did not answer within {self.wait_timeout} s") from None

    return BoundedConnection


_bounded_connection_class = cache(bounded_connection_class)


def _connect_with_bounded_waits(_dialect, _record, cargs, cparams):
    wait_timeout = cparams.pop("wait_timeout", None)
    connection = _bounded_connection_class().connect(*cargs, **cparams)
    connection.wait_timeout = connection.default_wait_timeout = wait_timeout
    return connection


def _restore_wait_bound(dbapi_connection, _record) -> None:
    if dbapi_connection is not None and hasattr(dbapi_connection, "default_wait_timeout"):
        dbapi_connection.wait_timeout = dbapi_connection.default_wait_timeout


def unhurried(bind: Session | scoped_session | Connection) -> None:
    """Lift the per-statement bounds for the rest of this transaction: a year's report or a
    migration may take longer than a request's statement. PostgreSQL only; SET LOCAL ends with the
    transaction, the client-side bound when the connection goes back to the pool."""
    connection = bind if isinstance(bind, Connection) else bind.connection()
    if connection.dialect.name != "postgresql":
        return
    connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    connection.exec_driver_sql("SET LOCAL lock_timeout = 0")
    dbapi_connection = connection.connection.dbapi_connection
    if hasattr(dbapi_connection, "wait_timeout"):
        dbapi_connection.wait_timeout = None


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


def ping(session: Session) -> None:
    """One round trip to the database; raises what the driver raises when it cannot answer."""
    session.execute(text("SELECT 1"))
