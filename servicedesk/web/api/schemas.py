"""Request and response schemas: they validate input and generate the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate

from ...domain.survey import PROFILE, profile_codes
from ..converters import MAX_ROW_ID


class Strict(ma.Schema):
    """A request body: unknown fields are refused."""

    class Meta:
        unknown = ma.RAISE


# --- requests ---

#: No text column takes a NUL character: refused, and said so in the OpenAPI document (a pattern).
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="Must not contain a NUL character.")


def text(*, max_length: int, min_length: int | None = None, **kwargs) -> f.String:
    return f.String(validate=[validate.Length(min=min_length, max=max_length), NO_NUL], **kwargs)


def row_id(**kwargs) -> f.Integer:
    """A row's id: a whole number (never a string of digits) that fits the database's INTEGER."""
    return f.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ROW_ID), **kwargs)


class Headers(ma.Schema):
    """Request headers: the others a browser or proxy sends are ignored."""

    class Meta:
        unknown = ma.EXCLUDE


def device_token(description: str) -> f.String:
    """A registered kiosk's X-Device-Token header."""
    return f.String(
        data_key="X-Device-Token", validate=validate.Length(min=8, max=128), metadata={"description": description}
    )


class IssueTicketIn(Strict):
    service_id = row_id(required=True)
    priority = f.Boolean(load_default=False, metadata={"description": "Priority group (kelompok rentan)"})
    priority_group = f.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "Which priority group (a key of GET /office priority_groups); implies priority"},
    )


class IdempotencyHeader(Headers):
    idempotency_key = f.String(
        data_key="Idempotency-Key",
        validate=validate.Length(min=8, max=128),
        metadata={"description": "Same key, same ticket: a double tap on a kiosk never makes two."},
    )


class LoginIn(Strict):
    username = text(required=True, min_length=1, max_length=64)
    password = text(required=True, min_length=1, max_length=256, load_only=True)


class CallTicketIn(Strict):
    ticket_id = row_id(required=True)
    reason = text(required=True, min_length=1, max_length=500)


class ActionIn(Strict):
    reason = text(max_length=500)


class CancelIn(Strict):
    reason = text(
        required=True,
        min_length=1,
        max_length=200,
        metadata={"description": "One of the office's cancel reasons (GET /api/v1/cancel-reasons)"},
    )
    note = text(max_length=280, metadata={"description": "The officer's own words, kept with the reason"})


class ResumeIn(Strict):
    counter_id = row_id()


class TransferIn(Strict):
    to_service_id = row_id(required=True)
    note = text(max_length=500)


# --- responses ---


class ServiceRef(ma.Schema):
    id = f.Integer(required=True)
    code = f.String(required=True)
    name = f.String(required=True)
    name_en = f.String(required=True)
    agency_id = f.Integer(
        allow_none=True, required=True, metadata={"description": "The agency (instansi) serving it; null: the site's"}
    )


class CounterRef(ma.Schema):
    id = f.Integer(required=True)
    number = f.Integer(required=True)
    name = f.String(required=True)
    area = f.String(required=True)


class Sop(ma.Schema):
    number = f.String(required=True)
    effective_date = f.String(allow_none=True, required=True)
    approved_by = f.String(required=True)


class Refusal(ma.Schema):
    code = f.String(required=True)
    details = f.Dict(required=True)


class ServiceEnglish(ma.Schema):
    description = f.String(required=True)
    requirements = f.List(f.String(), required=True)
    procedure = f.List(f.String(), required=True)
    fee = f.String(required=True)
    product = f.String(required=True)
    complaint_channel = f.String(required=True)


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
    counters_open = f.Integer(required=True, metadata={"description": "Counters open for this service now"})
    en = f.Nested(
        ServiceEnglish,
        required=True,
        metadata={"description": "English versions of the published texts; an empty one means use the Indonesian"},
    )
    refusal = f.Nested(
        Refusal,
        allow_none=True,
        required=True,
        metadata={"description": "Why no ticket can be taken now (the code POST /tickets would answer), or null"},
    )


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
    printed = f.Boolean(metadata={"description": "The server printed the slip on the kiosk's ESC/POS printer"})
    print_mode = f.String(metadata={"description": "browser (the kiosk prints), escpos_network or escpos_usb"})
    print_error = f.String(allow_none=True, metadata={"description": "Why the kiosk's printer did not print"})


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


class BookingHolderOut(ma.Schema):
    """A booking is not transferable: the counter compares this with the visitor's identity card."""

    code = f.String(required=True)
    name = f.String(allow_none=True, required=True)
    nik_last4 = f.String(allow_none=True, required=True)


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
    serving_since = f.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "While serving: now less the time served (holds left out), the moment the "
            "service timer counts from; null otherwise"
        },
    )
    finished_at = f.String(allow_none=True, required=True)
    recall_count = f.Integer(required=True)
    transfer_note = f.String(allow_none=True, required=True)
    waiting_minutes = f.Float(required=True)
    standard_minutes = f.Integer(required=True)
    booking = f.Nested(
        BookingHolderOut,
        allow_none=True,
        required=True,
        metadata={"description": "While called or served, whom the booking it was checked in from is for"},
    )


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


# --- the visitor's survey (SKM) and the kiosk's device token ---


class IssueHeaders(IdempotencyHeader):
    """Issuing's two headers, read in one pass."""

    device_token = device_token("A registered kiosk's token; required when the office requires it.")


def _answer(code: str, label: str) -> f.Integer:
    return f.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=4),
        metadata={"description": f"{code}: {label}, 1 (worst) to 4 (best)"},
    )


class SurveyAnswersIn(Strict):
    """The nine SKM elements of PermenPANRB 14/2017, each answered 1-4."""

    u1 = _answer("u1", "Persyaratan")
    u2 = _answer("u2", "Sistem, mekanisme dan prosedur")
    u3 = _answer("u3", "Waktu penyelesaian")
    u4 = _answer("u4", "Biaya/tarif")
    u5 = _answer("u5", "Produk spesifikasi jenis pelayanan")
    u6 = _answer("u6", "Kompetensi pelaksana")
    u7 = _answer("u7", "Perilaku pelaksana")
    u8 = _answer("u8", "Penanganan pengaduan, saran dan masukan")
    u9 = _answer("u9", "Sarana dan prasarana")


def _profile(name: str) -> f.String:
    codes = list(profile_codes(name))
    return f.String(
        allow_none=True,
        load_default=None,
        validate=validate.OneOf(codes),
        metadata={"description": f"{PROFILE[name][1]}: one of {', '.join(codes)}, or null (not answered)"},
    )


class SurveyProfileIn(Strict):
    """The respondent's profile (PermenPANRB 14/2017), every question optional."""

    gender = _profile("gender")
    age_group = _profile("age_group")
    education = _profile("education")
    occupation = _profile("occupation")


class SurveyIn(Strict):
    answers = f.Nested(SurveyAnswersIn, required=True)
    comment = text(allow_none=True, max_length=1000)
    profile = f.Nested(SurveyProfileIn)
    is_complaint = f.Boolean(
        load_default=False, metadata={"description": "The comment is a complaint, to be answered by a supervisor"}
    )


class SurveyOut(ma.Schema):
    answered = f.Boolean(required=True)
    open = f.Boolean(
        required=True, metadata={"description": "The ticket is finished, not answered yet, and the link still works"}
    )
    expired = f.Boolean(metadata={"description": "The survey link's time after service (office setting) is over"})
    submitted_at = f.String(allow_none=True, required=True)


class AlertOut(ma.Schema):
    kind = f.String(required=True, metadata={"description": "`waiting` or `serving`"})
    ticket_id = f.Integer(required=True)
    number = f.String(required=True)
    service = f.Nested(ServiceRef, required=True)
    counter = f.Nested(CounterRef, allow_none=True, required=True)
    since = f.String(
        required=True,
        metadata={"description": "When the wait began; for a service, now less the time served (holds left out)"},
    )
    minutes = f.Float(required=True)
    threshold_minutes = f.Integer(required=True, metadata={"description": "The service's alert threshold"})


class FiguresOut(ma.Schema):
    officer_id = f.Integer(required=True)
    full_name = f.String(required=True)
    served = f.Integer(required=True)
    no_shows = f.Integer(required=True)
    transferred = f.Integer(required=True)
    mean_service_minutes = f.Float(allow_none=True, required=True)
    within_standard = f.Integer(required=True)
    within_standard_share = f.Float(
        allow_none=True, required=True, metadata={"description": "Finished within the SOP standard time, 0..1"}
    )


class CancelReasonsOut(ma.Schema):
    reasons = f.List(f.String(), required=True)
