"""The administration blueprint and what its pages share: who may see and change what, the form
helpers, error pages, the start page and the template filters."""

from __future__ import annotations

from functools import wraps
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import ValidationError

from ...domain.model import Device, Role, Service
from ...extensions import db
from ...persistence import queries, setup
from ...persistence.repository import Repository
from ...services import admin, audit
from ..auth import page_login_required
from ..context import now
from ..labels import coded
from .messages import message

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: Uploads larger than the app's default request limit: a whole catalogue, an office logo.
IMPORT_LIMIT = 512 * 1024
LOGO_LIMIT = admin.MAX_LOGO_BYTES + 16 * 1024

ENTITY_LABELS = {
    "service": _l("Service"),
    "counter": _l("Counter"),
    "user": _l("User"),
    "device": _l("Device"),
    "office": _l("Office settings"),
    "holiday": _l("Holiday"),
    "agency": _l("Agency"),
    "session": _l("Staff session"),
    "ticket": _l("Ticket"),
    "ticket_events": _l("Ticket events"),  # a sealed day (services/audit_chain.py)
}
WEEKDAY_LABELS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
ROLE_LABELS = {
    Role.ADMIN.value: _l("Admin"),
    Role.SUPERVISOR.value: _l("Supervisor"),
    Role.OFFICER.value: _l("Officer"),
    Role.AUDITOR.value: _l("Auditor"),
}
TIME_ZONES = (("Asia/Jakarta", "WIB"), ("Asia/Pontianak", "WIB"), ("Asia/Makassar", "WITA"), ("Asia/Jayapura", "WIT"))


@bp.record_once
def _append_only(state) -> None:
    audit.guard_audit_log()


# --- who may see and change what ---


def _forbidden():
    return render_template(
        "admin/message.html",
        title=_("Not for your role"),
        message=_("The administration pages are for admins (supervisors may read them)."),
    ), 403


def can_edit() -> bool:
    return current_user.is_authenticated and current_user.role == Role.ADMIN


#: Pages of the whole site (the building's settings, the hall's announcements, the desk rule...):
#: an agency's administrator reads them but sends no form to them; agencies are managed by the site.
SITE_FORMS = (
    "admin.settings",
    "admin.logo_upload",
    "admin.priority_groups",
    "admin.booking",
    "admin.notifications",
    "admin.webhook_",
    "admin.message_again",
    "admin.holidays_import",
    "admin_desk.",
    "admin_announcements.",
)
#: Pages agency staff do not even read: the agencies, the whole catalogue's import and export, and
#: the site-wide logs (audit trail, notification outbox with visitors' numbers, bookings).
SITE_PAGES = (
    "admin.agenc",
    "admin.services_export",
    "admin.services_import",
    "admin.audit_",
    "admin.notifications",
    "admin.booking",
)


#: The site-wide audit trail (with its CSV and chain check): agency staff, an agency's auditor too,
#: are told why it is not theirs to read, not only refused.
SITE_LOGS = ("admin.audit_",)


def site_log_refused():
    return render_template(
        "admin/message.html",
        title=_("The audit trail is the site's"),
        message=_(
            "The audit trail records the changes of every agency in this building, so only the site's "
            "administrators, supervisors and auditor read it. Please ask the site's auditor for the "
            "entries about your agency."
        ),
    ), 403


def site_forms_for_site_staff():
    """Before every administration request: agency staff are refused the site's forms and pages."""
    endpoint = request.endpoint or ""
    if not (current_user.is_authenticated and current_user.agency_id is not None):
        return None
    if endpoint.startswith(SITE_LOGS):
        return site_log_refused()
    if endpoint.startswith(SITE_PAGES):
        return _forbidden()
    if request.method != "GET" and endpoint.startswith(SITE_FORMS):
        return _forbidden()
    return None


bp.before_request(site_forms_for_site_staff)


def readable(view):
    """Admins and supervisors may open the page; a supervisor may not send a form."""

    @wraps(view)
    @page_login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_supervisor:
            return _forbidden()
        if request.method != "GET" and not can_edit():
            return _forbidden()
        return view(*args, **kwargs)

    return wrapper


def audit_readable(view):
    """The audit log and its chain check: admins, supervisors and auditors read them."""

    @wraps(view)
    @page_login_required
    def wrapper(*args, **kwargs):
        if not current_user.reads_reports:
            return _forbidden()
        return view(*args, **kwargs)

    return wrapper


def admin_only(view):
    @wraps(view)
    @page_login_required
    def wrapper(*args, **kwargs):
        if not can_edit():
            return _forbidden()
        return view(*args, **kwargs)

    return wrapper


def agency_choices() -> list:
    """The agencies a site administrator may give a new row (the form's agency select); none for
    anyone else, who sees no select: an agency administrator's rows are always their agency's.
    A single-office install (one active agency) shows none either: its new rows keep their
    defaults (services, counters and officers the agency's; the rest the site's)."""
    if not (can_edit() and current_user.agency_id is None):
        return []
    active = [agency for agency in setup.agencies(db.session) if agency.active]
    return active if len(active) > 1 else []


@bp.app_context_processor
def _admin_globals() -> dict:
    return {"admin_can_edit": can_edit, "agency_choices": agency_choices}


@bp.errorhandler(404)
def _not_found(error):
    return render_template("admin/message.html", title=_("Not found"), message=_("There is no such record.")), 404


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    message = _("The file is too large.")
    return render_template("admin/message.html", title=_("Too large"), message=message), 413


def _actor() -> int:
    return current_user.id


def _check_csrf() -> None:
    """For the upload views, which raise the size limit before reading the form themselves."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError as exc:
        raise CSRFError(str(exc)) from None


def _agency() -> int | None:
    """The agency whose rows the signed-in staff member sees and changes (None: the whole site)."""
    return current_user.agency_id


def _services() -> list[Service]:
    return queries.services(db.session, active_only=False, agency_id=_agency())


def _or_404(entity, entity_id: int):
    """The row, or 404 when there is none or it is another agency's (or, for agency staff, the site's)."""
    found = setup.find(db.session, entity, entity_id, _agency())
    if found is None:
        abort(404)
    return found


def _saved(message: str, endpoint: str, **values):
    flash(message, "ok")
    return redirect(url_for(endpoint, **values), 303)


# --- the start page ---


@bp.get("/")
@readable
def index():
    office = Repository(db.session).office()
    today = now().astimezone(ZoneInfo(office.time_zone)).date()
    counts = setup.counts(db.session, today, _agency())
    recent = audit.audit_rows(db.session, time_zone=office.time_zone, limit=8)
    return render_template("admin/index.html", office=office, counts=counts, recent=recent, entities=ENTITY_LABELS)


@bp.app_template_filter("field_message")
def field_message(error) -> str:
    """A coded error (or a WTForms message) in the page's language."""
    return message(error)


@bp.app_template_filter("local_time")
def local_time(moment, time_zone: str) -> str:
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%Y-%m-%d %H:%M:%S")


@bp.app_template_global("device_services")
def device_services(device: Device, codes: dict) -> str:
    return ", ".join(codes.get(i, "?") for i in device.service_ids or []) or "-"


@bp.app_template_global("audit_value")
def audit_value(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(audit_value(v) for v in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {audit_value(v)}" for k, v in value.items())
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return coded(value)
