"""The waiting-room display at /display (issue 5). Templates and assets live in the top-level display/ folder.

The page itself is a shell: everything it shows comes from the Socket.IO snapshot and the events
after it. The views here serve what the voice needs: the clip sequence of a call (worked out by
servicedesk.domain.spoken, so the browser holds no number-reading rules) and the clip files.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _

from ..config import ROOT
from ..domain import spoken
from ..domain.announcements import CONTENT_TYPES
from ..domain.branding import device_language
from ..domain.model import Agency
from ..domain.numbering import service_day
from ..extensions import db
from ..persistence import queries, reports, setup
from ..persistence.repository import Repository
from ..services import devices
from ..services.admin import announcements as admin_announcements
from .context import now, unit_of_work
from .i18n import speak_agency
from .screens import TICKET_NUMBER, emblem
from .uploads import image_folder
from .voice import find_clip, voice_language

bp = Blueprint(
    "display",
    __name__,
    url_prefix="/display",
    template_folder=str(ROOT / "display" / "templates"),
    static_folder=str(ROOT / "display" / "static"),
)

#: A clip name is the bell or "<language>/<word>": nothing that could climb out of the clip folders.
CLIP_NAME = re.compile(r"^(bell|(id|en)/[a-z0-9-]+)$")
#: An uploaded announcement image as stored: a random hex name and an image extension, nothing else.
IMAGE_NAME = re.compile(r"^[0-9a-f]{24}\.(png|jpg|webp)$")
#: The IKM the display shows is of the responses of this many days.
IKM_DAYS = 90


def office_logo() -> Path | None:
    """An office shows its emblem by putting logo.png (or .svg, .jpg) in the instance folder."""
    for extension in (".svg", ".png", ".jpg", ".webp"):
        path = Path(current_app.instance_path) / f"logo{extension}"
        if path.is_file():
            return path
    return None


def fallback_sentence(language: str) -> str:
    """The call as one sentence with {number} and {counter} left for the browser, in case the
    announcement cannot be fetched and speech synthesis must read the number itself."""
    (_name, first), (_other, second) = spoken.PHRASES[language]
    return f"{first.capitalize()} {{number}}, {second} {{counter}}"


def tv_agency(repo: Repository, token: str | None) -> Agency | None:
    """The agency whose own TV holds `token` (None: a hall TV, or no registered display)."""
    device = devices.authenticate(repo, token, "display")
    return repo.agency(device.agency_id) if device is not None else None


@bp.get("/", strict_slashes=False)
def index():
    repo = Repository(db.session)
    office = repo.office()
    # The launcher opens a TV as /display?device=<token>: an agency's own TV is drawn in its agency's
    # language (web/i18n.py), the hall's in the site's. Before any text is translated.
    agency = tv_agency(repo, request.args.get("device"))
    speak_agency(agency.language if agency else None)
    logo = office_logo()
    config = {
        "announcementUrl": url_for(".announcement"),
        "area": request.args.get("area", ""),
        "serverTime": now().timestamp() * 1000,
        # The TV's language as this page was drawn for it; the snapshot says the TV's own (display.js).
        "tvLanguage": device_language(agency=agency.language if agency else None, office=office.language),
        "office": {"name": office.name, "time_zone": office.time_zone, "running_text": office.running_text},
        "text": {
            "reconnecting": _("reconnecting…"),
            "unknownDevice": _("This display is not registered. Please ask the administrator for a display link."),
            "counter": _("Counter"),
            "noCalls": _("No calls yet"),
            "waiting": _("waiting"),
            "break": _("On break"),
            "closed": _("Closed"),
            "welcome": _("Welcome to {office}. Please wait until your number is called."),
            "info": _("Information"),
            "standard": _("Service standard"),
            "requirements": _("Requirements"),
            "time": _("Service time"),
            "minutes": _("minutes"),
            "fee": _("Fee"),
            "product": _("Product"),
            "ikm": _("Satisfaction index (IKM), last %(days)s days", days=IKM_DAYS),
            "respondents": _("respondents"),
            "left": _("left today"),
        },
        "infoUrl": url_for(".info"),
        "voiceFallback": {language: fallback_sentence(language) for language in spoken.LANGUAGES},
    }
    return render_template(
        "display/index.html",
        office=office,
        config=config,
        logo=url_for(".logo") if logo else None,
        emblem=emblem(office.name),
    )


@bp.get("/announcement")
def announcement():
    """What to play for a call: {"text", "clips": [{"name", "url", "text"}]}, in the office's language
    and number reading, so a change of setting takes effect on the next call without a reload.
    Several `number` and `counter` pairs (a display that fell behind) make one condensed sentence.
    A hall TV of several agencies adds each counter's `agency` (its code; empty for a site counter),
    which the voice says after the counter's number. An agency's own TV whose agency speaks a language
    of its own asks for it (`language`); it gets the site's when that language has no recorded clips
    here (web/voice.py voice_language)."""
    numbers, counters = request.args.getlist("number"), request.args.getlist("counter")
    codes = request.args.getlist("agency") or [""] * len(numbers)
    valid = 0 < len(numbers) == len(counters) == len(codes) <= spoken.BATCH and all(
        TICKET_NUMBER.match(n) and c.isdigit() and 0 < int(c) < 10_000 for n, c in zip(numbers, counters, strict=True)
    )
    if not valid:
        return {"error": {"code": "invalid_call", "message": "number and counter are required"}}, 400
    wanted = request.args.get("language")
    if wanted is not None and wanted not in spoken.LANGUAGES:
        return {"error": {"code": "invalid_call", "message": f"language is one of {', '.join(spoken.LANGUAGES)}"}}, 400
    repo = unit_of_work().repo
    office = repo.office(kept=True)  # every call, on every display: kept, not read each time
    site = office.language if office.language in spoken.LANGUAGES else "id"
    language = voice_language(wanted, site) if wanted else site
    reading = office.number_reading if office.number_reading in spoken.READINGS else "words"
    names = repo.settings.get("agency_names", lambda: _agency_names(repo)) if any(codes) else {}
    agencies = [spoken.agency_clip(code, names[code], language) if code in names else None for code in codes]
    pairs = [(n, int(c), a) for n, c, a in zip(numbers, counters, agencies, strict=True)]
    said = spoken.calls(pairs, language=language, reading=reading)
    clips = [{"name": c.name, "url": url_for(".clip", name=c.name), "text": c.text} for c in said.clips]
    return {"language": language, "text": said.text, "clips": clips}


def _agency_names(repo) -> dict[str, str]:
    """What the hall's voice says after a counter's number, by agency code (kept like the office)."""
    return {a.code: a.short_name for a in setup.agencies(repo.session)}


@bp.get("/clips/<path:name>")
def clip(name: str):
    """A clip by name, without extension: the office's own recording if it has one, else the generated one."""
    path = find_clip(name) if CLIP_NAME.match(name) else None
    if path is None:
        abort(404)
    return send_file(path, max_age=3600, conditional=True)


@bp.get("/logo")
def logo():
    path = office_logo()
    if path is None:
        abort(404)
    return send_file(path, max_age=3600)


@bp.get("/info")
def info():
    """What the TV shows in turn besides the calls: the Maklumat Pelayanan, each service's Standar
    Pelayanan, the admin's announcements, the latest IKM with its grade and today's quota left.
    An agency's own TV (its X-Device-Token names a display of the agency) gets its agency's services
    and IKM, the IKM's grade in the TV's language; the hall's TVs every service and the site's IKM."""
    session = db.session
    repo = unit_of_work().repo
    office = repo.office(kept=True)  # every display, every few seconds at a peak
    agency = tv_agency(repo, request.headers.get("X-Device-Token"))
    agency_id = agency.id if agency is not None else None
    # The IKM's grade in the TV's language, from the kept office (speak_agency would read it again).
    language = device_language(agency=agency.language if agency is not None else None, office=office.language)
    moment = now()
    items = [a for a in admin_announcements.listed(session) if a.active]
    services = queries.services(session, agency_id=agency_id)
    day = service_day(moment, office.time_zone)
    issued = queries.numbers_issued(session, day)
    ikm = _kept_ikm(moment, day, agency_id, language)
    return {
        "maklumat": [{"title": a.title, "body": a.body} for a in items if a.kind == "maklumat"],
        "announcements": [
            {
                "kind": a.kind,
                "title": a.title,
                "body": a.body,
                "image_url": url_for(".announcement_image", name=a.image) if a.image else None,
            }
            for a in items
            if a.kind in ("text", "image")
        ],
        "standards": [
            {
                "service_id": s.id,
                "code": s.code,
                "name": s.name,
                "name_en": s.name_en,
                "requirements": list(s.requirements),
                "standard_minutes": s.standard_minutes,
                "fee": s.fee,
                "product": s.product,
                "complaint_channel": s.complaint_channel,
            }
            for s in services
        ],
        "quota_left": {
            str(s.id): max(0, s.daily_quota - issued.get(s.id, 0)) for s in services if s.daily_quota is not None
        },
        "ikm": ikm,
    }


def _kept_ikm(moment, day, agency_id: int | None, language: str) -> dict | None:
    """The IKM of the last IKM_DAYS days as the TVs show it, of one agency's services (its own TV) or
    of the whole site (None: the hall's). Every TV asks every minute (and after each queue change):
    it is tallied again only when a response came in or the day changed, not per poll."""
    key = (*queries.newest_survey_response(db.session), day)
    kept = current_app.extensions.setdefault("servicedesk.display_ikm", {})
    shown = (agency_id, language)  # the grade's label is in the TV's language
    if shown in kept and kept[shown][0] == key:
        return kept[shown][1]
    since, until = moment - timedelta(days=IKM_DAYS), moment + timedelta(minutes=1)  # up to now, inclusive
    filters = reports.Filters(agency_id=agency_id)
    _per_service, total = reports.survey_tallies(db.session, filters, since, until)
    index = total.index()
    ikm = None
    if index is not None:
        letter, label_id, label_en = index.grade
        ikm = {
            "score": round(float(index.score), 2),
            "grade": letter,
            "label": label_en if language == "en" else label_id,
            "respondents": index.respondents,
        }
    kept[shown] = (key, ikm)
    return ikm


@bp.get("/announcements/<name>")
def announcement_image(name: str):
    """An uploaded announcement image, served as the type its bytes were checked to be."""
    path = image_folder() / name if IMAGE_NAME.match(name) else None
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=CONTENT_TYPES[name.rsplit(".", 1)[1]], max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
