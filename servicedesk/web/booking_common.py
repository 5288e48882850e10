"""What the booking page and the booking API both say of a booking and a day's slots."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app

from ..domain.booking import Booking
from ..services.booking import DayPlan
from .links import public_url_for


def secret() -> str | bytes:
    """The key of the NIK's and the device id's HMAC: the app's own secret."""
    return current_app.secret_key


def local_time(moment, time_zone: str) -> str:
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%H:%M")


def day_json(service_id: int, plan: DayPlan, time_zone: str) -> dict:
    return {
        "service_id": service_id,
        "day": plan.day,
        "online": plan.capacity.online,
        "walk_in": plan.capacity.walk_in,
        "priority": plan.capacity.priority,
        "slots": [
            {
                "start": s.slot.start.isoformat(),
                "time": local_time(s.slot.start, time_zone),
                "seats": s.slot.seats,
                "free": s.free,
            }
            for s in plan.slots
        ],
    }


def booking_json(booking: Booking) -> dict:
    return {
        "code": booking.code,
        "token": booking.token,
        "service_id": booking.service_id,
        "slot_start": booking.slot_start.isoformat(),
        "name": booking.name,
        "nik_last4": booking.nik_last4,
        "status": str(booking.status),
        "rescheduled": booking.rescheduled,
        "page_url": public_url_for("booking.page", token=booking.token),
        "qr_url": public_url_for("booking.qr_svg", token=booking.token),
    }
