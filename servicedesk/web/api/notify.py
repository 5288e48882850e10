"""Notifications in the API: a visitor opts in for their ticket; a gateway hands in a visitor's reply."""

from __future__ import annotations

import hmac
import json
import logging
from pathlib import Path

import marshmallow as ma
from flask import Response, current_app, request
from flask_smorest import Blueprint

from ...domain.errors import DomainError, NotAllowed
from ...domain.notify import PERSON_CHANNELS, Channel
from ...notify import settings
from ...services import notify
from ...services.notify_replies import handle_reply
from ..context import unit_of_work
from .errors import ErrorSchema

log = logging.getLogger(__name__)

blp = Blueprint("notify_api", __name__, url_prefix="/api/v1", description="Notifications: opt-in and replies")


class OptInIn(ma.Schema):
    channel = ma.fields.String(required=True, validate=ma.validate.OneOf([c.value for c in PERSON_CHANNELS]))
    address = ma.fields.Raw(
        required=True,
        metadata={
            "description": "A phone number (whatsapp, sms), an e-mail address, or the PushSubscription JSON",
            # Never null: documented as what it accepts, so a null is a documented 422.
            "oneOf": [{"type": "string"}, {"type": "object"}],
        },
    )
    consent = ma.fields.Boolean(
        required=True, validate=ma.validate.Equal(True), metadata={"description": "The visitor agreed (UU PDP)"}
    )


class OptInOut(ma.Schema):
    id = ma.fields.Integer()
    channel = ma.fields.String()


class PushKeyOut(ma.Schema):
    key = ma.fields.String(metadata={"description": "The VAPID application server key, base64url"})


class ReplyIn(ma.Schema):
    """Either one reply from a gateway ({"channel", "from", "text"}, the bearer token), or WhatsApp
    Cloud API's own webhook ({"object": "whatsapp_business_account", "entry": [...]}, signed with
    X-Hub-Signature-256), which arrives here as `cloud`."""

    channel = ma.fields.String(load_default="whatsapp", validate=ma.validate.OneOf(["whatsapp", "sms"]))
    sender = ma.fields.String(required=True, data_key="from", validate=ma.validate.Length(max=32))
    text = ma.fields.String(required=True, validate=ma.validate.Length(max=500))
    cloud = ma.fields.Dict(load_only=True, metadata={"description": "WhatsApp Cloud API webhook body (as sent)"})

    @ma.pre_load
    def cloud_api(self, data, **kwargs):
        # The Cloud API's body names no single sender: its messages are read from `cloud` (the view).
        if isinstance(data, dict) and data.get("object") == "whatsapp_business_account":
            return {"channel": "whatsapp", "from": "cloud-api", "text": "", "cloud": data}
        return data


class ReplyOut(ma.Schema):
    command = ma.fields.String()
    number = ma.fields.String()
    handled = ma.fields.Integer(metadata={"description": "Cloud API webhook: replies acted on"})


@blp.post("/tickets/<string:token>/notifications")
@blp.arguments(OptInIn)
@blp.response(201, OptInOut)
@blp.alt_response(400, schema=ErrorSchema)
@blp.alt_response(404, schema=ErrorSchema)
def opt_in(data: dict, token: str):
    """The visitor asks to hear about their ticket on one channel; the consent is recorded (UU PDP)."""
    given = data["address"]
    address = json.dumps(given) if isinstance(given, dict | list) else str(given)
    with unit_of_work() as uow:
        contact_id = notify.opt_in(
            uow, current_app.extensions["servicedesk.outbox"], token=token, channel=data["channel"], address=address
        )
    return {"id": contact_id, "channel": data["channel"]}


class OptOutOut(ma.Schema):
    withdrawn = ma.fields.Integer(metadata={"description": "How many channels were stopped"})


@blp.post("/tickets/<string:token>/notifications/withdraw")
@blp.response(200, OptOutOut)
@blp.alt_response(404, schema=ErrorSchema)
def opt_out(token: str):
    """The visitor withdraws their consent: no more messages about this ticket on any channel (UU PDP)."""
    with unit_of_work() as uow:
        return {"withdrawn": notify.opt_out(uow, token=token)}


@blp.get("/notifications/push-key")
@blp.response(200, PushKeyOut)
def push_key():
    """The key the phone page subscribes to Web Push with (created at install, instance/vapid_private.pem)."""
    from ...notify import vapid_key_path, vapid_public_key

    return {"key": vapid_public_key(vapid_key_path(Path(current_app.instance_path)))}


@blp.post("/notifications/replies")
@blp.arguments(ReplyIn)
@blp.response(200, ReplyOut)
@blp.alt_response(400, schema=ErrorSchema)
@blp.alt_response(403, schema=ErrorSchema)
@blp.alt_response(404, schema=ErrorSchema)
@blp.alt_response(409, schema=ErrorSchema)
def reply(data: dict):
    """A visitor's WhatsApp/SMS reply (BATAL, TUNDA, POSISI), handed in by the gateway with the shared token,
    or WhatsApp Cloud API's webhook signed with the app secret (X-Hub-Signature-256)."""
    if "cloud" in data:
        return {"handled": _cloud_replies(data["cloud"])}
    expected = settings(current_app)["NOTIFY_REPLY_TOKEN"]
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        raise NotAllowed("Replies need the gateway's token.", code="forbidden")
    with unit_of_work() as uow:
        done = handle_reply(
            uow,
            current_app.extensions["servicedesk.outbox"],
            channel=Channel(data["channel"]).value,
            phone=data["sender"],
            text=data["text"],
        )
    return {"command": done.command.value, "number": done.number}


#: Text an address may carry: anything but NUL, which web/hostile.py refuses (400) before any route.
NO_NUL = ma.validate.Regexp(r"^[^\x00]*$")


class VerifyIn(ma.Schema):
    mode = ma.fields.String(data_key="hub.mode", required=True, validate=NO_NUL)
    token = ma.fields.String(data_key="hub.verify_token", required=True, validate=NO_NUL)
    challenge = ma.fields.String(
        data_key="hub.challenge", required=True, validate=[ma.validate.Length(max=200), NO_NUL]
    )


@blp.get("/notifications/replies")
@blp.arguments(VerifyIn, location="query")
@blp.response(200, description="The challenge, as text/plain")
@blp.alt_response(400, schema=ErrorSchema, description="bad_request: a NUL character in the address")
@blp.alt_response(403, schema=ErrorSchema)
def verify_cloud_webhook(query: dict):
    """WhatsApp Cloud API's webhook verification: echo hub.challenge when hub.verify_token is ours."""
    expected = settings(current_app)["NOTIFY_WHATSAPP_VERIFY_TOKEN"]
    if not (
        expected and query["mode"] == "subscribe" and hmac.compare_digest(expected.encode(), query["token"].encode())
    ):
        raise NotAllowed("Not our verify token.", code="forbidden")
    return Response(query["challenge"], mimetype="text/plain")


def _cloud_replies(body: dict) -> int:
    """Each text (or quick-reply button) message of the webhook acts like a gateway's reply. Always
    answered 200 once the signature holds: Meta would otherwise redeliver for days; a message that
    cannot act (unknown number, other text, a ticket already over) is logged and dropped."""
    secret = settings(current_app)["NOTIFY_WHATSAPP_APP_SECRET"]
    given = request.headers.get("X-Hub-Signature-256", "")
    wanted = "sha256=" + hmac.new((secret or "").encode(), request.get_data(), "sha256").hexdigest()
    if not secret or not hmac.compare_digest(wanted.encode(), given.encode()):
        raise NotAllowed("The Cloud API signature does not match.", code="forbidden")
    handled = 0
    outbox_ = current_app.extensions["servicedesk.outbox"]
    for message_id, sender, text in cloud_messages(body):
        try:
            with unit_of_work() as uow:
                handle_reply(uow, outbox_, channel="whatsapp", phone=sender, text=text, reply_id=message_id)
            handled += 1
        except DomainError as refused:
            log.info("whatsapp reply not acted on: %s", refused.code)
    return handled


def cloud_messages(body: dict) -> list[tuple[str | None, str, str]]:
    """(message id, from, text) of the messages in a Cloud API webhook: entry[].changes[].value.messages[];
    status updates and media carry no reply. The id (wamid) is the same on Meta's redeliveries."""
    found = []
    for entry in body.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            for message in value.get("messages") or []:
                kind = message.get("type")
                text = (message.get("text") or {}).get("body") if kind == "text" else None
                if kind == "button":
                    text = (message.get("button") or {}).get("text")
                if isinstance(text, str) and isinstance(message.get("from"), str):
                    message_id = message.get("id") if isinstance(message.get("id"), str) else None
                    found.append((message_id and message_id[:128], message["from"][:32], text[:500]))
    return found
