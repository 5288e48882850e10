"""The public service mall set-up: nginx (with deploy/nginx/ as written) in front of two app
processes sharing PostgreSQL and Redis."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import REDIS_URL, need
from tests.e2e.test_processes import Listener, seeded
from tests.servers import ROOT, ServerProcess, free_port

pytestmark = pytest.mark.slow
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Nginx:
    """nginx in the foreground on a free port, using the deploy/ files with only ports substituted."""

    def __init__(self, workdir: Path, app_ports: list[int]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        site = (ROOT / "deploy" / "nginx" / "servicedesk.conf").read_text()
        assert "listen 80;" in site
        (workdir / "servicedesk.conf").write_text(site.replace("listen 80;", f"listen 127.0.0.1:{self.port};"))
        upstreams = (ROOT / "deploy" / "nginx" / "upstreams.conf").read_text()
        for default, port in zip(("127.0.0.1:8001", "127.0.0.1:8002"), app_ports, strict=True):
            upstreams = upstreams.replace(default, f"127.0.0.1:{port}")
        (workdir / "upstreams.conf").write_text(upstreams)
        temp = "\n".join(
            f"    {kind}_temp_path {workdir}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (workdir / "nginx.conf").write_text(f"""
user root;
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
{temp}
    include {workdir}/upstreams.conf;
    include {workdir}/servicedesk.conf;
}}
""")
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Nginx:
        self.process = subprocess.Popen(
            [NGINX, "-c", str(self.workdir / "nginx.conf"), "-p", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=0.5).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError((self.workdir / "error.log").read_text())

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def test_through_nginx_two_processes_issue_gap_free_numbers_and_a_display_hears_calls_from_both(
    postgresql_url, tmp_path
):
    need(bool(REDIS_URL), "Redis (REDIS_URL)")
    need(Path(NGINX).exists(), "nginx (apt-get install nginx)")
    office = seeded(postgresql_url)
    env = {"REDIS_URL": REDIS_URL, "SERVED_BY_HEADER": "1", "TRUSTED_PROXIES": "1", "RATELIMIT_ENABLED": "0"}
    with (
        ServerProcess(postgresql_url, env=env) as first,
        ServerProcess(postgresql_url, env=env) as second,
        Nginx(tmp_path, [first.port, second.port]) as nginx,
    ):
        kiosk = requests.Session()
        issued = [
            kiosk.post(f"{nginx.url}/api/v1/tickets", json={"service_id": office.service("A")}) for _ in range(20)
        ]
        assert {r.status_code for r in issued} == {201}
        assert sorted(r.json()["number"] for r in issued) == [f"A{i:03d}" for i in range(1, 21)]
        assert len({r.headers["X-Served-By"] for r in issued}) == 2  # both processes issued

        display = Listener(nginx.url, {"area": ""})
        try:
            display.wait_for("snapshot")
            officer = requests.Session()
            login = officer.post(f"{nginx.url}/api/v1/auth/login", json={"username": "siti", "password": "demo12345"})
            assert login.status_code == 200
            assert officer.post(f"{nginx.url}/api/v1/counters/{office.counter(1)}/open").status_code == 200
            served_by, numbers = set(), []
            for _ in range(6):
                called = officer.post(f"{nginx.url}/api/v1/counters/{office.counter(1)}/call-next")
                assert called.status_code == 200, called.text
                served_by.add(called.headers["X-Served-By"])
                numbers.append(called.json()["number"])
                assert officer.post(f"{nginx.url}/api/v1/tickets/{called.json()['id']}/no-show").status_code == 200
                # A third request per round, so round-robin puts the next call on the other process.
                assert officer.get(f"{nginx.url}/api/v1/queue").status_code == 200
            assert len(served_by) == 2  # calls were made on both processes
            for number in numbers:
                display.wait_for("ticket.called", where=lambda call, n=number: call["number"] == n)
        finally:
            display.close()
