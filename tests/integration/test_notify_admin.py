"""The admin's notifications page: dead letters sent again, webhook subscriptions, secret rotation."""

from __future__ import annotations

import re

import pytest

from servicedesk.domain.notify import Channel
from servicedesk.extensions import db
from servicedesk.persistence import webhooks
from tests.builders import issue
from tests.integration.admin_pages import AdminPages
from tests.integration.test_notify_outbox import deliver, messages, opt_in, sms
from tests.notify_fakes import refused_url


@pytest.fixture
def pages(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login()
    return pages


def test_a_dead_letter_is_shown_and_sent_again_with_its_key_and_the_action_is_audited(
    pages, client, office, app, clock
):
    ticket = issue(client, office, "A")
    opt_in(app, ticket["token"], "sms", "081234567890")
    deliver(app, clock, {Channel.SMS: sms(refused_url())}, max_attempts=1)
    (dead,) = messages(app)
    assert dead["status"] == "dead"
    page = pages.html("/admin/notifications?status=dead")
    assert "ticket.subscribed" in page and "unreachable" in page

    response = pages.post(f"/admin/notifications/messages/{dead['id']}/again")
    assert response.status_code == 303
    (again,) = messages(app)
    assert again["status"] == "pending" and again["dedupe_key"] == dead["dedupe_key"]
    assert [entry.action for entry in pages.audit("message")] == ["send_again"]


def test_an_admin_subscribes_a_system_sees_the_secret_once_and_rotates_it_with_an_overlap(pages, app, clock):
    response = pages.post(
        "/admin/notifications/webhooks",
        {
            "name": "Portal daerah",
            "url": "https://portal.example.id/hook",
            "events": ["ticket.called", "ticket.issued"],
        },
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    first = re.search(r'<code id="secret">([0-9a-f]{64})</code>', response.get_data(as_text=True)).group(1)
    with app.app_context():
        (row,) = webhooks.all_(db.session)
        db.session.commit()
    assert row["events"] == ["ticket.called", "ticket.issued"] and row["secret"] == first

    rotated = pages.post(f"/admin/notifications/webhooks/{row['id']}/rotate")
    second = re.search(r'<code id="secret">([0-9a-f]{64})</code>', rotated.get_data(as_text=True)).group(1)
    with app.app_context():
        assert webhooks.signing_secrets(db.session, row["id"], clock.now) == [second, first]
        db.session.commit()
    clock.advance(hours=25)
    with app.app_context():
        assert webhooks.signing_secrets(db.session, row["id"], clock.now) == [second]
        db.session.commit()
    assert [e.action for e in pages.audit("webhook")] == ["create", "rotate_secret"]
    assert first not in str([(e.before, e.after) for e in pages.audit("webhook")])  # secrets stay out of the log


def test_a_bad_subscription_form_is_answered_on_the_page_and_unknown_ids_are_404(pages):
    response = pages.post("/admin/notifications/webhooks", {"name": "", "url": "not a url", "events": ["nope"]})
    assert response.status_code == 400 and 'id="webhook-form"' in response.get_data(as_text=True)
    assert pages.post("/admin/notifications/webhooks/999/rotate").status_code == 404
    assert pages.post("/admin/notifications/messages/999/again").status_code == 404


def test_a_supervisor_reads_the_page_but_cannot_change_it(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    assert "Delivery log" in pages.html("/admin/notifications?lang=en")
    response = pages.post(
        "/admin/notifications/webhooks", {"name": "x", "url": "https://x.id", "events": ["ticket.called"]}
    )
    assert response.status_code == 403


def test_the_office_sets_when_a_visitor_hears_n_more_and_the_change_is_audited(pages, app):
    from servicedesk.domain.model import Office
    from tests.integration.test_admin_settings import SETTINGS

    assert (
        pages.post(
            "/admin/settings", {**SETTINGS, "notify_people_ahead": "5", "notify_minutes_ahead": "10"}
        ).status_code
        == 303
    )
    with app.app_context():
        office = db.session.query(Office).first()
        assert (office.notify_people_ahead, office.notify_minutes_ahead) == (5, 10)
        db.session.commit()
    (entry,) = pages.audit("office")
    assert entry.before["notify_people_ahead"] == 3 and entry.after["notify_people_ahead"] == 5
    response = pages.post("/admin/settings?lang=en", {**SETTINGS, "notify_people_ahead": "-1"})
    assert response.status_code == 400
