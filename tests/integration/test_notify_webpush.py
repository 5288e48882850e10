"""Web Push: the worker encrypts to the visitor's subscription and signs with the install's VAPID key;
the push endpoint here is a local server, and the test, holding the subscription's keys, decrypts."""

from __future__ import annotations

import base64
import json
import os

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from servicedesk.domain.notify import Channel
from servicedesk.notify import vapid_key_path, vapid_public_key
from servicedesk.notify.providers import WebPushProvider
from tests.builders import issue
from tests.integration.test_notify_outbox import deliver, messages, opt_in
from tests.notify_fakes import FakeGateway


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_push_message_arrives_encrypted_for_the_subscription_and_signed_with_vapid(
    client, office, app, clock, tmp_path
):
    endpoint = FakeGateway(dedupes=False)
    browser_key = ec.generate_private_key(ec.SECP256R1())
    auth_secret = os.urandom(16)
    public = browser_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    subscription = {"endpoint": endpoint.url + "/push/abc", "keys": {"p256dh": b64(public), "auth": b64(auth_secret)}}
    key_path = vapid_key_path(tmp_path)
    try:
        ticket = issue(client, office, "A")
        opt_in(app, ticket["token"], "webpush", json.dumps(subscription))
        deliver(app, clock, {Channel.WEBPUSH: WebPushProvider(str(key_path), timeout=5)})
    finally:
        endpoint.close()

    (arrival,) = endpoint.arrivals
    assert arrival.path == "/push/abc"
    assert arrival.headers["content-encoding"] == "aes128gcm"
    assert arrival.headers["authorization"].startswith("vapid t=")
    assert f"k={vapid_public_key(key_path)}" in arrival.headers["authorization"]
    payload = json.loads(http_ece.decrypt(arrival.body, private_key=browser_key, auth_secret=auth_secret))
    assert payload["title"] == f"Antrian {ticket['number']}"
    assert "/t/" + ticket["token"] in payload["body"]
    assert messages(app)[0]["status"] == "sent"


def test_a_subscription_the_push_service_says_is_gone_is_not_retried(client, office, app, clock, tmp_path):
    endpoint = FakeGateway(plan=[410])
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    raw = key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    subscription = {"endpoint": endpoint.url + "/push/gone", "keys": {"p256dh": b64(raw), "auth": b64(os.urandom(16))}}
    try:
        ticket = issue(client, office, "A")
        opt_in(app, ticket["token"], "webpush", json.dumps(subscription))
        deliver(app, clock, {Channel.WEBPUSH: WebPushProvider(str(vapid_key_path(tmp_path)), timeout=5)})
    finally:
        endpoint.close()
    (row,) = messages(app)
    assert row["status"] == "dead" and "410" in row["last_error"]
