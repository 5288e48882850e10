"""The supervisor's SKM pages at /skm: paper forms typed in, follow-up actions, complaints.

Thin views over services/survey.py, services/follow_up.py and services/complaints.py; every change
is audited by the use case. The public publication of the results is web/publication.py.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..domain import survey as skm
from ..domain.errors import DomainError
from ..domain.numbering import service_day
from ..domain.reporting import parse_period
from ..extensions import db
from ..persistence import complaints as complaints_read
from ..persistence import follow_up as follow_up_read
from ..persistence import reports as reports_read
from ..persistence.repository import Repository
from ..services import complaints as complaint_use_cases
from ..services import follow_up as follow_up_use_cases
from ..services import survey
from .auth import page_reader_required
from .context import now, unit_of_work
from .labels import period_label
from .survey_views import follow_up_view

bp = Blueprint("skm", __name__, url_prefix="/skm")


def _english() -> bool:
    return str(get_locale()) == "en"


def elements() -> list[tuple[str, str]]:
    english = _english()
    return [(code, name_en if english else name_id) for code, name_id, name_en in skm.ELEMENTS]


def profile_fields() -> list[dict]:
    english = _english()
    return [
        {
            "name": name,
            "label": label_en if english else label_id,
            "options": [(code, option_en if english else option_id) for code, option_id, option_en in options],
        }
        for name, (label_id, label_en, options) in skm.PROFILE.items()
    ]


def refusal_text(error: Exception) -> str:
    """A readable message for what the use case refused, in the page's language."""
    code = getattr(error, "code", "")
    texts = {
        "not_found": _("There is no ticket with that number on that day."),
        "survey_not_open": _("That ticket was not served, so it takes no survey response."),
        "survey_already_answered": _("That ticket's survey has been answered already."),
    }
    return texts.get(code, _("The form could not be saved: %(reason)s", reason=str(error)))


def _paper_form(form) -> tuple[dict, dict[str, str]]:
    """The paper form's fields, and what is wrong with them."""
    errors: dict[str, str] = {}
    try:
        day = date.fromisoformat(form.get("day", ""))
    except ValueError:
        day = None
        errors["day"] = _("Enter the date printed on the slip.")
    number = form.get("number", "").strip()
    if not number:
        errors["number"] = _("Enter the ticket number printed on the slip, e.g. A012.")
    answers = {}
    for code in skm.CODES:
        value = form.get(code, "")
        if value in ("1", "2", "3", "4"):
            answers[code] = int(value)
        else:
            errors[code] = _("Choose an answer from 1 to 4.")
    profile = {name: form.get(name) or None for name in skm.PROFILE_FIELDS}
    fields = {
        "day": day,
        "number": number,
        "answers": answers,
        "profile": profile,
        "comment": form.get("comment", ""),
        "is_complaint": bool(form.get("is_complaint")),
    }
    return fields, errors


@bp.route("/paper", methods=["GET", "POST"])
@page_reader_required
def paper():
    """Type in a paper SKM form for a served ticket (its number and day from the slip)."""
    office = Repository(db.session).office()
    values = dict(request.form) if request.method == "POST" else {"day": service_day(now(), office.time_zone)}
    errors: dict[str, str] = {}
    if request.method == "POST":
        fields, errors = _paper_form(request.form)
        if not errors:
            try:
                survey.enter_paper_response(
                    unit_of_work(),
                    actor_id=current_user.id,
                    service_day=fields["day"],
                    number=fields["number"],
                    answers=fields["answers"],
                    profile=fields["profile"],
                    comment=fields["comment"],
                    is_complaint=fields["is_complaint"],
                )
            except (DomainError, survey.InvalidAnswers) as error:
                errors["form"] = refusal_text(error)
            else:
                flash(_("Paper form for %(number)s saved.", number=fields["number"].upper()), "ok")
                return redirect(url_for(".paper"))
    return render_template(
        "skm/paper.html",
        office=office,
        values=values,
        errors=errors,
        elements=elements(),
        profile=profile_fields(),
    ), (400 if errors else 200)


@bp.route("/complaints", methods=["GET", "POST"])
@page_reader_required
def complaints():
    """Comments flagged as complaints: open ones first to answer, answered ones with their answer."""
    office = Repository(db.session).office()
    errors: dict[int, str] = {}
    if request.method == "POST":
        response_id = request.form.get("response_id", "")
        try:
            complaint_use_cases.answer_complaint(
                unit_of_work(),
                actor_id=current_user.id,
                response_id=int(response_id) if response_id.isdigit() else 0,
                text=request.form.get("response", ""),
            )
        except complaint_use_cases.InvalidResponse:
            errors[int(response_id)] = _("Write the answer given to the visitor (at most 2000 characters).")
        except DomainError:
            flash(_("That complaint could not be answered."), "error")
        else:
            flash(_("The answer is recorded."), "ok")
            return redirect(url_for(".complaints"))
    names = reports_read.names(db.session)
    found = complaints_read.complaints(db.session)
    return render_template(
        "skm/complaints.html",
        office=office,
        open_complaints=[c for c in found if c["complaint_status"] == "open"],
        answered=[c for c in found if c["complaint_status"] == "answered"],
        services=names.services,
        errors=errors,
        zone=ZoneInfo(office.time_zone),
    ), (400 if errors else 200)


@bp.route("/follow-up", methods=["GET", "POST"])
@page_reader_required
def follow_up():
    """Rencana tindak lanjut: actions for the weakest element, and the check of the last period's."""
    office = Repository(db.session).office()
    try:
        period = parse_period(request.args, service_day(now(), office.time_zone))
    except ValueError:
        abort(400)
    service_arg = request.args.get("service", "")
    service_id = int(service_arg) if service_arg.isdigit() else None
    args = {**period.query(), **({"service": service_id} if service_id else {})}
    errors: dict[str, str] = {}
    values = dict(request.form)
    if request.method == "POST":
        try:
            if request.form.get("action_id", "").isdigit():
                follow_up_use_cases.change_status(
                    unit_of_work(),
                    actor_id=current_user.id,
                    action_id=int(request.form["action_id"]),
                    status=request.form.get("status", ""),
                )
            else:
                try:
                    due = date.fromisoformat(request.form.get("due_date", ""))
                except ValueError:
                    due = None
                follow_up_use_cases.record_action(
                    unit_of_work(),
                    actor_id=current_user.id,
                    period=period,
                    service_id=service_id,
                    element=request.form.get("element", ""),
                    action=request.form.get("action", ""),
                    owner=request.form.get("owner", ""),
                    due_date=due,
                    status=request.form.get("status", "planned"),
                )
        except follow_up_use_cases.InvalidAction as invalid:
            errors = {name: _("Please fill this in correctly.") for name in invalid.errors}
        except DomainError:
            flash(_("That action could not be changed."), "error")
        else:
            flash(_("The follow-up plan is saved."), "ok")
            return redirect(url_for(".follow_up", **args))
    view = follow_up_view(period, office.time_zone, service_id)
    if not values.get("element") and view["weakest"]:
        values["element"] = view["weakest"]
    return render_template(
        "skm/follow_up.html",
        office=office,
        period=period,
        period_label=period_label(period),
        args=args,
        actions=follow_up_read.actions_of(db.session, period.first, period.last, service_id),
        statuses=status_labels(),
        elements=elements(),
        element_names=dict(elements()),
        values=values,
        errors=errors,
        **view,
    ), (400 if errors else 200)


def status_labels() -> dict[str, str]:
    return {"planned": _("Planned"), "in_progress": _("In progress"), "done": _("Done")}
