"""Opting in from the phone page, and a visitor's WhatsApp/SMS reply acting on their ticket."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from servicedesk.domain.model import Agency
from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.builders import call_next, issue, refused
from tests.integration.test_notify_outbox import messages

PHONE = "+62 812 3456 7890"


@pytest.fixture
def app(database_url, clock):
    from tests.conftest import close_app, make_app

    app = make_app(
        database_url,
        clock,
        NOTIFY_REPLY_TOKEN="gateway-secret",
        NOTIFY_WHATSAPP_VERIFY_TOKEN="verify-me",
        NOTIFY_WHATSAPP_APP_SECRET="app-secret",
    )
    yield app
    close_app(app, database_url)


def opt_in(client, token: str, channel: str = "whatsapp", address=PHONE, **extra):
    return client.post(
        f"/api/v1/tickets/{token}/notifications",
        json={"channel": channel, "address": address, "consent": True, **extra},
    )


def reply(client, text: str, sender: str = PHONE, token: str = "gateway-secret"):
    return client.post(
        "/api/v1/notifications/replies",
        json={"channel": "whatsapp", "from": sender, "text": text},
        headers={"Authorization": f"Bearer {token}"},
    )


def audit_actions(app) -> list[str]:
    with app.app_context():
        found = [row.action for row in db.session.execute(tables.audit_log.select().order_by(tables.audit_log.c.id))]
        db.session.commit()
    return found


def test_a_visitor_opts_in_from_the_phone_page_and_the_consent_is_recorded(client, office, app, clock):
    ticket = issue(client, office, "A")
    response = opt_in(client, ticket["token"])
    assert response.status_code == 201 and response.json["channel"] == "whatsapp"
    with app.app_context():
        (contact,) = db.session.execute(tables.metadata.tables["contacts"].select()).all()
        db.session.commit()
    assert contact.address == "6281234567890" and contact.consented_at == clock.now and "setuju" in contact.consent_text
    assert messages(app)[0]["trigger"] == "ticket.subscribed"


def test_opting_in_without_consent_or_with_a_bad_number_is_refused_with_a_code(client, office):
    ticket = issue(client, office, "A")
    assert opt_in(client, ticket["token"], consent=False).status_code == 422
    assert refused(opt_in(client, ticket["token"], address="12345"), 400, "invalid_contact")
    # A landline gets no WhatsApp or SMS: the booking's rule, kept as the opt-in's documented 400.
    assert refused(opt_in(client, ticket["token"], address="021 555 1234"), 400, "invalid_contact")
    assert refused(opt_in(client, "no-such-token"), 404, "not_found")


def test_a_reply_batal_cancels_the_ticket_through_the_visitors_cancel_and_is_audited(client, office, app):
    ticket = issue(client, office, "A")
    opt_in(client, ticket["token"])
    response = reply(client, " batal ")
    assert response.status_code == 200 and response.json == {"command": "BATAL", "number": ticket["number"]}
    assert client.get(f"/api/v1/tickets/{ticket['token']}").json["status"] == "cancelled"
    assert "cancel_by_reply" in audit_actions(app)
    assert messages(app)[-1]["trigger"] == "ticket.cancelled"  # the visitor hears it was done


def test_a_reply_tunda_lets_the_next_visitor_go_first_once(client, office, auth, app):
    mine = issue(client, office, "A")
    behind = issue(client, office, "A")
    opt_in(client, mine["token"])
    assert reply(client, "TUNDA").status_code == 200
    assert refused(reply(client, "TUNDA"), 409, "stepped_back_already")
    assert "step_back_by_reply" in audit_actions(app)
    ahead = {t["number"]: client.get(f"/api/v1/tickets/{t['token']}").json["people_ahead"] for t in (mine, behind)}
    assert ahead == {behind["number"]: 0, mine["number"]: 1}
    auth.at_counter("siti", office.counter(1))
    assert call_next(client, office.counter(1)).json["number"] == behind["number"]


def test_a_reply_posisi_answers_with_the_place_in_line(client, office, app):
    issue(client, office, "A")
    mine = issue(client, office, "A")
    opt_in(client, mine["token"], channel="sms")
    assert reply(client, "posisi").status_code == 200
    answer = messages(app)[-1]
    assert answer["channel"] == "whatsapp" and answer["trigger"] == "ticket.position"
    assert answer["text"].startswith(f"Nomor {mine['number']}: 1 orang di depan Anda")


def test_a_reply_without_the_gateway_token_or_from_an_unknown_number_changes_nothing(client, office):
    ticket = issue(client, office, "A")
    opt_in(client, ticket["token"])
    assert refused(reply(client, "BATAL", token="wrong"), 403, "forbidden")
    assert refused(reply(client, "BATAL", sender="081299999999"), 404, "not_found")
    assert refused(reply(client, "HALO"), 409, "unknown_reply")
    assert client.get(f"/api/v1/tickets/{ticket['token']}").json["status"] == "waiting"


def cloud_webhook(*texts: str, sender: str = "6281234567890") -> dict:
    """What WhatsApp Cloud API posts: a status update and the visitor's messages, as Meta nests them."""
    incoming = [
        {"from": sender, "id": f"wamid.{i}", "timestamp": "1793926800", "type": "text", "text": {"body": text}}
        for i, text in enumerate(texts)
    ]
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "628111", "phone_number_id": "1234"},
        "contacts": [{"profile": {"name": "Siti"}, "wa_id": sender}],
        "messages": incoming,
    }
    statuses = {"messaging_product": "whatsapp", "statuses": [{"id": "wamid.x", "status": "delivered"}]}
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {"id": "WABA", "changes": [{"field": "messages", "value": statuses}, {"field": "messages", "value": value}]}
        ],
    }


def post_cloud(client, body: dict, secret: str = "app-secret"):
    raw = json.dumps(body).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return client.post(
        "/api/v1/notifications/replies",
        data=raw,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )


def test_whatsapp_cloud_api_verifies_the_webhook_with_our_verify_token_only(client):
    query = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    answer = client.get("/api/v1/notifications/replies", query_string=query)
    assert answer.status_code == 200 and answer.get_data(as_text=True) == "1158201444"
    assert answer.mimetype == "text/plain"
    wrong = client.get("/api/v1/notifications/replies", query_string=query | {"hub.verify_token": "guess"})
    assert refused(wrong, 403, "forbidden")


def test_a_signed_cloud_api_webhook_acts_on_the_ticket_like_a_gateway_reply(client, office, app):
    ticket = issue(client, office, "A")
    opt_in(client, ticket["token"])
    response = post_cloud(client, cloud_webhook("posisi", "Batal"))
    assert response.status_code == 200 and response.json == {"handled": 2}
    assert client.get(f"/api/v1/tickets/{ticket['token']}").json["status"] == "cancelled"
    assert "cancel_by_reply" in audit_actions(app)
    assert [m["trigger"] for m in messages(app)][-2:] == ["ticket.position", "ticket.cancelled"]
    # Meta redelivers: the ticket is over, nothing more happens, and the answer is still 200.
    again = post_cloud(client, cloud_webhook("BATAL"))
    assert again.status_code == 200 and again.json == {"handled": 0}


def test_a_cloud_api_webhook_with_a_bad_signature_changes_nothing(client, office):
    ticket = issue(client, office, "A")
    opt_in(client, ticket["token"])
    assert refused(post_cloud(client, cloud_webhook("BATAL"), secret="forged"), 403, "forbidden")
    unsigned = client.post("/api/v1/notifications/replies", json=cloud_webhook("BATAL"))
    assert refused(unsigned, 403, "forbidden")
    assert client.get(f"/api/v1/tickets/{ticket['token']}").json["status"] == "waiting"


def test_a_gateway_reply_without_sender_or_text_is_still_refused_as_invalid(client):
    response = client.post(
        "/api/v1/notifications/replies", json={"channel": "sms", "text": "BATAL"},
        headers={"Authorization": "Bearer gateway-secret"},
    )  # fmt: skip
    assert response.status_code == 422


def test_the_phone_page_offers_push_and_a_number_and_its_service_worker_may_serve_the_page(client, office):
    ticket = issue(client, office, "A")
    page = client.get(f"/t/{ticket['token']}?lang=id").get_data(as_text=True)
    assert 'id="notify-box"' in page and f"/api/v1/tickets/{ticket['token']}/notifications" in page
    assert "Nomor WhatsApp atau SMS" in page
    worker = client.get("/t/push-sw.js")
    assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/t/"
    assert "showNotification" in worker.get_data(as_text=True)
    key = client.get("/api/v1/notifications/push-key").json["key"]
    assert len(key) == 87  # a base64url P-256 point: what PushManager.subscribe() takes


def test_a_visitor_who_withdraws_consent_hears_nothing_more(client, office, auth, app):
    ticket = issue(client, office, "A")
    opt_in(client, ticket["token"])
    opt_in(client, ticket["token"], channel="sms")
    response = client.post(f"/api/v1/tickets/{ticket['token']}/notifications/withdraw", json={})
    assert response.status_code == 200 and response.json == {"withdrawn": 2}
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    assert [m["trigger"] for m in messages(app)] == ["ticket.subscribed", "ticket.subscribed"]


def test_a_posisi_that_meta_delivers_twice_is_answered_once(client, office, app):
    ticket = issue(client, office, "A")
    opt_in(client, ticket["token"])
    for _ in range(2):
        assert post_cloud(client, cloud_webhook("POSISI")).status_code == 200
    assert [m["trigger"] for m in messages(app)].count("ticket.position") == 1
    post_cloud(client, cloud_webhook("Posisi", "posisi"))  # wamid.0 again (not answered) and a new wamid.1
    assert [m["trigger"] for m in messages(app)].count("ticket.position") == 2


def test_a_nul_character_in_the_webhook_verification_is_a_documented_400(client):
    answer = client.get("/api/v1/notifications/replies?hub.mode=subscribe&hub.verify_token=x&hub.challenge=a%00b")
    assert answer.status_code == 400 and answer.json["error"]["code"]
    documented = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/notifications/replies"]["get"]["responses"]
    assert "400" in documented


def test_a_visitor_of_an_english_speaking_agency_may_reply_in_english_and_is_answered_in_english(client, office, app):
    with app.app_context():
        db.session.get(Agency, office.agency).language = "en"
        db.session.commit()
        db.session.remove()
    issue(client, office, "A")
    mine = issue(client, office, "A")
    opt_in(client, mine["token"])
    response = reply(client, "Position")
    assert response.status_code == 200 and response.json == {"command": "POSISI", "number": mine["number"]}
    assert messages(app)[-1]["text"].startswith(f"Ticket {mine['number']}: 1 ahead of you (about ")
    assert reply(client, "CANCEL").json == {"command": "BATAL", "number": mine["number"]}
    assert client.get(f"/api/v1/tickets/{mine['token']}").json["status"] == "cancelled"
