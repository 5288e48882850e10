"""What the booking page and the booking API both say of a booking and a day's slots."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app
from flask_login import current_user

from ..domain.booking import Booking
from ..domain.errors import NotAllowed
from ..extensions import db
from ..persistence.repository import Repository
from ..services import devices
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
                "priority_seats": s.slot.priority_seats,
                "priority_free": s.priority_free,
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
        "priority_group": booking.priority_group,
        "status": str(booking.status),
        "rescheduled": booking.rescheduled,
        "page_url": public_url_for("booking.page", token=booking.token),
        "qr_url": public_url_for("booking.qr_svg", token=booking.token),
    }


def require_check_in_place(token: str | None) -> None:
    """A booking is checked in at the office only: by staff (reception) or by a registered kiosk when
    the office registers its kiosks, so nobody checks in from home to keep a slot they will miss."""
    if getattr(current_user, "is_authenticated", False):
        return
    repo = Repository(db.session)
    if token:
        if devices.authenticate(repo, token, "kiosk") is None:
            raise NotAllowed("This kiosk's device token is not valid.", code="device_token_invalid")
        return
    if current_app.config.get("REQUIRE_DEVICE_TOKEN") or repo.office(kept=True).require_device_token:
        raise NotAllowed("Bookings are checked in at the office's kiosk or reception.", code="device_token_required")
