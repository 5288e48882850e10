"""Booking ahead's request and answer schemas (they validate and appear in the OpenAPI document)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate

from .schemas import Headers, IdempotencyHeader, Strict, device_token, row_id, text


class BookIn(Strict):
    service_id = row_id(required=True)
    slot_start = f.AwareDateTime(required=True, metadata={"description": "A slot's start, as GET …/slots lists it"})
    name = f.String(
        required=True,
        validate=[validate.Length(min=1, max=200), validate.Regexp(r"^[^\x00]*\S[^\x00]*$")],
        metadata={"description": "As on the identity card"},
    )
    phone = f.String(
        required=True,
        validate=validate.Regexp(r"^(\+62|62|0)8[0-9]{7,11}$"),
        metadata={"description": "An Indonesian mobile number: 08…, 628… or +628…"},
    )
    nik = f.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^[0-9]{16}$"),
        metadata={"description": "16 digits; only where the service requires identity (else ignored)"},
    )
    device_id = text(
        load_default=None, allow_none=True, max_length=64, metadata={"description": "The phone's own id, for limits"}
    )
    priority_group = f.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^[a-z0-9_]{1,40}$"),
        metadata={
            "description": "A kelompok rentan's key (GET /office priority_groups): the booking takes a seat of "
            "the priority share and checks in as a priority ticket; none: the online share"
        },
    )


class BookHeaders(IdempotencyHeader):
    """Same key, same booking: a double tap never books two slots."""


class DayIn(Strict):
    day = f.Date(required=True, metadata={"description": "YYYY-MM-DD, from tomorrow to the service's horizon"})


class KioskHeaders(Headers):
    device_token = device_token("A registered kiosk's token; staff check in with their login instead.")


class RescheduleIn(Strict):
    slot_start = f.AwareDateTime(required=True)


class CheckInIn(Strict):
    code = text(required=True, min_length=4, max_length=16, metadata={"description": "Typed or read from the QR"})


class SlotOut(ma.Schema):
    start = f.String(required=True, metadata={"description": "ISO 8601, UTC"})
    time = f.String(required=True, metadata={"description": "HH:MM in the office's time zone"})
    seats = f.Integer(required=True, metadata={"description": "Seats of the online share"})
    free = f.Integer(required=True)
    priority_seats = f.Integer(required=True, metadata={"description": "Seats of the priority share"})
    priority_free = f.Integer(required=True, metadata={"description": "For a booking with a priority_group only"})


class DayOut(ma.Schema):
    service_id = f.Integer(required=True)
    day = f.Date(required=True)
    online = f.Integer(required=True, metadata={"description": "Seats the day offers to booking"})
    walk_in = f.Integer(required=True, metadata={"description": "Seats kept for walk-ins (never bookable)"})
    priority = f.Integer(required=True, metadata={"description": "Seats kept for kelompok rentan"})
    slots = f.List(f.Nested(SlotOut), required=True)


class BookableServiceOut(ma.Schema):
    id = f.Integer(required=True)
    code = f.String(required=True)
    name = f.String(required=True)
    requires_identity = f.Boolean(required=True)
    early_minutes = f.Integer(required=True)
    late_minutes = f.Integer(required=True)
    horizon_days = f.Integer(required=True)
    change_cutoff_hours = f.Integer(required=True)
    same_day = f.Boolean(required=True, metadata={"description": "Today's remaining slots may be booked too"})


class BookingOut(ma.Schema):
    code = f.String(required=True, metadata={"description": "Typed at the kiosk; also in the QR"})
    token = f.String(required=True, metadata={"description": "The visitor's key to see, cancel or reschedule"})
    service_id = f.Integer(required=True)
    slot_start = f.String(required=True)
    name = f.String(allow_none=True)
    nik_last4 = f.String(allow_none=True)
    priority_group = f.String(allow_none=True)
    status = f.String(required=True)
    rescheduled = f.Integer(required=True)
    page_url = f.String(required=True)
    qr_url = f.String(required=True)


class CheckedInOut(ma.Schema):
    code = f.String(required=True)
    on_time = f.Boolean(required=True, metadata={"description": "False: past the late window, queued as a walk-in"})
    number = f.String(required=True)
    token = f.String(required=True, metadata={"description": "The ticket's token (its page /t/<token>)"})
    queued_at = f.String(required=True)
    name = f.String(allow_none=True)
    nik_last4 = f.String(allow_none=True)
