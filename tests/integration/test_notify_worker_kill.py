"""SIGKILL of the real worker process (`flask notify work`) mid-delivery loses and duplicates nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from servicedesk.domain.notify import Channel, Message, Trigger
from servicedesk.extensions import db
from servicedesk.notify.worker import INTERRUPTED
from servicedesk.persistence import outbox
from tests.notify_fakes import FakeGateway
from tests.servers import ROOT

COUNT = 80


def start_worker(database_url: str, gateway: FakeGateway, dedupes: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        "FLASK_APP": "servicedesk",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test",
        "SERVICEDESK_ENV": "testing",
        "NOTIFY_SMS_URL": gateway.url + "/sms",
        "NOTIFY_SMS_DEDUPES": "1" if dedupes else "",
        "NOTIFY_LEASE_SECONDS": "1",
        "NOTIFY_BASE_DELAY": "0.05",
        "NOTIFY_IDLE_SECONDS": "0.05",
        "NOTIFY_CONCURRENCY": "4",
        "NOTIFY_BATCH": "8",
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "flask", "notify", "work"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stderr=subprocess.DEVNULL)


def rows(app) -> list[dict]:
    with app.app_context():
        found = outbox.recent(db.session, limit=COUNT * 2)
        db.session.commit()
    return found


@pytest.mark.parametrize("dedupes", [True, False], ids=["provider-honours-keys", "provider-without-keys"])
def test_killing_the_worker_mid_delivery_loses_and_duplicates_nothing(app, database_url, dedupes):
    gateway = FakeGateway(dedupes=dedupes, delay=0.03)
    with app.app_context():
        now = datetime.now(UTC)
        batch = [
            Message(Channel.SMS, f"62812{i:07d}", Trigger.CALLED, f"kill:{i}", text=f"pesan {i}") for i in range(COUNT)
        ]
        outbox.add(db.session, batch, now)
        db.session.commit()
    kills = 0
    try:
        for _ in range(3):  # start, let it deliver a little, SIGKILL it mid-batch
            worker = start_worker(database_url, gateway, dedupes)
            seen = len(gateway.arrivals)
            deadline = time.monotonic() + 20
            while len(gateway.arrivals) < seen + random.randint(3, 12) and time.monotonic() < deadline:
                time.sleep(0.005)
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            kills += 1
        worker = start_worker(database_url, gateway, dedupes)  # the last one runs to the end
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if all(r["status"] in ("sent", "dead") for r in rows(app)):
                break
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=15) == 0
    finally:
        gateway.close()

    found = rows(app)
    keys = {f"kill:{i}" for i in range(COUNT)}
    assert kills == 3
    assert any(r["attempts"] > 1 for r in found)  # some messages were taken over from a killed worker
    assert gateway.duplicates == []
    sent = {r["dedupe_key"] for r in found if r["status"] == "sent"}
    dead = {r["dedupe_key"] for r in found if r["status"] == "dead"}
    assert sent | dead == keys and not sent & dead
    assert sent <= set(gateway.delivered)
    if dedupes:
        assert sent == keys == set(gateway.delivered)  # each delivered once, however often it was sent
    else:
        # Never called twice: what a killed worker may or may not have handed over waits for the admin.
        assert len(gateway.keys()) == len(set(gateway.keys()))
        assert {r["last_error"] for r in found if r["status"] == "dead"} <= {INTERRUPTED}
