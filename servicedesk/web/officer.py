"""The officer console at /officer: pick today's counter, then call, serve and finish from one screen.

The page is rendered once; everything after that (calling, the waiting list, the timer) runs in
static/officer/console.js against the JSON API and the staff Socket.IO room, so the API is the one
place that enforces who may do what.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import DataRequired, NumberRange

from ..domain.alerts import AMBER_SHARE
from ..domain.errors import DomainError
from ..domain.model import Counter, CounterStatus
from ..extensions import db
from ..persistence import figures, queries
from ..persistence.repository import Repository
from ..realtime import payloads, snapshots
from ..services import tickets
from .auth import page_login_required
from .consoles import service_info
from .context import now, unit_of_work
from .errors import domain_status
from .labels import counter_status_labels, error_texts

bp = Blueprint("officer", __name__, url_prefix="/officer")


class CounterForm(FlaskForm):
    counter_id = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=2**31 - 1)])


def own_counter(user_id: int) -> Counter | None:
    """The counter this officer sits at today (open or on a break), if any."""
    return next(
        (c for c in queries.counters(db.session) if c.officer_id == user_id and c.status != CounterStatus.CLOSED),
        None,
    )


def console_strings() -> dict:
    """Texts the script shows, translated here (the script has no catalogue of its own)."""
    return {
        "none": _("No ticket at the counter. Press N to call the next visitor."),
        "called": _("Called"),
        "serving": _("Serving"),
        "held": _("On hold"),
        "waiting": _("Waiting"),
        "priority": _("Priority"),
        "waited": _("waited"),
        "min": _("min"),
        "standard": _("standard"),
        "transfer_note": _("Transfer note"),
        "booked_for": _("Booked for, check the identity card"),
        "empty_list": _("Nobody is waiting for this counter's services."),
        "no_held": _("No ticket on hold."),
        "resume": _("Resume"),
        "offline": _("Connection lost: reconnecting…"),
        "online": _("Connected"),
        "on_break": _("The counter is on a break: calling is paused."),
        "closed": _("The counter was closed."),
        "session_over": _("Your session has ended: log in again."),
        "done": _("Finished"),
        "cancelled": _("Cancelled"),
        "late_back": _("Late, back in line"),
        "back_in_line": _("is back in line"),
        "no_no_shows": _("No no-shows today."),
        "confirm_close": _("Close the counter for today?"),
        "choose_ticket": _("Choose a waiting ticket first."),
        "reason_required": _("Give a reason."),
        "failed": _("That did not work."),
        "not_competent": _("not your competence"),
        "status": counter_status_labels(),
        "errors": error_texts(),
    }


def return_place_labels() -> dict:
    return {"end": _("at the end of the line"), "original": _("at their original place")}


@bp.get("/")
@page_login_required
def index():
    counter = own_counter(current_user.id)
    if counter is None:
        return choose_counter()
    return console(counter)


def choose_counter(error: str | None = None, status: int = 200):
    counters = queries.counters(db.session, current_user.agency_id)
    names = {u.id: u.full_name for u in (Repository(db.session).user(c.officer_id) for c in counters if c.officer_id)}
    competences = {s.id for s in current_user.competences}
    return (
        render_template(
            "officer/choose_counter.html",
            counters=counters,
            names=names,
            competences=competences,
            form=CounterForm(formdata=None),
            error=error,
        ),
        status,
    )


@bp.post("/counter")
@page_login_required
def open_counter():
    """Sit at a counter for today (or come back from a break): the counter shows as open on the floor."""
    form = CounterForm()
    if not form.validate_on_submit():
        return choose_counter(_("Choose a counter."), 400)
    try:
        with unit_of_work() as uow:
            tickets.open_counter(uow, counter_id=form.counter_id.data, user_id=current_user.id)
    except DomainError as error:
        return choose_counter(error.message, domain_status(error))
    return redirect(url_for("officer.index"), 303)


@bp.post("/counter/take-over")
@page_login_required
def take_over():
    """Handover: take over a counter a colleague left open (the choice page names the colleague)."""
    form = CounterForm()
    if not form.validate_on_submit():
        return choose_counter(_("Choose a counter."), 400)
    try:
        with unit_of_work() as uow:
            tickets.take_over_counter(uow, counter_id=form.counter_id.data, user_id=current_user.id)
    except DomainError as error:
        return choose_counter(error.message, domain_status(error))
    return redirect(url_for("officer.index"), 303)


def console(counter: Counter):
    office = Repository(db.session).office()
    services = queries.services(db.session, agency_id=current_user.agency_id)
    competences = {s.id for s in current_user.competences}
    counter_service_ids = [s.id for s in counter.services]
    current = queries.current_tickets(db.session, [counter.id]).get(counter.id)
    [mine] = figures.officer_figures(db.session, now(), office, [current_user.id])
    data = {
        "user": {"id": current_user.id, "full_name": current_user.full_name},
        "counter": payloads.counter_staff(counter, current, current_user.full_name),
        "counter_service_ids": counter_service_ids,
        "competences": sorted(competences),
        "services": [service_info(s) for s in services],
        "snapshot": snapshots.staff(db.session, now(), current_user.agency_id),
        "amber_share": AMBER_SHARE,
        "server_now": now().isoformat(),
        "time_zone": office.time_zone,
        "max_recalls": office.max_recalls,
        "urls": {
            "api": url_for("desk_api.queue").rsplit("/", 1)[0],
            "login": url_for("login.login", next=url_for("officer.index")),
            "home": url_for("officer.index"),
        },
        "strings": console_strings(),
    }
    return render_template(
        "officer/console.html",
        counter=counter,
        services=services,
        counter_services=[s for s in services if s.id in counter_service_ids],
        competences=competences,
        figures=payloads.officer_figures(mine),
        data=data,
        on_break=counter.status == CounterStatus.BREAK,
        cancel_reasons=office.cancel_reason_list,
        office=office,
        return_place=return_place_labels().get(office.no_show_return_position, ""),
        form=CounterForm(formdata=None, counter_id=counter.id),
    )
