"""The outbox: messages written with the change that causes them, delivered by the worker with retries.

Providers are reached over the network at local stand-ins (tests/notify_fakes.py); the worker runs
in-process here, round by round, on the test's clock. The SIGKILL test runs it as a real process.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from servicedesk.domain.notify import Channel, verify
from servicedesk.extensions import db
from servicedesk.notify.providers import (
    LogProvider,
    SmsGatewayProvider,
    SmtpProvider,
    WebhookProvider,
    WhatsAppProvider,
)
from servicedesk.notify.worker import INTERRUPTED, Worker, WorkerSettings
from servicedesk.persistence import outbox, webhooks
from servicedesk.services import notify
from servicedesk.web.context import unit_of_work
from tests.builders import call_next, issue
from tests.notify_fakes import FakeGateway, SmtpCollector, refused_url

PHONE = "0812-3456-7890"


@pytest.fixture
def gateway():
    fake = FakeGateway()
    yield fake
    fake.close()


def opt_in(app, token: str, channel: str, address: str) -> int:
    with app.app_context():
        return notify.opt_in(
            unit_of_work(), app.extensions["servicedesk.outbox"], token=token, channel=channel, address=address
        )


def messages(app, **where) -> list[dict]:
    with app.app_context():
        found = outbox.recent(db.session, limit=1000, **where)
        db.session.commit()
    return list(reversed(found))


def deliver(app, clock, providers: dict, **settings) -> int:
    """One round of the worker, as `flask notify work` runs it, on the test's clock."""
    chosen = {channel: LogProvider(channel) for channel in Channel} | providers
    with app.app_context():
        worker = Worker(lambda: db.session, chosen, clock, WorkerSettings(base_delay=10, concurrency=1, **settings))
        return worker.run_once()


def sms(url: str) -> SmsGatewayProvider:
    return SmsGatewayProvider(url + "/sms", timeout=(1, 0.5))


def test_a_call_queues_the_message_to_the_opted_in_visitor_in_the_same_commit(client, office, auth, app):
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "sms", PHONE)
    auth.at_counter("siti", office.counter(1))
    assert call_next(client, office.counter(1)).status_code == 200

    queued = messages(app)
    assert [(m["trigger"], m["channel"], m["recipient"]) for m in queued] == [
        ("ticket.subscribed", "sms", "6281234567890"),
        ("ticket.called", "sms", "6281234567890"),
    ]
    assert "/t/" + ticket["token"] in queued[0]["text"]
    assert queued[1]["text"] == f"Nomor {ticket['number']} dipanggil ke loket 1. Silakan menuju loket."
    assert {m["status"] for m in queued} == {"pending"}


def test_a_visitor_without_opt_in_is_sent_nothing(client, office, auth, app):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    assert messages(app) == []


def test_the_visitor_hears_n_more_once_when_the_line_moves_to_the_office_setting(client, office, auth, app):
    office.configure(notify_people_ahead=1)
    issue(client, office, "A")
    issue(client, office, "A")
    mine = issue(client, office, "A")
    opt_in(app, mine["token"], "whatsapp", PHONE)
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    near = messages(app, channel="whatsapp")[-1]
    assert near["trigger"] == "ticket.near"
    assert near["text"].startswith(f"Nomor {mine['number']}: 1 orang lagi")
    call_next(client, office.counter(1))  # the counter calls the next: still "near", told once only
    assert [m["trigger"] for m in messages(app)].count("ticket.near") == 1


def test_the_worker_delivers_to_the_sms_gateway_and_records_it_sent(client, office, app, clock, gateway):
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "sms", PHONE)
    assert deliver(app, clock, {Channel.SMS: sms(gateway.url)}) == 1

    (arrival,) = gateway.arrivals
    assert arrival.json["to"] == "6281234567890"
    assert "/t/" + ticket["token"] in arrival.json["text"]
    (row,) = messages(app)
    assert arrival.headers["idempotency-key"] == row["dedupe_key"]
    assert row["status"] == "sent" and row["sent_at"] is not None


@pytest.mark.parametrize("outage", ["refused", "hung", "500"])
def test_a_provider_outage_is_retried_with_backoff_and_nothing_is_lost(client, office, app, clock, gateway, outage):
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "sms", PHONE)
    failing = sms(refused_url()) if outage == "refused" else sms(gateway.url)
    gateway.plan = {"refused": [], "hung": ["hang"], "500": [500]}[outage]

    deliver(app, clock, {Channel.SMS: failing})
    (row,) = messages(app)
    assert row["status"] == "pending" and row["attempts"] == 1 and row["last_error"]
    assert row["next_attempt_at"] == clock.now + timedelta(seconds=10)

    clock.advance(seconds=5)
    assert deliver(app, clock, {Channel.SMS: sms(gateway.url)}) == 0  # not due yet: the backoff holds
    clock.advance(seconds=5)
    assert deliver(app, clock, {Channel.SMS: sms(gateway.url)}) == 1
    (row,) = messages(app)
    assert row["status"] == "sent" and row["attempts"] == 2
    assert len(gateway.delivered) == 1


def test_the_backoff_doubles_and_a_message_that_keeps_failing_becomes_a_dead_letter(client, office, app, clock):
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "sms", PHONE)
    delays = []
    for _ in range(3):
        deliver(app, clock, {Channel.SMS: sms(refused_url())}, max_attempts=3)
        (row,) = messages(app)
        if row["status"] == "pending":
            delays.append((row["next_attempt_at"] - clock.now).total_seconds())
            clock.set(row["next_attempt_at"])
    assert delays == [10, 20]
    assert row["status"] == "dead" and row["attempts"] == 3

    with app.app_context():
        assert outbox.send_again(db.session, row["id"], clock.now)
        db.session.commit()
    (row,) = messages(app)
    assert row["status"] == "pending" and row["attempts"] == 0


def test_a_message_left_sending_by_a_dead_worker_is_not_sent_again_by_a_provider_without_keys(
    client, office, app, clock, gateway
):
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "sms", PHONE)
    with app.app_context():  # a worker claimed it, called the gateway, and died before recording the result
        outbox.claim(db.session, clock.now, attempt_id="dead-worker", lease_seconds=60, limit=10)
    assert deliver(app, clock, {Channel.SMS: sms(gateway.url)}, lease_seconds=60) == 0  # its lease still runs

    clock.advance(seconds=61)
    deliver(app, clock, {Channel.SMS: sms(gateway.url)}, lease_seconds=60)
    (row,) = messages(app)
    assert gateway.arrivals == []
    assert row["status"] == "dead" and row["last_error"] == INTERRUPTED


def test_a_provider_that_honours_the_key_takes_over_a_message_a_dead_worker_left(client, office, app, clock, gateway):
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "sms", PHONE)
    with app.app_context():
        outbox.claim(db.session, clock.now, attempt_id="dead-worker", lease_seconds=60, limit=10)
    clock.advance(seconds=61)
    deduping = SmsGatewayProvider(gateway.url, idempotent=True, timeout=(1, 1))
    deliver(app, clock, {Channel.SMS: deduping}, lease_seconds=60)
    (row,) = messages(app)
    assert row["status"] == "sent"
    with app.app_context():  # the dead worker's late answer cannot overwrite the new attempt's result
        assert not outbox.mark_failed(db.session, row["id"], "dead-worker", "late", None)
    assert messages(app)[0]["status"] == "sent"


def test_whatsapp_gets_the_cloud_api_template_in_indonesian(client, office, auth, app, clock, gateway):
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "whatsapp", PHONE)
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    provider = WhatsAppProvider(gateway.url + "/v21.0", "1234", "token-x", timeout=(1, 1))
    deliver(app, clock, {Channel.WHATSAPP: provider})

    called = gateway.arrivals[-1]
    assert called.path == "/v21.0/1234/messages"
    assert called.headers["authorization"] == "Bearer token-x"
    assert called.json["to"] == "6281234567890"
    template = called.json["template"]
    assert template["name"] == "antrian_dipanggil" and template["language"] == {"code": "id"}
    assert [p["text"] for p in template["components"][0]["parameters"]] == [ticket["number"], "1"]


def test_email_goes_through_smtp(client, office, app, clock):
    server = SmtpCollector()
    try:
        ticket = issue(client, office, "A")
        opt_in(app, ticket["token"], "email", "warga@example.id")
        deliver(app, clock, {Channel.EMAIL: SmtpProvider("127.0.0.1", server.port, timeout=5)})
    finally:
        server.close()
    (email,) = server.messages
    assert email["To"] == "warga@example.id"
    assert email["Subject"] == f"Antrian {ticket['number']}"
    assert "/t/" + ticket["token"] in email.get_payload(decode=True).decode()
    assert messages(app)[0]["status"] == "sent"


def test_a_webhook_is_signed_over_timestamp_and_body_and_both_secrets_sign_during_a_rotation(
    client, office, app, clock, gateway
):
    with app.app_context():
        uow = unit_of_work()
        subscription = webhooks.create(
            db.session, name="Portal", url=gateway.url + "/hook", events=["ticket.issued"], secret="old", now=clock.now
        )
        until = clock.now + timedelta(hours=1)
        webhooks.change(db.session, subscription, secret="new", previous_secret="old", previous_secret_until=until)
        uow.commit()
    ticket = issue(client, office, "A")
    deliver(app, clock, {Channel.WEBHOOK: WebhookProvider(clock=lambda: clock.now.timestamp(), timeout=(1, 1))})

    (arrival,) = gateway.arrivals
    stamp = int(arrival.headers["x-servicedesk-timestamp"])
    header = arrival.headers["x-servicedesk-signature"]
    now = int(clock.now.timestamp())
    assert arrival.json["event"] == "ticket.issued" and arrival.json["ticket"]["number"] == ticket["number"]
    assert verify("new", header, stamp, arrival.body, now) and verify("old", header, stamp, arrival.body, now)
    assert not verify("other", header, stamp, arrival.body, now)
    assert not verify("new", header, stamp, arrival.body, now + 301)  # outside the replay window
    assert not verify("new", header, stamp, arrival.body + b" ", now)


def test_an_unknown_channel_or_a_bad_number_is_refused_and_nothing_is_recorded(client, office, app):
    from servicedesk.domain.notify import InvalidContact

    ticket = issue(client, office, "A")
    for channel, address in (("sms", "12"), ("fax", PHONE), ("webpush", json.dumps({"endpoint": "x"}))):
        with pytest.raises(InvalidContact):
            opt_in(app, ticket["token"], channel, address)
    assert messages(app) == []
