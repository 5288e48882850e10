"""Every API error is `{"error": {"code", "message"}}` with the right status, never an HTML page or a 500."""

from __future__ import annotations

import logging

import marshmallow as ma
from flask import current_app, jsonify, request
from flask_smorest import Api
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from ...domain.booking import BookingRefused
from ...domain.errors import (
    CounterBusy,
    DomainError,
    InvalidTransition,
    IssuingRefused,
    NotAllowed,
    NotFound,
    QueueEmpty,
)
from ...domain.nik import IdentityRefused

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}

DOMAIN_STATUS = [
    (QueueEmpty, 404),
    (NotFound, 404),
    (IssuingRefused, 409),
    (InvalidTransition, 409),
    (CounterBusy, 409),
    (NotAllowed, 403),
    (BookingRefused, 409),
    (IdentityRefused, 422),
]


class ErrorDetail(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "Stable machine-readable code"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong, for a person"})
    details = ma.fields.Dict(metadata={"description": "Extra facts, e.g. field errors or opening time"})


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorDetail, required=True)


def error_response(status: int, code: str, message: str, details: dict | None = None, headers=None):
    body = {"code": code, "message": message}
    if details:
        body["details"] = details
    response = jsonify({"error": body})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _flatten(messages, prefix: str = "") -> list[str]:
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            name = key if key not in ("json", "_schema") else ""
            out.extend(_flatten(value, f"{prefix}.{name}" if prefix and name else (name or prefix)))
        return out
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [f"{prefix}: {' '.join(messages)}" if prefix else " ".join(messages)]
    if isinstance(messages, list):
        return [line for m in messages for line in _flatten(m, prefix)]
    return [f"{prefix}: {messages}" if prefix else str(messages)]


def domain_status(error: DomainError) -> int:
    if error.code == "unauthorized":
        return 401
    return next((status for kind, status in DOMAIN_STATUS if isinstance(error, kind)), 400)


class ServiceDeskApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException):
        if not request.path.startswith("/api/"):
            return error
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        messages = data.get("messages") or data.get("errors")
        if status == 500:
            log.error(
                "internal error on %s %s",
                request.method,
                request.path,
                exc_info=getattr(error, "original_exception", None),
            )
        if messages:
            message = "Invalid request: " + "; ".join(_flatten(messages))
            details = {"fields": messages.get("json", messages) if isinstance(messages, dict) else messages}
        else:
            message = data.get("message") or error.description or error.name
            details = None
        code = HTTP_CODES.get(status, "error")
        if status == 400 and messages:
            code = "malformed_json"
        # Keep what the exception says in headers (Allow on 405, Retry-After on 429).
        headers = {k: v for k, v in error.get_headers() if k.lower() not in ("content-type", "content-length")}
        headers.update(data.get("headers") or {})
        return error_response(status, code, message, details, headers)


def register_domain_errors(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        if not request.path.startswith("/api/"):
            raise error
        return error_response(domain_status(error), error.code, error.message, error.details or None)

    @app.errorhandler(PoolTimeout)
    def no_connection_free(error: PoolTimeout):
        # Every pooled connection stayed busy for pool_timeout: a peak beyond what the pool holds.
        log.warning("no database connection free: %s", error)
        message = "The server is busy right now; try again shortly."
        if request.path.startswith("/api/"):
            return error_response(503, "busy", message, headers={"Retry-After": "1"})
        return message, 503, {"Retry-After": "1"}

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        current_app.extensions["sqlalchemy"].session.rollback()
        if isinstance(error, IntegrityError):
            log.warning("integrity error: %s", error)
            status, code, message = 409, "conflict", "The change conflicts with data already stored."
        elif isinstance(error, DataError):
            log.warning("data error: %s", error)
            status, code, message = 422, "validation_error", "A value is out of the range the database accepts."
        elif isinstance(error, OperationalError) or error.connection_invalidated:
            log.warning("database unavailable: %s", error)
            status, code = 503, "unavailable"
            message = "The database is not reachable right now; try again shortly."
        else:
            raise error
        if request.path.startswith("/api/"):
            return error_response(status, code, message)
        return message, status


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


def require_json_bodies():
    """The API takes JSON or no body. A cross-site HTML form can only send the form types refused here,
    so a logged-in officer's browser cannot be made to call or finish tickets from another site."""
    unsafe = request.method in ("POST", "PUT", "PATCH", "DELETE")
    if unsafe and request.path.startswith("/api/") and request.mimetype in FORM_TYPES:
        return error_response(415, "unsupported_media_type", "Send a JSON body (Content-Type: application/json).")
    return None
