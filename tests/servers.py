"""Real server processes for end-to-end tests: gunicorn with gevent (production), or socketio.run."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """One app process on a free port. `kind` is "gunicorn" (gevent worker) or "embedded" (socketio.run)."""

    def __init__(
        self,
        database_url: str,
        *,
        kind: str = "gunicorn",
        env: dict | None = None,
        port: int | None = None,
        python: str = sys.executable,
    ):
        self.python = python  # the benchmarks run a server from the production-only virtualenv
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.kind = kind
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "e2e-secret",
            "BIND": f"127.0.0.1:{self.port}",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            **(env or {}),
        }
        if "REDIS_URL" not in (env or {}):
            self.env.pop("REDIS_URL", None)
        self.process: subprocess.Popen | None = None
        self.log_path = ROOT / "instance" / f"server-{self.port}.log"

    def command(self) -> list[str]:
        if self.kind == "gunicorn":
            return [
                self.python,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "--access-logfile",
                "/dev/null",
            ]
        return [self.python, "-m", "servicedesk"]

    def start(self, timeout: float = 20) -> ServerProcess:
        self.log_path.parent.mkdir(exist_ok=True)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() takes the workers down too
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=0.5).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout}s: {self.log()}")

    def stop(self, kill: bool = False) -> None:
        """Terminate gracefully, or with kill=True cut the power: SIGKILL to the master and its workers."""
        if kill and self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if getattr(self, "_log", None):
            self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
