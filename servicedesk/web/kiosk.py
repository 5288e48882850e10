"""The touch kiosk at /kiosk and the printed ticket slip. Templates and assets live in the top-level kiosk/ folder.

The kiosk page is a shell: it takes the services from GET /api/v1/services and issues with
POST /api/v1/tickets, so what it shows is what the API says. This module only adds what a page
needs on top: the visitor-facing sentence for every refusal code, and the slip to print.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import qr
from ..config import ROOT
from ..extensions import db
from ..persistence import queries
from ..persistence.repository import Repository
from .context import now
from .security import CONTENT_SECURITY_POLICY

bp = Blueprint(
    "kiosk",
    __name__,
    url_prefix="/kiosk",
    template_folder=str(ROOT / "kiosk" / "templates"),
    static_folder=str(ROOT / "kiosk" / "static"),
)

#: Indonesia's three time zones as people say them on a sign: "buka kembali pukul 13.00 WIB".
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

#: What the kiosk tells a visitor for each refusal code of the API. `{opens_at}` and `{cutoff}`
#: come from the error's details; the kiosk's JavaScript fills them in the same way refusal_message does.
REFUSALS = {
    "closed_today": _l("The office is closed today. Please come back on a working day."),
    "closed_for_today": _l("Service hours are over for today. Please come back on the next working day."),
    "not_open_yet": _l("The office is not open yet. Tickets are issued from {opens_at}."),
    "on_break": _l("The desk is on a break. Service resumes at {opens_at}."),
    "holiday": _l("The office is closed today for a public holiday."),
    "quota_reached": _l("Today's quota for this service has been reached. Please come back tomorrow."),
    "service_inactive": _l("This service is not available at the moment."),
    "after_cutoff": _l("Tickets for this service are issued until {cutoff}. Please come back tomorrow."),
    "priority_not_allowed": _l("This service has no priority line. Please take a regular number."),
    "not_found": _l("This service is no longer offered. Please choose another one."),
    "rate_limited": _l("Many tickets were taken here in a short time. Please wait a moment and try again."),
    "device_token_required": _l("This kiosk is not registered yet. Please ask an officer for help."),
    "device_token_invalid": _l("This kiosk's registration is not valid. Please ask an officer for help."),
    "offline": _l("The connection to the server is lost. The kiosk keeps trying and recovers by itself."),
    "unknown": _l("Sorry, no ticket could be issued. Please ask an officer for help."),
}


def clock_label(hhmm: str, time_zone: str, locale: str) -> str:
    """ "13:00" as a sign says it: "13.00 WIB" in Indonesian, "13:00 WIB" in English."""
    text = hhmm.replace(":", ".") if locale == "id" else hhmm
    zone = ZONE_NAMES.get(time_zone)
    return f"{text} {zone}" if zone else text


def refusal_message(code: str, details: dict | None, time_zone: str, locale: str) -> str:
    """The visitor-facing sentence for an API refusal, in the page's language."""
    template = str(REFUSALS.get(code, REFUSALS["unknown"]))
    values = {key: clock_label(str(value), time_zone, locale) for key, value in (details or {}).items()}
    values.setdefault("opens_at", "")
    values.setdefault("cutoff", "")
    return template.format_map(values)


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "id")


def _strings() -> dict:
    """Every sentence the kiosk's JavaScript shows, translated on the server."""
    return {
        "waiting": _("waiting"),
        "no_wait": _("no queue"),
        "minutes": _("{minutes} minutes"),
        "people": _("{count} people"),
        "requirements": _("Requirements"),
        "procedure": _("Procedure"),
        "standard_time": _("Standard service time"),
        "fee": _("Fee"),
        "product": _("What you receive"),
        "complaints": _("Complaints"),
        "sop": _("SOP number"),
        "take_slip": _("Please take your printed ticket. Scan the QR code to follow the queue on your phone."),
        "printer_failed": _("The printer did not respond: please note your number or scan the QR code."),
        "setup_needed": _("Kiosk setup needed"),
    }


@bp.get("/")
def index():
    office = Repository(db.session).office()
    locale = _locale()
    config = {
        "locale": locale,
        "office_language": office.language if office.language in ("id", "en") else "id",
        "time_zone": office.time_zone,
        "zone_name": ZONE_NAMES.get(office.time_zone, ""),
        "require_device_token": office.require_device_token,
        "idle_seconds": 45,
        "ticket_seconds": 20,
        "refresh_seconds": 15,
        "urls": {
            "services": url_for("public_api.list_services"),
            "tickets": url_for("public_api.issue"),
            "slip": url_for("kiosk.slip", token="__token__", print=1),
            "qr": url_for("kiosk.qr_svg", token="__token__"),
            "kiosk": url_for("kiosk.index"),
        },
        "strings": _strings(),
        "refusals": {code: str(text) for code, text in REFUSALS.items()},
    }
    return render_template("kiosk.html", office=office, config=config, locale=locale)


def _ticket_or_404(token: str):
    ticket = Repository(db.session).ticket_by_token(token)
    if ticket is None:
        abort(404)
    return ticket


@bp.get("/tickets/<string:token>/slip")
def slip(token: str):
    """The ticket slip, for the kiosk to print (again): its width follows the office's thermal paper."""
    repo = Repository(db.session)
    ticket = _ticket_or_404(token)
    office = repo.office()
    service, _counter, ahead, estimate = queries.ticket_status(db.session, ticket, now())
    locale = _locale()
    paper = request.args.get("paper", type=int) or office.paper_width_mm
    paper = 58 if paper == 58 else 80
    issued = ticket.issued_at.astimezone(ZoneInfo(office.time_zone))
    visitor_url = url_for("visitor.page", token=ticket.token, _external=True)
    html = render_template(
        "slip.html",
        office=office,
        ticket=ticket,
        service=service,
        service_name=service.name_en if locale == "en" else service.name,
        waiting=ticket.status.value == "waiting",
        ahead=ahead,
        estimate=estimate,
        issued_date=format_date(issued, "EEEE, d MMMM y", locale=locale),
        issued_time=clock_label(issued.strftime("%H:%M"), office.time_zone, locale),
        visitor_url=visitor_url,
        qr_svg=qr.svg(visitor_url),
        paper=paper,
        autoprint=request.args.get("print") == "1",
    )
    # The kiosk prints the slip from a hidden frame of its own page: allow framing by the same origin only.
    return Response(
        html,
        headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY.replace(
                "frame-ancestors 'none'", "frame-ancestors 'self'"
            ),
            "X-Frame-Options": "SAMEORIGIN",
        },
    )


@bp.get("/tickets/<string:token>/qr.svg")
def qr_svg(token: str):
    """The QR code of the visitor's page, for the kiosk screen (the printed slip inlines it)."""
    ticket = _ticket_or_404(token)
    body = qr.svg(url_for("visitor.page", token=ticket.token, _external=True))
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + body.replace("<svg ", '<svg width="300" height="300" ', 1),
        mimetype="image/svg+xml",
        headers={"Cache-Control": "private, max-age=3600"},
    )
