"""What anyone may ask: the office, its services, issuing a ticket and following it."""

from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint

from ...domain.errors import NotFound
from ...extensions import db
from ...persistence import queries
from ...persistence.repository import Repository
from ...realtime import payloads, snapshots
from ...services import tickets
from ..context import now, unit_of_work
from .errors import ErrorSchema
from .schemas import IdempotencyHeader, IssuedOut, IssueTicketIn, OfficeOut, ServiceOut, TicketPublicOut

blp = Blueprint("public_api", __name__, url_prefix="/api/v1", description="Public: kiosk and visitors")


@blp.get("/office")
@blp.response(200, OfficeOut)
def office():
    """The office's public settings (name, language, time zone, running text)."""
    return snapshots.office_public(Repository(db.session).office())


@blp.get("/services")
@blp.response(200, ServiceOut(many=True))
def list_services():
    """Active services with their published Standar Pelayanan and current waiting count."""
    services = queries.services(db.session)
    lines = queries.service_lines(db.session, services, now())
    return [payloads.service_public(s, lines[s.id]) for s in services]


@blp.get("/services/<int:service_id>")
@blp.response(200, ServiceOut)
@blp.alt_response(404, schema=ErrorSchema)
def get_service(service_id: int):
    service = Repository(db.session).service(service_id)
    if service is None or not service.active:
        raise NotFound(f"No active service with id {service_id}.")
    return payloads.service_public(service, queries.line_of(db.session, service, now()))


@blp.post("/tickets")
@blp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@blp.arguments(IssueTicketIn, as_kwargs=True)
@blp.response(201, IssuedOut)
@blp.alt_response(404, schema=ErrorSchema, description="Unknown service")
@blp.alt_response(409, schema=ErrorSchema, description="Closed, holiday, break, cut-off, quota or inactive")
def issue(service_id: int, priority: bool, idempotency_key: str | None = None):
    """Take a number. The same Idempotency-Key always answers with the same ticket."""
    with unit_of_work() as uow:
        issued = tickets.issue_ticket(uow, service_id=service_id, priority=priority, idempotency_key=idempotency_key)
    ticket = issued.ticket
    service, _, ahead, estimate = queries.ticket_status(db.session, ticket, now())
    status_url = url_for("public_api.ticket_status", token=ticket.token, _external=True)
    headers = {"Idempotent-Replayed": "true"} if issued.replayed else {}
    return payloads.ticket_issued(ticket, service, ahead, estimate, status_url), 201, headers


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
