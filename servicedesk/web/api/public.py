"""What anyone may ask: the office, its services, issuing a ticket and following it."""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint, abort

from ...domain.errors import NotAllowed, NotFound
from ...domain.model import Device
from ...domain.numbering import service_day
from ...extensions import db, limiter
from ...persistence import queries
from ...persistence.repository import Repository
from ...realtime import payloads, snapshots
from ...services import devices, survey, tickets
from ..context import now, unit_of_work
from ..kiosk_devices import kiosk_token_required, print_issued_slip
from ..links import public_url_for
from .errors import ErrorSchema
from .schemas import (
    IssuedOut,
    IssueHeaders,
    IssueTicketIn,
    OfficeOut,
    ServiceOut,
    SurveyIn,
    SurveyOut,
    TicketPublicOut,
)

blp = Blueprint("public_api", __name__, url_prefix="/api/v1", description="Public: kiosk and visitors")


@blp.get("/office")
@blp.response(200, OfficeOut)
def office():
    """The office's public settings (name, language, time zone, running text)."""
    return snapshots.office_public(Repository(db.session).office())


def _policy_of(repo):
    """The calendar of a service's agency, as kept: every idle kiosk asks again and again."""
    return lambda agency_id: repo.issuing_policy(kept=True, agency_id=agency_id)


@blp.get("/services")
@blp.response(200, ServiceOut(many=True))
def list_services():
    """Active services with their published Standar Pelayanan, current waiting count, and why a ticket
    cannot be taken now (closed, holiday, break, cut-off, quota) so the kiosk says it before the choice."""
    repo, moment = unit_of_work().repo, now()  # the app's settings cache: every idle kiosk asks again and again
    office, services = repo.office(kept=True), queries.services(db.session)
    lines = queries.service_lines(db.session, services, moment, day=service_day(moment, office.time_zone))
    refusals = queries.refusals_now(db.session, services, _policy_of(repo), moment)
    return [payloads.service_public(s, lines[s.id], refusals[s.id]) for s in services]


@blp.get("/services/<int:service_id>")
@blp.response(200, ServiceOut)
@blp.alt_response(404, schema=ErrorSchema)
def get_service(service_id: int):
    repo, moment = unit_of_work().repo, now()
    service = repo.service(service_id)
    if service is None or not service.active:
        raise NotFound(f"No active service with id {service_id}.")
    office = repo.office(kept=True)
    refusal = queries.refusals_now(db.session, [service], _policy_of(repo), moment)
    line = queries.line_of(db.session, service, moment, day=service_day(moment, office.time_zone))
    return payloads.service_public(service, line, refusal[service.id])


#: Default limit on issuing per kiosk (or per address without a device token); ISSUE_RATE_LIMIT overrides.
ISSUE_RATE_LIMIT = "30 per minute"
DEVICE_HEADER = "X-Device-Token"


def issuing_limit() -> str:
    return current_app.config.get("ISSUE_RATE_LIMIT", ISSUE_RATE_LIMIT)


def issuing_key() -> str:
    """Each kiosk counts on its own, even when several sit behind one office router."""
    token = request.headers.get(DEVICE_HEADER)
    if token:
        return "kiosk:" + devices.hash_token(token)[:24]
    return "address:" + get_remote_address()


def issuing_rate_limit(view):
    """The issuing routes' rate limit (each route its own count): per kiosk, else per address."""
    return limiter.limit(
        issuing_limit,
        key_func=issuing_key,
        error_message="Too many tickets were taken from this kiosk in a short time. Please wait a moment.",
    )(view)


def require_kiosk(repo: Repository, token: str | None) -> Device | None:
    """A wrong token is always refused; a missing one when registered kiosks are required."""
    if token:
        device = devices.authenticate(repo, token, "kiosk")
        if device is None:
            raise NotAllowed("This kiosk's device token is not valid.", code="device_token_invalid")
        return device
    if kiosk_token_required(repo.office(kept=True)):
        raise NotAllowed("Tickets are issued only by a registered kiosk.", code="device_token_required")
    return None


@blp.post("/tickets")
@blp.arguments(IssueHeaders(), location="headers", as_kwargs=True)
@blp.arguments(IssueTicketIn(), as_kwargs=True)
@blp.response(201, IssuedOut)
@blp.alt_response(403, schema=ErrorSchema, description="device_token_required or device_token_invalid")
@blp.alt_response(404, schema=ErrorSchema, description="Unknown service")
@blp.alt_response(409, schema=ErrorSchema, description="Closed, holiday, break, cut-off, quota or inactive")
@blp.alt_response(429, schema=ErrorSchema, description="Too many tickets from this kiosk or address")
@issuing_rate_limit
def issue(
    service_id: int,
    priority: bool,
    priority_group: str | None = None,
    idempotency_key: str | None = None,
    device_token: str | None = None,
):
    """Take a number. The same Idempotency-Key always answers with the same ticket."""
    with unit_of_work() as uow:
        uow.write_in_one_statement()
        device = require_kiosk(uow.repo, device_token)
        issued = tickets.issue_ticket(
            uow,
            service_id=service_id,
            priority=priority,
            idempotency_key=idempotency_key,
            priority_group=priority_group,
        )
    ticket = issued.ticket
    if issued.place is not None:
        service, (ahead, estimate) = issued.service, issued.place
    else:  # a replayed answer: the ticket's place now
        service, _, ahead, estimate = queries.ticket_status(db.session, ticket, now())
    status_url = public_url_for("public_api.ticket_status", token=ticket.token)
    headers = {"Idempotent-Replayed": "true"} if issued.replayed else {}
    # After the commit: a kiosk's ESC/POS printer that fails is reported, never a lost ticket.
    printed = print_issued_slip(device, ticket, service, ahead, estimate)
    body = payloads.ticket_issued(ticket, service, ahead, estimate, status_url)
    return {**body, **payloads.slip_printed(printed.mode, printed.printed, printed.error)}, 201, headers


@blp.get("/tickets/<string:token>")
@blp.response(200, TicketPublicOut)
@blp.alt_response(404, schema=ErrorSchema)
def ticket_status(token: str):
    """A visitor's ticket: status, people ahead, estimated wait, the counter once called."""
    ticket = Repository(db.session).ticket_by_token(token)
    if ticket is None:
        raise NotFound("No such ticket.")
    return snapshots.ticket(db.session, ticket, now())["ticket"]


@blp.post("/tickets/<string:token>/withdraw")
@blp.response(200, TicketPublicOut)
@blp.alt_response(404, schema=ErrorSchema)
@blp.alt_response(409, schema=ErrorSchema)
def withdraw(token: str):
    """The visitor cancels their own ticket while it is still waiting."""
    with unit_of_work() as uow:
        ticket = tickets.cancel_by_visitor(uow, token=token)
    return snapshots.ticket(db.session, ticket, now())["ticket"]


def _finished_ticket(token: str):
    ticket = Repository(db.session).ticket_by_token(token)
    if ticket is None:
        raise NotFound("No such ticket.")
    return ticket


@blp.get("/tickets/<string:token>/survey")
@blp.response(200, SurveyOut)
@blp.alt_response(404, schema=ErrorSchema)
def survey_status(token: str):
    """Whether the visitor may still answer the satisfaction survey (SKM) for this ticket."""
    ticket = _finished_ticket(token)
    response = Repository(db.session).survey_response_of(ticket.id)
    expired = response is None and survey.link_expired(ticket, Repository(db.session).office(), now())
    return {
        "answered": response is not None,
        "open": response is None and ticket.status.value == "done" and not expired,
        "expired": expired,
        "submitted_at": payloads.iso(response.submitted_at) if response else None,
    }


@blp.post("/tickets/<string:token>/survey")
@blp.arguments(SurveyIn(), as_kwargs=True)
@blp.response(201, SurveyOut)
@blp.alt_response(404, schema=ErrorSchema)
@blp.alt_response(409, schema=ErrorSchema, description="survey_not_open, survey_already_answered or survey_expired")
def submit_survey(
    token: str, answers: dict, comment: str | None = None, profile: dict | None = None, is_complaint: bool = False
):
    """The visitor's nine answers (1-4), an optional profile and comment; one response per finished ticket."""
    try:
        with unit_of_work() as uow:
            response = survey.submit_response(
                uow, token=token, answers=answers, comment=comment, profile=profile, is_complaint=is_complaint
            )
    except survey.InvalidAnswers as error:
        abort(422, message=f"Invalid request: {error}")
    return {"answered": True, "open": False, "expired": False, "submitted_at": payloads.iso(response.submitted_at)}
