"""Notifications in the API: a visitor opts in for their ticket; a gateway hands in a visitor's reply."""

from __future__ import annotations

import hmac
import json
from pathlib import Path

import marshmallow as ma
from flask import current_app, request
from flask_smorest import Blueprint

from ...domain.errors import NotAllowed
from ...domain.notify import PERSON_CHANNELS, Channel
from ...notify import settings
from ...services import notify
from ...services.notify_replies import handle_reply
from ..context import unit_of_work
from .errors import ErrorSchema

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
    channel = ma.fields.String(load_default="whatsapp", validate=ma.validate.OneOf(["whatsapp", "sms"]))
    sender = ma.fields.String(required=True, data_key="from", validate=ma.validate.Length(max=32))
    text = ma.fields.String(required=True, validate=ma.validate.Length(max=500))


class ReplyOut(ma.Schema):
    command = ma.fields.String()
    number = ma.fields.String()


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
    """A visitor's WhatsApp/SMS reply (BATAL, TUNDA, POSISI), handed in by the gateway with the shared token."""
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
