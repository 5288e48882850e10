"""UU PDP retention of notifications on both databases, with the test's frozen clock: `flask notify redact`
erases the visitors' addresses and what was said to them after the office's retention days; the
counts (channels, triggers, statuses) and the consent records stay."""

from __future__ import annotations

from servicedesk.extensions import db
from servicedesk.persistence import webhooks
from servicedesk.persistence.bookings import BookingRepository
from servicedesk.persistence.notify_tables import contacts, messages
from servicedesk.services import notify
from servicedesk.web.context import unit_of_work
from tests.builders import call_next, issue

PUSH = '{"endpoint": "https://push.example/abc", "keys": {"p256dh": "BKey", "auth": "secret"}}'


def opt_in(app, token: str, channel: str, address: str) -> None:
    with app.app_context():
        notify.opt_in(
            unit_of_work(), app.extensions["servicedesk.outbox"], token=token, channel=channel, address=address
        )


def rows(app, table) -> list:
    with app.app_context():
        found = db.session.execute(table.select().order_by(table.c.id)).all()
        db.session.commit()
    return found


def settle(app) -> None:
    """As the worker would have: every message delivered."""
    with app.app_context():
        db.session.execute(messages.update().values(status="sent"))
        db.session.commit()


def redact(app) -> str:
    result = app.test_cli_runner().invoke(args=["notify", "redact"])
    if result.exception:
        raise result.exception
    return result.output


def test_addresses_and_message_contents_are_erased_after_the_retention_and_the_statistics_stay(
    client, office, auth, app, clock
):
    with app.app_context():
        uow = unit_of_work()
        BookingRepository(uow.session).set_retention_days(30)
        webhooks.create(db.session, name="Portal", url="http://127.0.0.1:9/hook", events=["ticket.called"],
                        secret="s", now=clock.now)  # fmt: skip
        uow.commit()
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "whatsapp", "0812-3456-7890")
    opt_in(app, ticket["token"], "email", "siti@example.id")
    opt_in(app, ticket["token"], "webpush", PUSH)
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    settle(app)
    before = rows(app, messages)

    clock.advance(days=30)
    assert redact(app) == "0 contact(s) and 0 message(s) redacted.\n"
    clock.advance(days=1)
    assert redact(app) == "3 contact(s) and 6 message(s) redacted.\n"
    assert redact(app) == "0 contact(s) and 0 message(s) redacted.\n"

    kept = rows(app, contacts)
    assert [c.address for c in kept] == ["", "", ""]
    assert all(c.withdrawn_at is not None and c.consent_text and c.consented_at for c in kept)
    after = rows(app, messages)
    people = [m for m in after if m.channel != "webhook"]
    assert [(m.recipient, m.text, m.data) for m in people] == [("", "", {})] * 6
    assert [(m.channel, m.trigger, m.status, m.created_at) for m in after] == [
        (m.channel, m.trigger, m.status, m.created_at) for m in before
    ]
    [hook] = [m for m in after if m.channel == "webhook"]
    assert hook.recipient == "http://127.0.0.1:9/hook" and hook.data["event"] == "ticket.called"


def test_a_message_still_waiting_for_delivery_is_not_erased_under_the_worker(client, office, app, clock):
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "sms", "0812-3456-7890")
    clock.advance(days=91)  # the default retention is 90 days
    assert redact(app) == "1 contact(s) and 0 message(s) redacted.\n"
    [message] = rows(app, messages)
    assert message.status == "pending" and message.recipient == "6281234567890"


def test_no_more_messages_are_queued_to_an_erased_contact(client, office, auth, app, clock):
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "sms", "0812-3456-7890")
    settle(app)
    clock.advance(days=91)
    redact(app)
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    assert [m.trigger for m in rows(app, messages)] == ["ticket.subscribed"]
