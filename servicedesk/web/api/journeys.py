"""Journeys: one visitor, several services (often of different agencies) in sequence on one slip."""

from __future__ import annotations

from flask_smorest import Blueprint

from ...domain.errors import NotFound
from ...extensions import db
from ...persistence import queries
from ...persistence.repository import Repository
from ...realtime import payloads, snapshots
from ...services import journeys
from ..context import now, unit_of_work
from ..kiosk_devices import print_issued_slip
from ..links import public_url_for
from .errors import ErrorSchema
from .journey_schemas import JourneyIn, JourneyOut, JourneyStartedOut
from .public import issuing_rate_limit, require_kiosk
from .schemas import IssueHeaders

blp = Blueprint("journeys_api", __name__, url_prefix="/api/v1", description="Public: journeys across agencies")


def journey_body(journey) -> dict:
    return snapshots.journey(db.session, journey, lambda token: public_url_for("public_api.ticket_status", token=token))


@blp.post("/journeys")
@blp.arguments(IssueHeaders(), location="headers", as_kwargs=True)
@blp.arguments(JourneyIn(), as_kwargs=True)
@blp.response(201, JourneyStartedOut)
@blp.alt_response(403, schema=ErrorSchema, description="device_token_required or device_token_invalid")
@blp.alt_response(404, schema=ErrorSchema, description="journey_unknown_service")
@blp.alt_response(
    409,
    schema=ErrorSchema,
    description="journey_repeated_service, journey_inactive_service, or the first service is closed, on holiday "
    "or past its quota",
)
@blp.alt_response(422, schema=ErrorSchema, description="journey_too_short or journey_too_long")
@blp.alt_response(429, schema=ErrorSchema, description="Too many tickets from this kiosk or address")
@issuing_rate_limit
def start(
    service_ids: list[int],
    priority: bool,
    priority_group: str | None = None,
    idempotency_key: str | None = None,
    device_token: str | None = None,
):
    """Start a journey: its first step's ticket is issued now, each next one when the previous is finished."""
    with unit_of_work() as uow:
        device = require_kiosk(uow.repo, device_token)
        started = journeys.start_journey(
            uow, service_ids, priority=priority, priority_group=priority_group, idempotency_key=idempotency_key
        )
    ticket = started.issued.ticket
    service, _, ahead, estimate = queries.ticket_status(db.session, ticket, now())
    printed = print_issued_slip(device, ticket, service, ahead, estimate)
    status_url = public_url_for("public_api.ticket_status", token=ticket.token)
    first = {**payloads.ticket_issued(ticket, service, ahead, estimate, status_url)}
    first |= payloads.slip_printed(printed.mode, printed.printed, printed.error)
    headers = {"Idempotent-Replayed": "true"} if started.issued.replayed else {}
    return {**journey_body(started.journey), "ticket": first}, 201, headers


@blp.get("/journeys/<string:token>")
@blp.response(200, JourneyOut)
@blp.alt_response(404, schema=ErrorSchema)
def get(token: str):
    """A visitor's journey: each step's agency, service, state and ticket once issued."""
    journey = Repository(db.session).journey_by_token(token)
    if journey is None:
        raise NotFound("No such journey.")
    return journey_body(journey)
