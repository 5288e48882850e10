"""Private Redis and PostgreSQL servers that a fault test may kill, and what it reads back from the database.

The shared servers at 6379 and 5432 belong to everyone's test runs: a test that breaks a backend
starts its own on a free port, breaks that one, and always takes it down again.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import requests
import socketio
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.servers import free_port


def _engine(url: str, **options):
    """An engine that keeps no connection, on psycopg 3 for PostgreSQL as the app uses."""
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=NullPool, **options)


def wait_until(predicate, what: str, timeout: float = 30, interval: float = 0.05) -> None:
    """Poll until `predicate()` holds; fail saying what did not happen."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout}s")
        time.sleep(interval)


class PrivateRedis:
    """A redis-server child process on a free port, without persistence; kill() is a crash."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def binary() -> str | None:
        return shutil.which("redis-server")

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def alive(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [
                self.binary() or "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.alive, f"redis-server answering on port {self.port}", timeout=10)
        return self

    def kill(self) -> None:
        """SIGKILL: what every client sees is a connection reset, then connection refused."""
        self.resume()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        if self.process:
            self.process.wait(10)

    def pause(self) -> None:
        """SIGSTOP: Redis hangs. Connections stay open and the kernel still accepts new ones, but
        nothing is answered until resume()."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def subscribers(self, channel: str) -> int:
        return dict(self.client().pubsub_numsub(channel)).get(channel.encode(), 0)


@dataclass(frozen=True)
class PostgresBinaries:
    bindir: Path

    def __truediv__(self, name: str) -> str:
        return str(self.bindir / name)


def postgres_binaries() -> PostgresBinaries | None:
    """The newest installed server binaries (Debian: /usr/lib/postgresql/N/bin), or whatever is on PATH."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if debian:
        return PostgresBinaries(debian[-1].parent)
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return PostgresBinaries(Path(on_path).parent)
    return None


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own, on a free port and a temporary data directory.

    PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user and every
    command runs through `runuser`. fsync is off because the tests crash the server process, never
    the machine: what PostgreSQL has written to the operating system survives an `immediate` stop.
    """

    def __init__(self, binaries: PostgresBinaries):
        self.bin = binaries
        self.port = free_port()
        self.owner = "postgres" if os.geteuid() == 0 else None
        self.dir = Path(tempfile.mkdtemp(prefix="servicedesk-pg-"))
        self.data = self.dir / "data"
        self.logfile = self.dir / "server.log"
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/servicedesk"

    def _run(self, *command: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", self.owner, "--"] if self.owner else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}{self.log()}")

    def init(self) -> PrivatePostgres:
        self._run(self.bin / "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        admin = _engine(self.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE servicedesk"))
        admin.dispose()
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(self.bin / "pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session cleanly; `immediate` is a crash, recovered from the WAL at the next start."""
        self._run(self.bin / "pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def processes(self) -> list[int]:
        """The postmaster and every process it started (backends, checkpointer, WAL writer...)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]

    def pause(self) -> None:
        """SIGSTOP to the whole server: PostgreSQL hangs (connections stay open, nothing is answered)."""
        self.paused = self.processes()
        for pid in self.paused:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in getattr(self, "paused", []):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self.paused = []

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def destroy(self) -> None:
        self.resume()
        with contextlib.suppress(Exception):
            if self.running():
                self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        return self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""


def private_postgres_or_skip() -> PostgresBinaries:
    """Skips only where the server binaries are not installed; CI installs postgresql-15 and runs as root."""
    binaries = postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed; apt-get install postgresql")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("running as root needs runuser to start PostgreSQL as the postgres user")
    return binaries


# --- what was stored ---


@dataclass(frozen=True)
class StoredTicket:
    id: int
    number: str
    sequence: int
    token: str
    idempotency_key: str | None
    status: str
    issued_events: int


def stored_tickets(database_url: str, service_id: int) -> list[StoredTicket]:
    """Every ticket first issued in a service, with the number of `issued` event rows it has."""
    engine = _engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT t.id, t.number, t.sequence, t.token, t.idempotency_key, t.status,"
                " (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'issued')"
                " FROM tickets t WHERE t.origin_service_id = :service ORDER BY t.sequence"
            ),
            {"service": service_id},
        ).all()
    engine.dispose()
    return [StoredTicket(*row) for row in rows]


def last_sequence(database_url: str, service_id: int) -> int:
    """What the service's daily counter says it handed out (all days of the test are one day)."""
    engine = _engine(database_url)
    with engine.connect() as conn:
        value = conn.execute(
            text("SELECT max(last_value) FROM daily_sequences WHERE service_id = :service"), {"service": service_id}
        ).scalar()
    engine.dispose()
    return value or 0


# --- the people and screens a fault test drives ---


@dataclass(frozen=True)
class Answer:
    """One kiosk request: its Idempotency-Key, and the status and body, or None when no answer came."""

    key: str
    status: int | None
    body: dict | None = None


class Kiosks:
    """Several kiosks taking numbers as fast as they are answered, each request with its own Idempotency-Key."""

    def __init__(self, base_url: str, service_id: int, count: int = 4, timeout: float = 15):
        self.base_url = base_url
        self.service_id = service_id
        self.timeout = timeout
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def start(self) -> Kiosks:
        for thread in self._threads:
            thread.start()
        return self

    def _run(self) -> None:
        with requests.Session() as session:
            while not self._stop.is_set():
                answer = self.take(session)
                with self._lock:
                    self.answers.append(answer)
                if answer.status != 201:
                    time.sleep(0.05)  # the server is away: do not spin

    def take(self, session: requests.Session | None = None, key: str | None = None) -> Answer:
        key = key or uuid.uuid4().hex
        try:
            response = (session or requests).post(
                f"{self.base_url}/api/v1/tickets",
                json={"service_id": self.service_id},
                headers={"Idempotency-Key": key},
                timeout=self.timeout,
            )
        except requests.RequestException:
            return Answer(key, None)
        try:
            body = response.json()
        except ValueError:
            body = {"not_json": response.text[:200]}
        return Answer(key, response.status_code, body)

    def with_status(self, status: int | None) -> list[Answer]:
        with self._lock:
            return [a for a in self.answers if a.status == status]

    def wait_until(self, predicate, timeout: float = 30, what: str = "the kiosks") -> None:
        try:
            wait_until(predicate, what, timeout)
        except AssertionError as failed:
            raise AssertionError(f"{failed}; answers so far by status: {self.statuses()}") from None

    def wait_for_more(self, status: int | None, count: int, what: str, timeout: float = 30) -> None:
        """Until `count` more answers with `status` than there are now have come in."""
        start = len(self.with_status(status))
        self.wait_until(lambda: len(self.with_status(status)) >= start + count, timeout, what)

    def statuses(self) -> dict:
        with self._lock:
            return dict(Counter(a.status for a in self.answers))

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(self.timeout + 5)


class Screen:
    """A Socket.IO client that reconnects by itself, as the display page does, and records what it receives."""

    def __init__(self, url: str, auth: dict | None = None, *, session: requests.Session | None = None):
        """`auth` as a display or a phone sends it, or the `session` of a logged-in officer (its cookie)."""
        self.events: list[tuple[str, dict]] = []
        self.arrived = threading.Condition()
        self.client = socketio.Client(
            reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1, randomization_factor=0
        )
        self.client.on("*", self._record)
        headers = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in session.cookies)} if session else {}
        self.client.connect(url, auth=auth, headers=headers, transports=["websocket"], wait_timeout=10)

    def _record(self, name, data=None):
        with self.arrived:
            self.events.append((name, data))
            self.arrived.notify_all()

    def count(self, name: str) -> int:
        with self.arrived:
            return sum(1 for n, _ in self.events if n == name)

    def wait_for(self, name: str, where=lambda data: True, timeout: float = 15, after: int = 0) -> dict:
        """The first `name` event, among those from position `after` on, for which `where` holds."""

        def match():
            return next((d for n, d in self.events[after:] if n == name and where(d)), None)

        with self.arrived:
            found = self.arrived.wait_for(match, timeout)
        assert found, f"no matching {name} within {timeout}s; got {[n for n, _ in self.events[after:]]}"
        return found

    def mark(self) -> int:
        with self.arrived:
            return len(self.events)

    def close(self) -> None:
        self.client.disconnect()


def queue_of(payload: dict, code: str) -> dict:
    """One service's line in a display snapshot."""
    return next(q for q in payload["queues"] if q["code"] == code)


class Officer:
    """An officer logged in over HTTP at an open counter, calling the next visitor."""

    def __init__(self, base_url: str, username: str, counter_id: int):
        self.base_url = base_url
        self.counter_id = counter_id
        self.session = requests.Session()
        login = self.session.post(
            f"{base_url}/api/v1/auth/login", json={"username": username, "password": "demo12345"}, timeout=15
        )
        assert login.status_code == 200, login.text
        opened = self.session.post(f"{base_url}/api/v1/counters/{counter_id}/open", timeout=15)
        assert opened.status_code == 200, opened.text
        self.current: int | None = None

    def call_next(self, timeout: float = 15) -> requests.Response:
        """The visitor at the counter did not come: mark a no-show, then call the next one."""
        if self.current is not None:
            url = f"{self.base_url}/api/v1/tickets/{self.current}/no-show"
            done = self.session.post(url, json={}, timeout=timeout)
            assert done.status_code == 200, done.text
            self.current = None
        called = self.session.post(f"{self.base_url}/api/v1/counters/{self.counter_id}/call-next", timeout=timeout)
        if called.status_code == 200:
            self.current = called.json()["id"]
        return called


def sessions_left(database_url: str) -> int:
    """Other sessions on this PostgreSQL database still working or in a transaction (an idle pooled
    connection does not count). Always 0 on SQLite, where a dead process leaves nothing running."""
    if not database_url.startswith("postgresql"):
        return 0
    engine = _engine(database_url)
    with engine.connect() as conn:
        count = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
        ).scalar()
    engine.dispose()
    return count
