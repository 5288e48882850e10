"""The touch kiosk at /kiosk and the printed ticket slip. Templates and assets live in the top-level kiosk/ folder.

The kiosk page is a shell: it takes the services from GET /api/v1/services and issues with
POST /api/v1/tickets, so what it shows is what the API says. This module only adds what a page
needs on top: the visitor-facing sentence for every refusal code, the slip to print, and printing
on a kiosk's own ESC/POS printer (services/printing.py) for the kiosks set up that way.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..config import ROOT
from ..domain import guidance
from ..domain.branding import ink_on_white, page_language, text_on
from ..domain.journey import MAX_STEPS
from ..domain.model import Device
from ..domain.priority_groups import groups_of
from ..domain.slip import ZONE_NAMES, KioskPrinter, clock_label
from ..extensions import csrf, db, limiter
from ..notify import settings as notify_settings
from ..persistence import queries, setup
from ..persistence.repository import Repository
from ..realtime import payloads
from ..services import admin, devices, qr
from ..services.notify import CONSENT_TEXT
from .errors import error_response
from .i18n import language_chosen, speak_agency
from .kiosk_devices import build_slip, kiosk_token_required, page_locale, print_on_kiosk_printer, ticket_brand
from .links import public_url_for
from .screens import TICKET_NUMBER, emblem
from .security import CONTENT_SECURITY_POLICY

bp = Blueprint(
    "kiosk",
    __name__,
    url_prefix="/kiosk",
    template_folder=str(ROOT / "kiosk" / "templates"),
    static_folder=str(ROOT / "kiosk" / "static"),
)

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
    "priority_group_unknown": _l("This priority group is no longer listed. Please choose again."),
    "not_found": _l("This service is no longer offered. Please choose another one."),
    "rate_limited": _l("Many tickets were taken here in a short time. Please wait a moment and try again."),
    "device_token_required": _l("This kiosk is not registered yet. Please ask an officer for help."),
    "device_token_invalid": _l("This kiosk's registration is not valid. Please ask an officer for help."),
    "offline": _l("The connection to the server is lost. The kiosk keeps trying and recovers by itself."),
    "unknown": _l("Sorry, no ticket could be issued. Please ask an officer for help."),
    "journey_inactive_service": _l("One of the chosen services is not available at the moment. Please start over."),
    "journey_unknown_service": _l("One of the chosen services is no longer offered. Please start over."),
    "journey_repeated_service": _l("The same service was chosen twice in a row. Please start over."),
    "journey_too_long": _l("At most five services can be chosen at once. Please start over."),
}


def refusal_message(code: str, details: dict | None, time_zone: str, locale: str) -> str:
    """The visitor-facing sentence for an API refusal, in the page's language."""
    template = str(REFUSALS.get(code, REFUSALS["unknown"]))
    values = {key: clock_label(str(value), time_zone, locale) for key, value in (details or {}).items()}
    values.setdefault("opens_at", "")
    values.setdefault("cutoff", "")
    return template.format_map(values)


def _strings() -> dict:
    """Every sentence the kiosk's JavaScript shows, translated on the server."""
    return {
        "whatsapp_sent": _("Done: the link to follow your number is on its way to your WhatsApp."),
        "whatsapp_invalid": _("That is not a mobile number. It starts with 08."),
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
        "printer_failed_title": _("The ticket printer failed"),
        "printing_again": _("Printing again…"),
        "note_number": _("Please note your number or scan the QR code to follow the queue on your phone."),
        "setup_needed": _("Kiosk setup needed"),
        "not_available_now": _("Not available now"),
        "no_counter_open": _("No counter is open yet"),
        "choose_agency": _("Please choose an agency"),
        "services_count": _("{count} services"),
        "choose_next": _("Please choose the next service"),
        "chosen_before": _("Chosen just before: choose another service"),
    }


def serving_agencies(session) -> list:
    """The active agencies with at least one active service, in their order."""
    serving = {s.agency_id for s in queries.services(session)}
    return [a for a in setup.agencies(session) if a.active and a.id in serving]


def hall_agencies(session) -> list[dict]:
    """A hall of several agencies (MPP): the kiosk asks for the agency first. One agency (or none):
    [] and the kiosk lists the services at once, as an office of its own."""
    shown = serving_agencies(session)
    if len(shown) < 2:
        return []
    return [
        {
            "id": a.id,
            "code": a.code,
            "name": a.name,
            "short_name": a.short_name,
            "brand_colour": a.brand_colour,
            "brand_text": text_on(a.brand_colour) if a.brand_colour else None,
            "brand_ink": ink_on_white(a.brand_colour) if a.brand_colour else None,
            "language": a.language,
        }
        for a in shown
    ]


def _kiosk_language(agencies: list[dict]) -> tuple[str, int | None, str]:
    """The kiosk page's language, the agency it opens on, and the language a new visitor starts in.
    In a hall, `?agency=<id>` (the kiosk reloads so when a visitor chooses an agency with a language
    of its own) opens on that agency's services in its language; in an office of one agency, that
    agency's language is the kiosk's. A visitor's tap on the language switch wins over both."""
    if agencies:
        wanted = request.args.get("agency", type=int)
        chosen = next((a for a in agencies if a["id"] == wanted), None)
        start = None
        language = chosen["language"] if chosen else None
    else:
        sole = serving_agencies(db.session)
        chosen = None
        start = language = sole[0].language if len(sole) == 1 else None
    locale = speak_agency(language)
    office = Repository(db.session).office()
    return (
        locale,
        chosen["id"] if chosen else None,
        page_language(asked=None, remembered=None, agency=start, office=office.language),
    )


def office_logo_url() -> str | None:
    """The logo uploaded at /admin/settings, if there is one; its date in the URL, so a new one shows at once."""
    from .uploads import logo_folder

    found = admin.logo_path(logo_folder())
    return url_for("admin.logo", v=int(found[0].stat().st_mtime)) if found else None


@bp.get("/")
def index():
    office = Repository(db.session).office()
    agencies = hall_agencies(db.session)
    locale, agency_id, start_language = _kiosk_language(agencies)
    config = {
        "locale": locale,
        "start_language": start_language,  # the next visitor's, without a tap on the switch
        "language_chosen": language_chosen(),
        "agency_id": agency_id,
        "time_zone": office.time_zone,
        "zone_name": ZONE_NAMES.get(office.time_zone, ""),
        "require_device_token": kiosk_token_required(office),
        "paper_width_mm": office.paper_width_mm,
        "idle_seconds": 45,
        "ticket_seconds": 20,
        "printer_failed_seconds": 60,
        "refresh_seconds": 15,
        "journey_max_steps": MAX_STEPS,
        "urls": {
            "services": url_for("public_api.list_services"),
            "tickets": url_for("public_api.issue"),
            "journeys": url_for("journeys_api.start"),
            "device": url_for("kiosk.device"),
            "slip": url_for("kiosk.slip", token="__token__", print=1),
            "print": url_for("kiosk.print_again", token="__token__"),
            "qr": url_for("kiosk.qr_svg", token="__token__"),
            "kiosk": url_for("kiosk.index"),
            "guidance": url_for("kiosk.guidance_clips", step="__step__"),
        },
        "priority_groups": [
            {"key": group.key, "label": group.label(locale)} for group in groups_of(office.priority_groups)
        ],
        "strings": _strings(),
        "agencies": agencies,
        "refusals": {code: str(text) for code, text in REFUSALS.items()},
        # Opt-in at the kiosk (UU PDP): offered only where a WhatsApp provider is configured.
        "whatsapp": bool(notify_settings(current_app)["NOTIFY_WHATSAPP_URL"]),
    }
    config["urls"]["notify"] = url_for("notify_api.opt_in", token="__token__")
    office_logo = office_logo_url()
    return render_template(
        "kiosk.html",
        office=office,
        config=config,
        locale=locale,
        logo_url=office_logo,
        emblem=emblem(office.name),  # no logo uploaded: the office's initials, as on the display
        consent_text=CONSENT_TEXT,
    )


@bp.get("/guidance/<step>")
def guidance_clips(step: str):
    """What the accessible mode says at a step, in the page's language, as the display's recorded clips
    (GET /display/clips/<name>): {"language", "text", "clips": [{"name", "url", "text"}]}."""
    # The kiosk names its page's language as `language` (a `lang` would be remembered as the visitor's choice).
    language = request.args.get("language") or page_locale()
    language = language if language in guidance.STEPS else "id"
    number = request.args.get("number") or None
    if step not in guidance.STEPS[language] or (number is not None and not TICKET_NUMBER.match(number)):
        return error_response(404, "not_found", "No such kiosk step.")
    office = Repository(db.session).office()
    reading = office.number_reading if office.number_reading in ("words", "digits") else "words"
    said = guidance.step(step, language, number, reading)
    clips = [{"name": c.name, "url": url_for("display.clip", name=c.name), "text": c.text} for c in said.clips]
    return {"language": language, "text": said.text, "clips": clips}


def _ticket_or_404(token: str):
    ticket = Repository(db.session).ticket_by_token(token)
    if ticket is None:
        abort(404)
    return ticket


def _kiosk_device() -> Device | None:
    return devices.authenticate(Repository(db.session), request.headers.get("X-Device-Token"), "kiosk")


def _device_refused():
    if not request.headers.get("X-Device-Token"):
        return error_response(401, "device_token_required", "Send this kiosk's device token in X-Device-Token.")
    return error_response(403, "device_token_invalid", "This kiosk's device token is not valid.")


@bp.get("/device")
def device():
    """A registered kiosk asks how it prints: from the browser (and on what paper) or by the server."""
    kiosk = _kiosk_device()
    if kiosk is None:
        return _device_refused()
    office = Repository(db.session).office()
    printer = KioskPrinter.of(kiosk.settings)
    return {
        "name": kiosk.name,
        "print_mode": printer.mode,
        "paper_width_mm": printer.paper(office.paper_width_mm),
        "auto_print": printer.auto_print,
        "copies": printer.copies,
    }


def _print_key() -> str:
    return "kiosk-print:" + devices.hash_token(request.headers.get("X-Device-Token") or request.remote_addr or "")[:24]


@bp.post("/tickets/<string:token>/print")
@csrf.exempt  # authorized by the X-Device-Token header, which no cross-site form can send
@limiter.limit("12 per minute", key_func=_print_key)
def print_again(token: str):
    """Print a ticket's slip again on the asking kiosk's ESC/POS printer ("Print again" on the kiosk)."""
    kiosk = _kiosk_device()
    if kiosk is None:
        return _device_refused()
    if not KioskPrinter.of(kiosk.settings).escpos:
        return error_response(409, "browser_printing", "This kiosk prints its slips from the browser.")
    ticket = Repository(db.session).ticket_by_token(token)
    if ticket is None:
        return error_response(404, "not_found", "No such ticket.")
    outcome = print_on_kiosk_printer(kiosk, ticket)
    return payloads.slip_printed(outcome.mode, outcome.printed, outcome.error)


@bp.get("/tickets/<string:token>/slip")
def slip(token: str):
    """The ticket slip, for the kiosk to print (again): its width follows the kiosk's or the office's paper."""
    ticket = _ticket_or_404(token)
    speak_agency(ticket_brand(Repository(db.session).service(ticket.service_id)).language)
    paper = request.args.get("paper", type=int)
    content = build_slip(ticket, paper=paper if paper in (58, 80) else None)
    html = render_template(
        "slip.html",
        slip=content,
        ticket=ticket,
        qr_svg=qr.svg(content.qr_url),
        paper=content.paper_width_mm,
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
    body = qr.svg(public_url_for("visitor.page", token=ticket.token))
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + body.replace("<svg ", '<svg width="300" height="300" ', 1),
        mimetype="image/svg+xml",
        headers={"Cache-Control": "private, max-age=3600"},
    )
