"""Messages to a visitor in the language of their ticket's agency (issue 26): its own language when it
names one, else the site's. Delivered at the local stand-ins (tests/notify_fakes.py)."""

from __future__ import annotations

import pytest

from servicedesk.domain.model import Agency, Service
from servicedesk.domain.notify import Channel
from servicedesk.extensions import db
from servicedesk.notify.providers import WhatsAppProvider
from tests.builders import call_next, issue
from tests.integration.test_booking import TUESDAY, bookable, wib  # noqa: F401 - the fixture
from tests.integration.test_booking_notify import book
from tests.integration.test_booking_notify import deliver as deliver_booking
from tests.integration.test_notify_outbox import PHONE, deliver, messages, opt_in, sms
from tests.notify_fakes import FakeGateway


@pytest.fixture
def gateway():
    fake = FakeGateway()
    yield fake
    fake.close()


def speak(app, office, language: str | None) -> None:
    """The office's own agency speaks `language` (None: the site's)."""
    with app.app_context():
        db.session.get(Agency, office.agency).language = language
        db.session.commit()
        db.session.remove()


def whatsapp(gateway) -> WhatsAppProvider:
    return WhatsAppProvider(gateway.url + "/v21.0", "1234", "token-x", timeout=(1, 1))


def test_a_ticket_of_an_english_speaking_agency_is_called_on_whatsapp_in_english(
    client, office, auth, app, clock, gateway
):
    speak(app, office, "en")
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "whatsapp", PHONE)
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))

    queued = messages(app)
    assert queued[0]["text"].startswith(f"Ticket {ticket['number']} (")
    assert queued[1]["text"] == f"Ticket {ticket['number']} is called to counter 1. Please go to the counter."
    deliver(app, clock, {Channel.WHATSAPP: whatsapp(gateway)})
    template = gateway.arrivals[-1].json["template"]
    assert template["name"] == "antrian_dipanggil" and template["language"] == {"code": "en"}
    assert [p["text"] for p in template["components"][0]["parameters"]] == [ticket["number"], "1"]


def test_a_ticket_of_an_english_speaking_agency_gets_its_sms_in_english(client, office, auth, app, clock, gateway):
    speak(app, office, "en")
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "sms", PHONE)
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    deliver(app, clock, {Channel.SMS: sms(gateway.url)})

    texts = [arrival.json["text"] for arrival in gateway.arrivals]
    assert texts[-1] == f"Ticket {ticket['number']} is called to counter 1. Please go to the counter."


def test_a_ticket_of_an_agency_without_a_language_speaks_the_site_s(client, office, auth, app, clock, gateway):
    speak(app, office, None)
    office.configure(language="en")
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "whatsapp", PHONE)
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))

    assert messages(app)[-1]["text"].startswith(f"Ticket {ticket['number']} is called")
    deliver(app, clock, {Channel.WHATSAPP: whatsapp(gateway)})
    assert gateway.arrivals[-1].json["template"]["language"] == {"code": "en"}


def test_a_ticket_of_an_agency_without_a_language_in_an_indonesian_site_is_told_in_indonesian(
    client, office, auth, app, clock, gateway
):
    speak(app, office, None)
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "whatsapp", PHONE)
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))

    assert messages(app)[-1]["text"] == f"Nomor {ticket['number']} dipanggil ke loket 1. Silakan menuju loket."
    deliver(app, clock, {Channel.WHATSAPP: whatsapp(gateway)})
    assert gateway.arrivals[-1].json["template"]["language"] == {"code": "id"}


def test_a_booking_at_an_english_speaking_agency_is_confirmed_on_whatsapp_in_english(app, clock, bookable, gateway):  # noqa: F811
    with app.app_context():
        db.session.get(Agency, db.session.get(Service, bookable).agency_id).language = "en"
        db.session.commit()
        db.session.remove()
    app.config["NOTIFY_WHATSAPP_URL"] = gateway.url + "/v21.0"
    made = book(app, bookable, wib(TUESDAY, 10))
    [message] = [m for m in messages(app) if m["trigger"] == "booking.confirmed"]
    assert message["text"].startswith("Booking for ") and f"Booking code: {made.code}." in message["text"]
    assert deliver_booking(app, clock, gateway) == 1
    template = gateway.arrivals[-1].json["template"]
    assert template["name"] == "booking_terkonfirmasi" and template["language"] == {"code": "en"}
