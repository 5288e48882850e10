"""The house error answer `{"error": {"code", "message", "details"}}`, and the status of each domain error.

Below every blueprint: the API's handlers (web/api/errors.py), the kiosk's JSON views, the officer
console and the door-keeping handlers (hostile.py, csrf_page.py) all answer through here.
"""

from __future__ import annotations

from flask import jsonify

from ..domain.booking import BookingRefused
from ..domain.errors import (
    CounterBusy,
    DomainError,
    InvalidTransition,
    IssuingRefused,
    NotAllowed,
    NotFound,
    QueueEmpty,
)
from ..domain.journey import JourneyLength, JourneyRefused
from ..domain.nik import IdentityRefused

DOMAIN_STATUS = [
    (QueueEmpty, 404),
    (NotFound, 404),
    (IssuingRefused, 409),
    (InvalidTransition, 409),
    (CounterBusy, 409),
    (NotAllowed, 403),
    (BookingRefused, 409),
    (IdentityRefused, 422),
    (JourneyLength, 422),
    (JourneyRefused, 409),
]


def error_response(status: int, code: str, message: str, details: dict | None = None, headers=None):
    body = {"code": code, "message": message}
    if details:
        body["details"] = details
    response = jsonify({"error": body})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def domain_status(error: DomainError) -> int:
    if error.code == "unauthorized":
        return 401
    return next((status for kind, status in DOMAIN_STATUS if isinstance(error, kind)), 400)
