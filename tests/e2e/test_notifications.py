"""A visitor opts into Web Push and WhatsApp on the phone page, closes it, and still hears "3 more"
and "called to counter 2": a real server, the real worker process, Chromium, local fake channels.

Chromium has no push service offline, so the page's PushManager.subscribe() is answered by the test
with a subscription at its own push endpoint, whose keys it holds: the worker's encrypted, VAPID-signed
request is then decrypted here, as a browser's push service would hand it to the phone.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time

import http_ece
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from servicedesk.extensions import db
from servicedesk.persistence.notify_tables import contacts
from tests.notify_fakes import FakeGateway
from tests.servers import ROOT


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def start_worker(database_url: str, whatsapp: FakeGateway) -> subprocess.Popen:
    env = {
        **os.environ,
        "FLASK_APP": "servicedesk",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "e2e-secret",
        "NOTIFY_WHATSAPP_URL": whatsapp.url + "/v21.0",
        "NOTIFY_WHATSAPP_PHONE_ID": "1234",
        "NOTIFY_WHATSAPP_TOKEN": "wa-token",
        "NOTIFY_WEBPUSH": "1",
        "NOTIFY_IDLE_SECONDS": "0.1",
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "flask", "notify", "work"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stderr=subprocess.DEVNULL)


def wait_for(condition, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_visitor_who_closed_the_page_hears_three_more_and_called_to_counter_2_on_push_and_whatsapp(
    live, browser_context
):
    whatsapp, push = FakeGateway(), FakeGateway(dedupes=False)
    phone_key, auth_secret = ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
    point = phone_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    subscription = {"endpoint": push.url + "/push/e2e", "keys": {"p256dh": b64(point), "auth": b64(auth_secret)}}
    live.office.configure(notify_people_ahead=3)
    service = live.office.service("A")
    issued = [
        requests.post(f"{live.url}/api/v1/tickets", json={"service_id": service}, timeout=10).json() for _ in range(5)
    ]
    mine = issued[-1]
    worker = start_worker(live.database_url, whatsapp)
    try:
        browser_context.add_init_script(
            f"""
            window.Notification.requestPermission = async () => "granted";
            PushManager.prototype.subscribe = async () => ({{ toJSON: () => ({json.dumps(subscription)}) }});
            """
        )
        page = browser_context.new_page()
        page.goto(f"{live.url}/t/{mine['token']}?lang=id")
        page.click("#push-on")
        page.wait_for_selector("#notify-status:not([hidden])")
        page.fill("#phone", "0812 3456 7890")
        page.select_option("#phone-channel", "whatsapp")
        page.check("#consent")
        page.click("#phone-form button[type=submit]")

        def opted_in():
            with live.app.app_context():
                found = {row.channel for row in db.session.execute(contacts.select())}
                db.session.commit()
            return found == {"webpush", "whatsapp"}

        wait_for(opted_in, "both opt-ins")
        page.close()  # the visitor puts the phone away

        budi = requests.Session()
        budi.post(f"{live.url}/api/v1/auth/login", json={"username": "budi", "password": "demo12345"}, timeout=10)
        counter = live.office.counter(2)
        assert budi.post(f"{live.url}/api/v1/counters/{counter}/open", timeout=10).status_code == 200
        first = budi.post(f"{live.url}/api/v1/counters/{counter}/call-next", timeout=10).json()
        assert first["number"] == issued[0]["number"]  # three people are now ahead of the visitor

        def pushed(text: str):
            for arrival in list(push.arrivals):
                body = json.loads(http_ece.decrypt(arrival.body, private_key=phone_key, auth_secret=auth_secret))
                if text in body["body"]:
                    return body
            return None

        def whatsapp_template(name: str):
            return next((a.json for a in list(whatsapp.arrivals) if a.json["template"]["name"] == name), None)

        near = wait_for(lambda: pushed("3 orang lagi"), "3 more on push")
        assert near["title"] == f"Antrian {mine['number']}"
        template = wait_for(lambda: whatsapp_template("antrian_hampir"), "3 more on WhatsApp")["template"]
        assert [p["text"] for p in template["components"][0]["parameters"]][:2] == [mine["number"], "3"]

        budi.post(f"{live.url}/api/v1/tickets/{first['id']}/no-show", json={}, timeout=10)
        call = budi.post(
            f"{live.url}/api/v1/counters/{counter}/call",
            json={"ticket_id": mine["id"], "reason": "uji notifikasi"},
            timeout=10,
        )
        assert call.status_code == 200, call.text
        wait_for(lambda: pushed(f"Nomor {mine['number']} dipanggil ke loket 2"), "called to counter 2 on push")
        called = wait_for(lambda: whatsapp_template("antrian_dipanggil"), "called on WhatsApp")
        assert called["to"] == "6281234567890"
        assert [p["text"] for p in called["template"]["components"][0]["parameters"]] == [mine["number"], "2"]
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
        whatsapp.close()
        push.close()
