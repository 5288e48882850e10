"""Booking confirmation and reminders leave through the outbox (issue 25 with issue 24), on both databases.

The confirmation is written in the booking's own transaction; `flask booking remind` queues one
reminder per booking and kind however often it runs. Delivery reaches a local fake WhatsApp gateway.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from servicedesk.domain.errors import DomainError
from servicedesk.domain.notify import Channel
from servicedesk.extensions import db
from servicedesk.notify.providers import LogProvider, WhatsAppProvider
from servicedesk.notify.worker import Worker, WorkerSettings
from servicedesk.persistence import outbox
from servicedesk.services import booking as bookings
from servicedesk.web.context import unit_of_work
from tests.integration.test_booking import JAKARTA, TUESDAY, bookable, wib  # noqa: F401 - the fixture
from tests.notify_fakes import FakeGateway


@pytest.fixture
def gateway():
    fake = FakeGateway()
    yield fake
    fake.close()


def book(app, service_id: int, slot: datetime, phone: str | None = "081234567890", **extra):
    with app.app_context():
        made, _ = bookings.book(
            unit_of_work(),
            secret="test",
            service_id=service_id,
            day=slot.astimezone(JAKARTA).date(),
            slot_start=slot,
            name="Siti Aminah",
            phone=phone,
            **extra,
        )
        return made


def messages(app, trigger: str) -> list[dict]:
    with app.app_context():
        found = [m for m in outbox.recent(db.session, limit=1000) if m["trigger"] == trigger]
        db.session.commit()
    return found


def deliver(app, clock, gateway) -> int:
    providers = {channel: LogProvider(channel) for channel in Channel}
    providers[Channel.WHATSAPP] = WhatsAppProvider(gateway.url + "/v21.0", "1234", "token-x", timeout=(1, 1))
    with app.app_context():
        return Worker(lambda: db.session, providers, clock, WorkerSettings(concurrency=1)).run_once()


def test_a_new_booking_queues_its_confirmation_with_the_code_in_the_same_commit(app, bookable):  # noqa: F811
    made = book(app, bookable, wib(TUESDAY, 10))
    [message] = messages(app, "booking.confirmed")
    assert message["channel"] == "log"  # a fresh install: nothing leaves the building
    assert message["recipient"] == "6281234567890"  # as the providers address it
    assert made.phone == message["recipient"]  # one form: the booking's number is its WhatsApp replies' sender
    assert made.code in message["text"] and "03-11-2026 10.00" in message["text"]


def test_a_refused_booking_queues_nothing(app, bookable):  # noqa: F811
    book(app, bookable, wib(TUESDAY, 10))
    with pytest.raises(DomainError):
        book(app, bookable, wib(TUESDAY, 11), phone="not a phone")
    assert len(messages(app, "booking.confirmed")) == 1


def test_a_booking_without_a_phone_is_confirmed_on_paper_only(app, bookable):  # noqa: F811
    book(app, bookable, wib(TUESDAY, 10), phone=None, source="staff")
    assert messages(app, "booking.confirmed") == []


def test_the_confirmation_reaches_whatsapp_as_the_indonesian_template(app, clock, bookable, gateway):  # noqa: F811
    app.config["NOTIFY_WHATSAPP_URL"] = gateway.url + "/v21.0"
    made = book(app, bookable, wib(TUESDAY, 10))
    assert deliver(app, clock, gateway) == 1
    [arrival] = gateway.arrivals
    assert arrival.path == "/v21.0/1234/messages" and arrival.json["to"] == "6281234567890"
    template = arrival.json["template"]
    assert template["name"] == "booking_terkonfirmasi" and template["language"] == {"code": "id"}
    assert made.code in [p["text"] for p in template["components"][0]["parameters"]]


def test_reminders_go_once_the_day_before_and_once_on_the_day_however_often_remind_runs(app, clock, bookable, gateway):  # noqa: F811
    app.config["NOTIFY_WHATSAPP_URL"] = gateway.url + "/v21.0"
    made = book(app, bookable, wib(TUESDAY, 10))
    runner = app.test_cli_runner()
    for _ in range(2):
        assert "1 reminder(s) due" in runner.invoke(args=["booking", "remind"]).output
    clock.set(wib(TUESDAY, 7))
    for _ in range(2):
        assert "1 reminder(s) due" in runner.invoke(args=["booking", "remind"]).output
    reminders = messages(app, "booking.reminder")
    assert sorted(m["dedupe_key"] for m in reminders) == [
        f"booking.reminder:{made.id}:day_before",
        f"booking.reminder:{made.id}:same_day",
    ]
    deliver(app, clock, gateway)
    names = [a.json["template"]["name"] for a in gateway.arrivals]
    assert sorted(names) == ["booking_pengingat", "booking_pengingat", "booking_terkonfirmasi"]
