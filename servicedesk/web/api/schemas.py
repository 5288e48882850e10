"""Request and response schemas: they validate input and generate the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


# --- requests ---


class IssueTicketIn(Strict):
    service_id = f.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))
    priority = f.Boolean(load_default=False, metadata={"description": "Priority group (kelompok rentan)"})


class IdempotencyHeader(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    idempotency_key = f.String(
        data_key="Idempotency-Key",
        validate=validate.Length(min=8, max=128),
        metadata={"description": "Same key, same ticket: a double tap on a kiosk never makes two."},
    )


class LoginIn(Strict):
    username = f.String(required=True, validate=validate.Length(min=1, max=64))
    password = f.String(required=True, validate=validate.Length(min=1, max=256), load_only=True)


class CallTicketIn(Strict):
    ticket_id = f.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))
    reason = f.String(required=True, validate=validate.Length(min=1, max=500))


class ActionIn(Strict):
    reason = f.String(validate=validate.Length(max=500))


class ResumeIn(Strict):
    counter_id = f.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1))


class TransferIn(Strict):
    to_service_id = f.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))
    note = f.String(validate=validate.Length(max=500))


# --- responses ---


class ServiceRef(ma.Schema):
    id = f.Integer(required=True)
    code = f.String(required=True)
    name = f.String(required=True)
    name_en = f.String(required=True)


class CounterRef(ma.Schema):
    id = f.Integer(required=True)
    number = f.Integer(required=True)
    name = f.String(required=True)
    area = f.String(required=True)


class Sop(ma.Schema):
    number = f.String(required=True)
    effective_date = f.String(allow_none=True, required=True)
    approved_by = f.String(required=True)


class ServiceOut(ServiceRef):
    description = f.String(required=True)
    unit = f.String(required=True)
    requirements = f.List(f.String(), required=True)
    procedure = f.List(f.String(), required=True)
    standard_minutes = f.Integer(required=True)
    fee = f.String(required=True)
    product = f.String(required=True)
    complaint_channel = f.String(required=True)
    sop = f.Nested(Sop, required=True)
    daily_quota = f.Integer(allow_none=True, required=True)
    cutoff_time = f.String(allow_none=True, required=True)
    priority_allowed = f.Boolean(required=True)
    waiting = f.Integer(required=True)
    estimated_wait_minutes = f.Integer(required=True)


class IssuedOut(ma.Schema):
    id = f.Integer(required=True)
    number = f.String(required=True)
    status = f.String(required=True)
    priority = f.Boolean(required=True)
    service = f.Nested(ServiceRef, required=True)
    people_ahead = f.Integer(required=True)
    estimated_wait_minutes = f.Integer(required=True)
    token = f.String(required=True)
    status_url = f.String(required=True)
    created_at = f.String(required=True)


class TicketPublicOut(ma.Schema):
    number = f.String(required=True)
    status = f.String(required=True)
    priority = f.Boolean(required=True)
    service = f.Nested(ServiceRef, required=True)
    counter = f.Nested(CounterRef, allow_none=True, required=True)
    people_ahead = f.Integer(required=True)
    estimated_wait_minutes = f.Integer(required=True)
    recall_count = f.Integer(required=True)
    created_at = f.String(required=True)
    called_at = f.String(allow_none=True, required=True)


class TicketStaffOut(ma.Schema):
    id = f.Integer(required=True)
    number = f.String(required=True)
    status = f.String(required=True)
    priority = f.Boolean(required=True)
    service = f.Nested(ServiceRef, required=True)
    counter = f.Nested(CounterRef, allow_none=True, required=True)
    officer_id = f.Integer(allow_none=True, required=True)
    issued_at = f.String(required=True)
    queued_at = f.String(required=True)
    called_at = f.String(allow_none=True, required=True)
    started_at = f.String(allow_none=True, required=True)
    finished_at = f.String(allow_none=True, required=True)
    recall_count = f.Integer(required=True)
    transfer_note = f.String(allow_none=True, required=True)
    waiting_minutes = f.Float(required=True)
    standard_minutes = f.Integer(required=True)


class QueueLineOut(ma.Schema):
    service_id = f.Integer(required=True)
    code = f.String(required=True)
    name = f.String(required=True)
    name_en = f.String(required=True)
    waiting = f.Integer(required=True)
    waiting_numbers = f.List(f.String(), required=True)
    counters_open = f.Integer(required=True)
    minutes_per_person = f.Float(required=True)
    longest_wait_since = f.String(allow_none=True, required=True)


class CounterOut(CounterRef):
    status = f.String(required=True)
    current_number = f.String(allow_none=True, required=True)
    officer_id = f.Integer(allow_none=True, required=True)
    officer_name = f.String(allow_none=True, required=True)
    current_ticket_id = f.Integer(allow_none=True, required=True)
    current_status = f.String(allow_none=True, required=True)
    service_ids = f.List(f.Integer(), required=True)


class QueueOut(ma.Schema):
    kind = f.String(required=True)
    queues = f.List(f.Nested(QueueLineOut), required=True)
    counters = f.List(f.Nested(CounterOut), required=True)
    tickets = f.List(f.Nested(TicketStaffOut), required=True)


class UserOut(ma.Schema):
    id = f.Integer(required=True)
    username = f.String(required=True)
    full_name = f.String(required=True)
    role = f.String(required=True)
    competences = f.List(f.Nested(ServiceRef), required=True)


class OfficeOut(ma.Schema):
    name = f.String(required=True)
    address = f.String(required=True)
    time_zone = f.String(required=True)
    language = f.String(required=True)
    running_text = f.String(required=True)
    number_reading = f.String(required=True)


class OkOut(ma.Schema):
    ok = f.Boolean(required=True)
