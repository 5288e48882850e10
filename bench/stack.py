"""What every benchmark stands on: its own databases, server processes, nginx, the machine's
description, and the one place that writes results into docs/benchmarks.md.

The benchmarks reuse the test suite's real-server helpers (tests/servers.py, the nginx of
tests/e2e/test_nginx.py, the demo office builder), so what is measured is what the tests run.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import redis
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from tests.builders import OfficeBuilder, helper_app
from tests.conftest import wipe
from tests.e2e.test_nginx import Nginx
from tests.servers import ROOT, ServerProcess

SETTINGS_KEPT_SECONDS = 2  # the servers' SETTINGS_CACHE_SECONDS (the default)
PG_SERVER = os.environ.get("BENCH_POSTGRESQL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/0")
RESULTS = ROOT / "docs" / "benchmarks.md"
PACKAGES = (
    "Flask",
    "gunicorn",
    "gevent",
    "Flask-SocketIO",
    "python-socketio",
    "python-engineio",
    "simple-websocket",
    "SQLAlchemy",
    "psycopg",
    "redis",
    "aiohttp",
)


def raise_open_files_limit() -> int:
    """Thousands of sockets need thousands of descriptors; server processes inherit the raised limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    from servicedesk.extensions import db

    app = helper_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


@contextlib.contextmanager
def postgresql_database(name: str) -> Iterator[str]:
    """A database of the benchmark's own (created, migrated, and dropped at the end)."""
    server = make_url(PG_SERVER.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        _migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="servicedesk-bench-") as folder:
        url = f"sqlite:///{folder}/bench.db"
        _migrate(url)
        yield url


def seed_office(url: str) -> OfficeBuilder:
    """An empty database with the demo office, open around the clock. Requests still in flight from a
    load run that just ended may hold locks the TRUNCATE needs (a deadlock PostgreSQL resolves by
    failing one side), so it settles first and tries again, and the servers' kept settings expire
    before it returns."""
    for attempt in range(5):
        time.sleep(0.5 + attempt)
        try:
            wipe(url)
            break
        except OperationalError:
            if attempt == 4:
                raise
    office = OfficeBuilder(helper_app(url))
    # A request still in flight during the wipe may have found no service and the server keeps that
    # answer for SETTINGS_CACHE_SECONDS (2 s): a run started at once would be refused (404) for it.
    time.sleep(SETTINGS_KEPT_SECONDS + 0.5)
    return office


PRODUCTION_VENV = ROOT / ".venv-production"


def production_python() -> str:
    """A virtualenv with requirements.txt only, as a server is installed: what a process imports (and
    so its memory) must not include the test and benchmark tools (aiohttp alone is 8.5 MiB)."""
    python = PRODUCTION_VENV / "bin" / "python"
    stamp = PRODUCTION_VENV / ".installed"
    requirements = ROOT / "requirements.txt"
    if not stamp.exists() or stamp.stat().st_mtime < requirements.stat().st_mtime:
        subprocess.run([sys.executable, "-m", "venv", str(PRODUCTION_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(requirements)], check=True)
        stamp.touch()
    return str(python)


def redis_channel(name: str) -> str:
    """A Socket.IO channel of the benchmark's own, so a test run on the same Redis never hears it."""
    return f"servicedesk-bench-{name}-{os.getpid()}"


def server_env(channel: str | None) -> dict:
    env = {"RATELIMIT_ENABLED": "0", "SERVED_BY_HEADER": "1", "TRUSTED_PROXIES": "1"}
    if channel:
        env |= {"REDIS_URL": REDIS_URL, "SOCKETIO_CHANNEL": channel}
    return env


class BareServer(ServerProcess):
    """The same gunicorn + gevent set-up serving bench/bare_app.py instead of the product."""

    def command(self) -> list[str]:
        return [*super().command(), "bench.bare_app:app"]


class WideNginx(Nginx):
    """The deploy/ nginx in front of any number of processes, with enough workers and connections
    for tens of thousands of websockets: each proxied socket holds two descriptors, and a process
    here may not open more than the hard limit (20,000), so the sockets are spread over `workers`
    processes (listen ... reuseport lets the kernel share the new connections out evenly)."""

    def __init__(self, workdir: Path, app_ports: list[int], workers: int = 4, connections: int = 16_000):
        super().__init__(workdir, [0, 0])
        site = (workdir / "servicedesk.conf").read_text()
        (workdir / "servicedesk.conf").write_text(
            site.replace(f"listen 127.0.0.1:{self.port};", f"listen 127.0.0.1:{self.port} reuseport backlog=4096;")
        )
        upstreams = (ROOT / "deploy" / "nginx" / "upstreams.conf").read_text()
        servers = "\n".join(f"    server 127.0.0.1:{port};" for port in app_ports)
        upstreams = upstreams.replace("    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;", servers)
        assert upstreams.count(servers) == 2, "deploy/nginx/upstreams.conf changed its server lines"
        (workdir / "upstreams.conf").write_text(upstreams)
        main = (workdir / "nginx.conf").read_text()
        limit = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        main = main.replace("worker_processes 1;", f"worker_processes {workers};\nworker_rlimit_nofile {limit};")
        main = main.replace("worker_connections 1024;", f"worker_connections {connections};")
        (workdir / "nginx.conf").write_text(main)


def worker_pid(server: ServerProcess) -> int:
    """gunicorn runs the app in a child of the process we started: the one gevent worker."""
    assert server.process is not None
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert len(children) == 1, f"expected one gunicorn worker, found {children}"
    return int(children[0])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used: a cost per request that a busy machine does not distort."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- waiting for a quiet machine ---


def busy_processes() -> list[str]:
    """Other people's test runs and servers on this machine (ours are not started yet). A gunicorn left
    running idle (a developer's `make run`) is not a test run: it counts only while it uses the CPU."""
    found = subprocess.run(["pgrep", "-af", "pytest|chromium|gunicorn"], capture_output=True, text=True).stdout
    busy = []
    for line in found.splitlines():
        pid = int(line.split()[0])
        if pid == os.getpid():
            continue
        if "gunicorn" in line and "pytest" not in line:
            with contextlib.suppress(OSError):
                before = cpu_seconds(pid)
                time.sleep(0.2)
                if cpu_seconds(pid) - before < 0.01:
                    continue
        busy.append(line)
    return busy


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def wait_until_quiet(minutes: float, threshold: float = 0.7) -> str:
    """Polls every minute until the 1-minute load is low and no other test run is going; says how it went."""
    deadline = time.monotonic() + minutes * 60
    while True:
        load, busy = float(load_average().split()[0]), busy_processes()
        if load < threshold and not busy:
            return f"quiet (load {load_average()})"
        if time.monotonic() >= deadline:
            others = f"{len(busy)} other test/server processes"
            return f"NOT quiet after {minutes:g} min of waiting: load {load_average()}, {others}"
        print(f"waiting for a quiet machine: load {load}, {len(busy)} busy processes", file=sys.stderr, flush=True)
        time.sleep(60)


# --- the machine and the results file ---


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except OSError:
        return "not installed"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "?"


def machine() -> list[str]:
    """The facts a reader needs to compare a result with their own machine."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    memory = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    try:
        engine = create_engine(PG_SERVER.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=NullPool)
        with engine.connect() as conn:
            postgres = conn.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    except Exception as exc:  # the description says what is missing rather than failing the run
        postgres = f"unavailable ({exc.__class__.__name__})"
    try:
        client = redis.Redis.from_url(REDIS_URL)
        redis_version = client.info("server")["redis_version"]
        client.close()
    except redis.RedisError as exc:
        redis_version = f"unavailable ({exc.__class__.__name__})"
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in PACKAGES)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return [
        f"- CPU: {os.cpu_count()} × {model.group(1) if model else platform.processor()} (`nproc` = {os.cpu_count()})",
        f"- Memory: {int(memory.group(1)) // 1024} MiB" if memory else "- Memory: ?",
        f"- OS: Linux {platform.release()}, Python {platform.python_version()}",
        f"- PostgreSQL {postgres}, Redis {redis_version}, {_first_line(['nginx', '-v'])}, {_first_line(['wrk', '-v'])}",
        f"- Python packages: {versions}",
        f"- Code: commit {commit.stdout.strip()} (plus any uncommitted work in the tree at the time)",
    ]


def command_line() -> str:
    return ".venv/bin/python -m " + " ".join(
        [sys.modules["__main__"].__spec__.name, *(shlex.quote(arg) for arg in sys.argv[1:])]
    )


def report_header(quiet: str, started_load: str) -> list[str]:
    return [
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} with:",
        "",
        "```sh",
        command_line(),
        "```",
        "",
        *machine(),
        f"- Load average (1, 5, 15 min) at the start: {started_load}; before it: {quiet}; at the end: {load_average()}",
        "",
    ]


def write_section(key: str, lines: list[str]) -> None:
    """Replace this benchmark's block in docs/benchmarks.md; every other part of the file stays as it is."""
    start, end = f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"
    block = "\n".join([start, *lines, end])
    document = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
    if start in document and end in document:
        before, rest = document.split(start, 1)
        document = before + block + rest.split(end, 1)[1]
    else:
        document = document.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(document)


def table(header: list[str], rows: list[list]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
        *("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows),
    ]


LAG_PROBE_SECONDS = 0.05


async def loop_lag(late_ms: list[float]) -> None:
    """Appends how late this script's own event loop wakes from a short sleep, until cancelled. A busy
    loop (hundreds of clients' messages at once) wakes a sleeper late, and every delay the script
    times meanwhile looks that much longer than the servers made it."""
    while True:
        asked = time.perf_counter()
        await asyncio.sleep(LAG_PROBE_SECONDS)
        late_ms.append((time.perf_counter() - asked - LAG_PROBE_SECONDS) * 1000)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the value below which p% of the samples fall (p99 of 100 is the 99th)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


__all__ = [
    "BareServer",
    "Nginx",
    "WideNginx",
    "ServerProcess",
    "ROOT",
    "postgresql_database",
    "sqlite_database",
    "seed_office",
]
