"""Booking ahead over the API: bookable services, a day's free slots, book, see, cancel, reschedule, check in."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask_smorest import Blueprint

from ...extensions import db, limiter
from ...persistence.bookings import BookingRepository
from ...persistence.repository import Repository
from ...services import booking as bookings
from ..booking_common import booking_json, day_json, require_check_in_place, secret
from ..context import unit_of_work
from .booking_schemas import (
    BookableServiceOut,
    BookHeaders,
    BookIn,
    BookingOut,
    CheckedInOut,
    CheckInIn,
    DayIn,
    DayOut,
    KioskHeaders,
    RescheduleIn,
)
from .errors import ErrorSchema

blp = Blueprint("booking_api", __name__, url_prefix="/api/v1", description="Booking ahead (no login)")

#: Per address: enough for a family at one phone, too few to guess codes or sweep slots.
BOOKING_RATE_LIMIT = "20 per minute"


@blp.get("/booking/services")
@blp.response(200, BookableServiceOut(many=True))
def bookable_services():
    """The services that can be booked ahead, with their check-in window and whether a NIK is asked."""
    repo, out = BookingRepository(db.session), []
    for service_id in repo.bookable_service_ids():
        service, settings = Repository(db.session).service(service_id), repo.settings(service_id)
        if service is not None and service.active:
            out.append({"id": service.id, "code": service.code, "name": service.name, **vars_of(settings)})
    return out


def vars_of(settings) -> dict:
    names = ("requires_identity", "early_minutes", "late_minutes", "horizon_days", "change_cutoff_hours", "same_day")
    return {name: getattr(settings, name) for name in names}


@blp.get("/booking/services/<int:service_id>/slots")
@blp.arguments(DayIn(), location="query", as_kwargs=True)
@blp.response(200, DayOut)
@blp.alt_response(404, schema=ErrorSchema)
@blp.alt_response(409, schema=ErrorSchema, description="booking_not_offered, day_out_of_range")
def day_slots(service_id: int, day: date):
    """A day's capacity split and its slots with the seats still free."""
    uow = unit_of_work()
    plan = bookings.day_plan(uow, service_id, day)
    return day_json(service_id, plan, uow.repo.office().time_zone)


@blp.post("/bookings")
@blp.arguments(BookHeaders(), location="headers", as_kwargs=True)
@blp.arguments(BookIn(), as_kwargs=True)
@blp.response(201, BookingOut)
@blp.alt_response(409, schema=ErrorSchema, description="slot_full, limit_*, too_many_no_shows, booking_not_offered")
@blp.alt_response(422, schema=ErrorSchema, description="nik_*, phone_invalid")
@limiter.limit(BOOKING_RATE_LIMIT)
def book(idempotency_key: str | None = None, **body):
    """Book a slot. The same Idempotency-Key always answers with the same booking."""
    uow = unit_of_work()
    slot_start = body.pop("slot_start")
    zone = uow.repo.office().time_zone
    made, replayed = bookings.book(
        uow,
        secret=secret(),
        day=slot_start.astimezone(ZoneInfo(zone)).date(),
        slot_start=slot_start,
        idempotency_key=idempotency_key,
        **body,
    )
    return booking_json(made), 201, {"Idempotent-Replayed": "true"} if replayed else {}


@blp.get("/bookings/<string:token>")
@blp.response(200, BookingOut)
@blp.alt_response(404, schema=ErrorSchema)
def get_booking(token: str):
    return booking_json(bookings.by_token(unit_of_work(), token))


@blp.post("/bookings/<string:token>/cancel")
@blp.response(200, BookingOut)
@blp.alt_response(404, schema=ErrorSchema)
@blp.alt_response(409, schema=ErrorSchema, description="not_changeable, change_cutoff_passed")
def cancel(token: str):
    """Cancel up to the service's cut-off; the seat is free again at once."""
    return booking_json(bookings.cancel(unit_of_work(), token))


@blp.post("/bookings/<string:token>/reschedule")
@blp.arguments(RescheduleIn(), as_kwargs=True)
@blp.response(200, BookingOut)
@blp.alt_response(404, schema=ErrorSchema)
@blp.alt_response(409, schema=ErrorSchema, description="already_rescheduled, slot_full, change_cutoff_passed")
def reschedule(token: str, slot_start):
    """Move to another free slot, once, up to the cut-off."""
    uow = unit_of_work()
    day = slot_start.astimezone(ZoneInfo(uow.repo.office().time_zone)).date()
    return booking_json(bookings.reschedule(uow, token, day, slot_start, secret=secret()))


@blp.post("/bookings/check-in")
@blp.arguments(KioskHeaders(), location="headers", as_kwargs=True)
@blp.arguments(CheckInIn(), as_kwargs=True)
@blp.response(201, CheckedInOut)
@blp.alt_response(404, schema=ErrorSchema)
@blp.alt_response(403, schema=ErrorSchema, description="device_token_required or device_token_invalid")
@blp.alt_response(409, schema=ErrorSchema, description="too_early, not_today, not_checkable, or issuing refused")
@limiter.limit(BOOKING_RATE_LIMIT)
def check_in(code: str, device_token: str | None = None):
    """At the kiosk (typed or scanned) or at reception: the booking becomes a ticket, in line at its
    slot time when within the window, else as a walk-in now."""
    require_check_in_place(device_token)
    done = bookings.check_in(unit_of_work(), code)
    ticket = done.issued.ticket
    return {
        "code": done.booking.code,
        "on_time": done.on_time,
        "number": ticket.number,
        "token": ticket.token,
        "queued_at": ticket.queued_at.isoformat(),
        "name": done.booking.name,
        "nik_last4": done.booking.nik_last4,
    }
