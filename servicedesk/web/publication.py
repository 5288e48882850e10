"""The published SKM results at /ikm: a public page per period (and service), and its PDF.

PermenPANRB 14/2017 asks offices to publish the survey: the IKM with its grade, the mean score of
each element, the respondents' profile, whether the sample is adequate, and the follow-up plan.
The page needs no login and shows figures only (no comments, no names); the PDF is the same HTML
rendered by services/pdf.py, so the notice board and the website never disagree.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from ..domain.numbering import service_day
from ..domain.reporting import parse_period
from ..domain.survey import ELEMENTS
from ..extensions import db
from ..persistence import reports
from ..persistence.repository import Repository
from ..services import exports, pdf
from .context import now
from .labels import period_label
from .survey_views import follow_up_view

bp = Blueprint("publication", __name__, url_prefix="/ikm")


def _english() -> bool:
    from flask_babel import get_locale

    return str(get_locale()) == "en"


def _context(printing: bool) -> dict:
    office = Repository(db.session).office()
    try:
        period = parse_period(request.args, service_day(now(), office.time_zone))
    except ValueError:
        abort(400, description=_("The period is not valid."))
    service_arg = request.args.get("service", "")
    names = reports.names(db.session)
    service_id = int(service_arg) if service_arg.isdigit() else None
    if service_id is not None and service_id not in names.services:
        abort(404)
    filters = reports.Filters(service_id)
    figures = reports.figures(db.session, period, office.time_zone, filters, comment_limit=0)
    english = _english()
    _per_service, total = exports.ikm_by_service(figures, names)
    args = {**period.query(), **({"service": service_id} if service_id else {})}
    service = names.services.get(service_id) if service_id else None
    return {
        "office": office,
        "period_label": period_label(period),
        "service": service,
        "service_name": (service["name_en"] if english else service["name"]) if service else None,
        "english": english,
        "ikm": total,
        "adequacy": exports.adequacy_text(total),
        "sources": figures.sources.get(None, {"online": 0, "paper": 0}),
        "elements": [
            (f"U{i}", name_en if english else name_id, total.nrr.get(code))
            for i, (code, name_id, name_en) in enumerate(ELEMENTS, start=1)
        ],
        "profile": exports.profile_rows(figures, english),
        "profile_headers": [_("Question"), _("Group"), _("Respondents"), _("Share (%)"), _("IKM")],
        "follow_up": follow_up_plan(period, service_id),
        "check": follow_up_view(period, office.time_zone, service_id)["check"],
        "previous_label": period_label(period.previous()),
        "status_labels": {"planned": _("Planned"), "in_progress": _("In progress"), "done": _("Done")},
        "services": [(sid, s["code"], s["name_en"] if english else s["name"]) for sid, s in names.services.items()],
        "chosen_service": service_id,
        "args": args,
        "period": period,
        "pdf_url": url_for(".pdf_report", **args),
        "printing": printing,
    }


def follow_up_plan(period, service_id):
    """The follow-up actions recorded for this period (empty until supervisors record some)."""
    from ..persistence import follow_up

    return follow_up.actions_of(db.session, period.first, period.last, service_id)


@bp.get("/")
def page():
    return render_template("publication/ikm.html", **_context(printing=False))


@bp.get("/report.pdf")
def pdf_report():
    context = _context(printing=True)
    html = render_template("publication/ikm.html", **context)
    body = pdf.render_pdf(html, base_url=request.host_url)
    period = context["period"]
    stem = f"ikm-{period.first.isoformat()}-{period.last.isoformat()}"
    return Response(
        body,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{stem}.pdf"'},
    )
