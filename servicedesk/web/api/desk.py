"""The officer's and supervisor's API: counters, calling, serving and the live queue."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint

from ...extensions import db
from ...persistence import figures, queries
from ...persistence.bookings import BookingRepository
from ...persistence.repository import Repository
from ...realtime import payloads, snapshots
from ...services import tickets
from ..context import now, unit_of_work
from .auth import staff_required, supervisor_required
from .errors import ErrorSchema
from .schemas import (
    ActionIn,
    AlertOut,
    CallTicketIn,
    CancelIn,
    CancelReasonsOut,
    CounterOut,
    FiguresOut,
    QueueOut,
    ResumeIn,
    TicketStaffOut,
    TransferIn,
)

blp = Blueprint("desk_api", __name__, url_prefix="/api/v1", description="Officers and supervisors")


def _staff_ticket(ticket) -> dict:
    repo = Repository(db.session)
    service = repo.service(ticket.service_id)
    counter = repo.counter(ticket.counter_id) if ticket.counter_id else None
    holder = BookingRepository(db.session).holders([ticket.id]).get(ticket.id)
    return payloads.ticket_staff(ticket, service, counter, now(), holder)


def _counter_out(counter) -> dict:
    current = queries.current_tickets(db.session, [counter.id]).get(counter.id)
    officer = Repository(db.session).user(counter.officer_id) if counter.officer_id else None
    return payloads.counter_staff(counter, current, officer.full_name if officer else None)


@blp.get("/queue")
@blp.response(200, QueueOut)
@blp.alt_response(401, schema=ErrorSchema)
@staff_required
def queue():
    """Waiting and active tickets per service, and every counter with its current ticket."""
    return snapshots.staff(db.session, now(), current_user.agency_id)


@blp.get("/counters")
@blp.response(200, CounterOut(many=True))
@blp.alt_response(401, schema=ErrorSchema)
@staff_required
def list_counters():
    return [_counter_out(c) for c in queries.counters(db.session, current_user.agency_id)]


def _counter_action(name: str, use_case, doc: str):
    @staff_required
    def view(counter_id: int):
        with unit_of_work() as uow:
            counter = use_case(uow, counter_id=counter_id, user_id=current_user.id)
        return _counter_out(counter)

    view.__name__ = f"counter_{name}"
    view.__doc__ = doc
    blp.route(f"/counters/<int:counter_id>/{name}", methods=["POST"])(
        blp.response(200, CounterOut)(
            blp.alt_response(403, schema=ErrorSchema)(
                blp.alt_response(404, schema=ErrorSchema)(blp.alt_response(409, schema=ErrorSchema)(view))
            )
        )
    )


_counter_action("open", tickets.open_counter, "Sit at this counter for today (closes any other you had open).")
_counter_action("break", tickets.pause_counter, "Take a break (istirahat): routing and estimates skip it.")
_counter_action("close", tickets.close_counter, "Close the counter (tutup).")


@blp.post("/counters/<int:counter_id>/call-next")
@blp.response(200, TicketStaffOut)
@blp.alt_response(403, schema=ErrorSchema)
@blp.alt_response(404, schema=ErrorSchema, description="`queue_empty` when nobody waits")
@blp.alt_response(409, schema=ErrorSchema)
@staff_required
def call_next(counter_id: int):
    """Call the next visitor: priority first within the office's rule, then the oldest."""
    with unit_of_work() as uow:
        ticket = tickets.call_next(uow, counter_id=counter_id, user_id=current_user.id)
    return _staff_ticket(ticket)


@blp.post("/counters/<int:counter_id>/call")
@blp.arguments(CallTicketIn(), as_kwargs=True)
@blp.response(200, TicketStaffOut)
@blp.alt_response(403, schema=ErrorSchema)
@blp.alt_response(404, schema=ErrorSchema)
@blp.alt_response(409, schema=ErrorSchema)
@staff_required
def call_specific(counter_id: int, ticket_id: int, reason: str):
    """Call one ticket out of order; the reason is logged."""
    with unit_of_work() as uow:
        ticket = tickets.call_ticket(
            uow, counter_id=counter_id, user_id=current_user.id, ticket_id=ticket_id, reason=reason
        )
    return _staff_ticket(ticket)


def _ticket_action(path: str, use_case, schema, doc: str):
    def view(ticket_id: int, **body):
        with unit_of_work() as uow:
            ticket = use_case(uow, ticket_id=ticket_id, user_id=current_user.id, **body)
        return _staff_ticket(ticket)

    view.__name__ = "ticket_" + path.replace("-", "_")
    view.__doc__ = doc
    decorated = view
    if schema is not None:
        decorated = blp.arguments(schema(), as_kwargs=True)(decorated)
    decorated = staff_required(decorated)  # who asks is checked before what they sent
    for status in (409, 404, 403, 401):
        decorated = blp.alt_response(status, schema=ErrorSchema)(decorated)
    decorated = blp.response(200, TicketStaffOut)(decorated)
    blp.route(f"/tickets/<int:ticket_id>/{path}", methods=["POST"])(decorated)


def _without_reason(use_case):
    def run(uow, reason=None, **kwargs):
        return use_case(uow, **kwargs)

    return run


_ticket_action("recall", _without_reason(tickets.recall), ActionIn, "Call the ticket again (up to the recall limit).")
_ticket_action("start", _without_reason(tickets.start), ActionIn, "The visitor arrived at the counter: service starts.")
_ticket_action("finish", _without_reason(tickets.finish), ActionIn, "Service done.")
_ticket_action("no-show", _without_reason(tickets.no_show), ActionIn, "The visitor did not come.")
_ticket_action("requeue", _without_reason(tickets.requeue), ActionIn, "A late no-show is back, within the window.")
_ticket_action("hold", _without_reason(tickets.hold), ActionIn, "Put the visit aside (e.g. fetching a document).")
_ticket_action("resume", tickets.resume, ResumeIn, "Take a held ticket back at your counter.")
_ticket_action("transfer", tickets.transfer, TransferIn, "Continue the visit in another service's queue.")
_ticket_action("cancel", tickets.cancel, CancelIn, "Cancel the ticket, with a reason from the office's list.")


@blp.get("/cancel-reasons")
@blp.response(200, CancelReasonsOut)
@blp.alt_response(401, schema=ErrorSchema)
@staff_required
def cancel_reasons():
    """The reasons an officer or supervisor chooses from to cancel a ticket (the office edits them)."""
    return {"reasons": Repository(db.session).office().cancel_reason_list}


# --- today's figures, the supervisor's alerts and no-shows ---


@blp.get("/figures/me")
@blp.response(200, FiguresOut)
@blp.alt_response(401, schema=ErrorSchema)
@staff_required
def my_figures():
    """Your own day so far: served, mean service time, share within the SOP standard time."""
    office = Repository(db.session).office()
    [mine] = figures.officer_figures(db.session, now(), office, [current_user.id])
    return payloads.officer_figures(mine)


@blp.get("/figures")
@blp.response(200, FiguresOut(many=True))
@blp.alt_response(401, schema=ErrorSchema)
@blp.alt_response(403, schema=ErrorSchema)
@supervisor_required
def all_figures():
    """Every officer's day so far (supervisors and admins)."""
    office = Repository(db.session).office()
    return [
        payloads.officer_figures(f)
        for f in figures.officer_figures(db.session, now(), office, agency_id=current_user.agency_id)
    ]


@blp.get("/alerts")
@blp.response(200, AlertOut(many=True))
@blp.alt_response(401, schema=ErrorSchema)
@blp.alt_response(403, schema=ErrorSchema)
@supervisor_required
def alerts():
    """Waiting and service times past their threshold (the service's own, or its SOP standard time)."""
    found, repo = figures.alerts(db.session, now(), current_user.agency_id), Repository(db.session)
    return [
        payloads.alert(a, repo.service(a.service_id), repo.counter(a.counter_id) if a.counter_id else None)
        for a in found
    ]


@blp.get("/no-shows")
@blp.response(200, TicketStaffOut(many=True))
@blp.alt_response(401, schema=ErrorSchema)
@staff_required
def no_shows():
    """Today's no-shows, the latest first: a late visitor may still be put back in the queue."""
    office = Repository(db.session).office()
    return [
        _staff_ticket(ticket) for ticket in figures.no_shows_today(db.session, now(), office, current_user.agency_id)
    ]


@blp.post("/tickets/<int:ticket_id>/reopen")
@blp.response(200, TicketStaffOut)
@blp.alt_response(401, schema=ErrorSchema)
@blp.alt_response(403, schema=ErrorSchema)
@blp.alt_response(404, schema=ErrorSchema)
@blp.alt_response(409, schema=ErrorSchema)
@supervisor_required
def reopen(ticket_id: int):
    """A supervisor puts today's no-show back in its queue, even after the requeue window."""
    with unit_of_work() as uow:
        ticket = tickets.reopen_no_show(uow, ticket_id=ticket_id, user_id=current_user.id)
    return _staff_ticket(ticket)
