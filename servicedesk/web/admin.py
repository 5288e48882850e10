"""Administration at /admin (issue 6): the SOP catalogue, counters, people, devices, settings, audit trail.

Server-rendered forms. Each view reads the form, calls one use case of services/admin.py and
renders the page again with the messages next to the fields when the use case says `Invalid`.
Admins change things; supervisors may read every page; officers are turned away.
"""

from __future__ import annotations

import re
from datetime import date
from functools import wraps
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import ValidationError

from ..domain.audit import office_snapshot, service_snapshot, user_snapshot
from ..domain.catalogue import CatalogueInvalid
from ..domain.hours import WEEKDAYS
from ..domain.model import Counter, Device, EventKind, Holiday, Role, Service, User
from ..domain.slip import BROWSER, DEFAULT_PRINTER_PORT, KioskPrinter, usb_id
from ..extensions import csrf, db
from ..persistence import queries
from ..persistence import tables as t
from ..persistence.repository import Repository
from ..services import admin, audit
from ..services import catalogue as catalogue_io
from .context import now, unit_of_work
from .labels import coded
from .login import page_login_required

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
    "ticket": _l("Ticket"),
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


def admin_only(view):
    @wraps(view)
    @page_login_required
    def wrapper(*args, **kwargs):
        if not can_edit():
            return _forbidden()
        return view(*args, **kwargs)

    return wrapper


@bp.app_context_processor
def _admin_globals() -> dict:
    return {"admin_can_edit": can_edit}


@bp.errorhandler(404)
def _not_found(error):
    return render_template("admin/message.html", title=_("Not found"), message=_("There is no such record.")), 404


@bp.errorhandler(CSRFError)
def _csrf_failed(error):
    message = _("The form has expired. Go back, reload the page and send it again.")
    return render_template("admin/message.html", title=_("Form expired"), message=message), 400


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    message = _("The file is too large.")
    return render_template("admin/message.html", title=_("Too large"), message=message), 413


def _actor() -> int:
    return current_user.id


def _form() -> dict:
    """The posted form as a dict: single values as text, repeated names as lists."""
    return {key: (values if len(values) > 1 else values[0]) for key, values in request.form.lists()}


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _lines(text) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _check_csrf() -> None:
    """For the upload views, which raise the size limit before reading the form themselves."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError as exc:
        raise CSRFError(str(exc)) from None


def _services() -> list[Service]:
    return queries.services(db.session, active_only=False)


def _or_404(entity, entity_id: int):
    found = db.session.get(entity, entity_id)
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
    counts = {
        "services": db.session.query(t.services).filter(t.services.c.active.is_(True)).count(),
        "counters": db.session.query(t.counters).count(),
        "users": db.session.query(t.users).filter(t.users.c.active.is_(True)).count(),
        "devices": db.session.query(t.devices).filter(t.devices.c.active.is_(True)).count(),
        "holidays": db.session.query(t.holidays).filter(t.holidays.c.day >= today).count(),
    }
    recent = audit.audit_rows(db.session, time_zone=office.time_zone, limit=8)
    return render_template("admin/index.html", office=office, counts=counts, recent=recent, entities=ENTITY_LABELS)


# --- services ---


def _service_values(service: Service | None) -> dict:
    if service is None:
        return {"fee": "Gratis", "standard_minutes": "15", "priority_allowed": True, "active": True}
    values = service_snapshot(service)
    values["requirements"] = "\n".join(values["requirements"])
    values["procedure"] = "\n".join(values["procedure"])
    return values


def _service_data() -> dict:
    data = _form()
    data["requirements"] = _lines(data.get("requirements"))
    data["procedure"] = _lines(data.get("procedure"))
    data["priority_allowed"] = "true" if data.get("priority_allowed") else "false"
    data["active"] = "true" if data.get("active") else "false"
    return data


@bp.get("/services")
@readable
def services():
    return render_template("admin/services.html", services=_services())


@bp.route("/services/new", methods=["GET", "POST"])
@readable
def service_new():
    if request.method == "GET":
        return render_template("admin/service_form.html", service=None, values=_service_values(None), errors={})
    data = _service_data()
    try:
        with unit_of_work() as uow:
            service = admin.create_service(uow, actor_id=_actor(), data=data)
    except admin.Invalid as invalid:
        return render_template("admin/service_form.html", service=None, values=_form(), errors=invalid.errors), 400
    return _saved(_("Service %(code)s saved.", code=service.code), "admin.services")


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@readable
def service_edit(service_id: int):
    service = _or_404(Service, service_id)
    if request.method == "GET":
        return render_template("admin/service_form.html", service=service, values=_service_values(service), errors={})
    data = _service_data()
    try:
        with unit_of_work() as uow:
            admin.update_service(uow, actor_id=_actor(), service_id=service_id, data=data)
    except admin.Invalid as invalid:
        values = _form()
        return render_template("admin/service_form.html", service=service, values=values, errors=invalid.errors), 400
    return _saved(_("Service %(code)s saved.", code=service.code), "admin.services")


@bp.post("/services/<int:service_id>/active")
@admin_only
def service_active(service_id: int):
    _or_404(Service, service_id)
    active = request.form.get("active") == "1"
    with unit_of_work() as uow:
        service = admin.set_service_active(uow, actor_id=_actor(), service_id=service_id, active=active)
    message = (
        _("%(code)s is offered again.", code=service.code)
        if active
        else _("%(code)s is no longer offered at the kiosk.", code=service.code)
    )
    return _saved(message, "admin.services")


@bp.post("/services/<int:service_id>/move")
@admin_only
def service_move(service_id: int):
    _or_404(Service, service_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    with unit_of_work() as uow:
        admin.move_service(uow, actor_id=_actor(), service_id=service_id, offset=offset)
    return redirect(url_for("admin.services"), 303)


@bp.get("/services/export.<fmt>")
@readable
def services_export(fmt: str):
    if fmt not in ("yaml", "csv"):
        abort(404)
    text = catalogue_io.export_catalogue(db.session, fmt)
    mimetype = "text/csv" if fmt == "csv" else "application/yaml"
    return Response(
        text,
        mimetype=f"{mimetype}; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=services.{fmt}"},
    )


def _import_text() -> tuple[str, str]:
    """The catalogue from the uploaded file, or (at the confirm step) from the hidden field."""
    upload = request.files.get("file")
    if upload and upload.filename:
        raw = upload.read()
        fmt = catalogue_io.format_of(upload.filename)
        try:
            return raw.decode("utf-8-sig"), fmt
        except UnicodeDecodeError:
            raise admin.Invalid({"file": "the file is not UTF-8 text"}) from None
    text = request.form.get("text", "")
    fmt = request.form.get("format", "yaml")
    if not text.strip():
        raise admin.Invalid({"file": "choose a YAML or CSV file"})
    if fmt not in ("yaml", "csv"):
        raise admin.Invalid({"file": "choose a YAML or CSV file"})
    return text, fmt


@bp.route("/services/import", methods=["GET", "POST"])
@csrf.exempt  # checked in the view, after the upload limit is raised
@readable
def services_import():
    if request.method == "GET":
        return render_template("admin/services_import.html", errors={}, row_errors=[], plan=None)
    request.max_content_length = IMPORT_LIMIT
    _check_csrf()
    try:
        text, fmt = _import_text()
        if request.form.get("step") != "confirm":
            plan = catalogue_io.preview_catalogue(Repository(db.session), text, fmt)
            db.session.rollback()
            return render_template(
                "admin/services_import.html", errors={}, row_errors=[], plan=plan, text=text, fmt=fmt
            )
        with unit_of_work() as uow:
            changes = catalogue_io.import_catalogue(uow, text, fmt, user_id=_actor())
    except admin.Invalid as invalid:
        return render_template("admin/services_import.html", errors=invalid.errors, row_errors=[], plan=None), 400
    except CatalogueInvalid as invalid:
        db.session.rollback()
        return render_template("admin/services_import.html", errors={}, row_errors=invalid.errors, plan=None), 400
    message = _(
        "Catalogue imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.",
        created=len(changes["created"]),
        updated=len(changes["updated"]),
        unchanged=len(changes["unchanged"]),
    )
    return _saved(message, "admin.services")


# --- counters ---


def _counter_values(counter: Counter | None) -> dict:
    if counter is None:
        return {"number": "", "name": "", "area": "", "service_order": {}, "call_order": "oldest"}
    order = {s.id: str(i + 1) for i, s in enumerate(counter.services)}
    values = {"number": str(counter.number), "name": counter.name, "area": counter.area, "service_order": order}
    return values | {"call_order": counter.call_order}


def _counter_data() -> dict:
    data = _form()
    order = {}
    for service in _services():
        order[service.id] = request.form.get(f"order_{service.id}", "")
    data["service_order"] = order
    return data


def _counter_page(counter, values, errors, status=200):
    return render_template(
        "admin/counter_form.html", counter=counter, values=values, errors=errors, services=_services()
    ), status


@bp.get("/counters")
@readable
def counters():
    return render_template("admin/counters.html", counters=queries.counters(db.session))


@bp.route("/counters/new", methods=["GET", "POST"])
@readable
def counter_new():
    if request.method == "GET":
        return _counter_page(None, _counter_values(None), {})
    data = _counter_data()
    try:
        with unit_of_work() as uow:
            counter = admin.create_counter(uow, actor_id=_actor(), data=data)
    except admin.Invalid as invalid:
        return _counter_page(None, data, invalid.errors, 400)
    return _saved(_("%(name)s saved.", name=counter.name), "admin.counters")


@bp.route("/counters/<int:counter_id>", methods=["GET", "POST"])
@readable
def counter_edit(counter_id: int):
    counter = _or_404(Counter, counter_id)
    if request.method == "GET":
        return _counter_page(counter, _counter_values(counter), {})
    data = _counter_data()
    try:
        with unit_of_work() as uow:
            admin.update_counter(uow, actor_id=_actor(), counter_id=counter_id, data=data)
    except admin.Invalid as invalid:
        return _counter_page(counter, data, invalid.errors, 400)
    return _saved(_("%(name)s saved.", name=counter.name), "admin.counters")


# --- people ---


def _user_page(template, user, values, errors, status=200):
    return render_template(
        template, user=user, values=values, errors=errors, services=_services(), roles=ROLE_LABELS
    ), status


def _user_data() -> dict:
    data = _form()
    data["competences"] = _list(data, "competences")
    return data


@bp.get("/users")
@readable
def users():
    people = list(db.session.query(User).order_by(t.users.c.active.desc(), t.users.c.username))
    return render_template("admin/users.html", users=people, roles=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@readable
def user_new():
    if request.method == "GET":
        return _user_page("admin/user_form.html", None, {"role": "officer", "competences": []}, {})
    data = _user_data()
    try:
        with unit_of_work() as uow:
            user = admin.create_user(uow, actor_id=_actor(), data=data)
    except admin.Invalid as invalid:
        data.pop("password", None), data.pop("password_confirm", None)
        return _user_page("admin/user_form.html", None, data, invalid.errors, 400)
    return _saved(_("%(name)s can now log in.", name=user.full_name), "admin.users")


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@readable
def user_edit(user_id: int):
    user = _or_404(User, user_id)
    if request.method == "GET":
        values = user_snapshot(user)
        values["competences"] = [str(s.id) for s in user.competences]
        return _user_page("admin/user_form.html", user, values, {})
    data = _user_data()
    try:
        with unit_of_work() as uow:
            admin.update_user(uow, actor_id=_actor(), user_id=user_id, data=data)
    except admin.Invalid as invalid:
        data["username"] = user.username
        return _user_page("admin/user_form.html", user, data, invalid.errors, 400)
    return _saved(_("%(name)s saved.", name=user.full_name), "admin.users")


@bp.post("/users/<int:user_id>/active")
@admin_only
def user_active(user_id: int):
    user = _or_404(User, user_id)
    active = request.form.get("active") == "1"
    try:
        with unit_of_work() as uow:
            admin.set_user_active(uow, actor_id=_actor(), user_id=user_id, active=active)
    except admin.Invalid as invalid:
        flash(_(next(iter(invalid.errors.values()))), "bad")
        return redirect(url_for("admin.users"), 303)
    message = (
        _("%(name)s can log in again.", name=user.full_name)
        if active
        else _("%(name)s is deactivated: the account can no longer log in, its history stays.", name=user.full_name)
    )
    return _saved(message, "admin.users")


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@admin_only
def user_password(user_id: int):
    user = _or_404(User, user_id)
    if request.method == "GET":
        return render_template("admin/user_password.html", user=user, errors={})
    try:
        with unit_of_work() as uow:
            admin.reset_password(uow, actor_id=_actor(), user_id=user_id, data=_form())
    except admin.Invalid as invalid:
        return render_template("admin/user_password.html", user=user, errors=invalid.errors), 400
    return _saved(_("The password of %(name)s was reset.", name=user.full_name), "admin.users")


# --- devices ---


def _device_values(device: Device | None, kind: str = "kiosk") -> dict:
    if device is None:
        return {
            "kind": kind,
            "service_ids": [],
            "copies": "1",
            "auto_print": True,
            "active": True,
            "print_mode": BROWSER,
            "printer_port": str(DEFAULT_PRINTER_PORT),
        }
    printer = KioskPrinter.of(device.settings)
    return {
        "kind": device.kind,
        "name": device.name,
        "area": device.area,
        "service_ids": [str(i) for i in device.service_ids or []],
        "paper_width_mm": str(printer.paper_width_mm or ""),
        "auto_print": printer.auto_print,
        "copies": str(printer.copies),
        "print_mode": printer.mode,
        "printer_host": printer.host,
        "printer_port": str(printer.port),
        "usb_vendor_id": usb_id(printer.usb_vendor_id),
        "usb_product_id": usb_id(printer.usb_product_id),
        "active": device.active,
    }


def _device_data() -> dict:
    data = _form()
    data["service_ids"] = _list(data, "service_ids")
    return data


def _device_page(device, values, errors, status=200):
    return render_template(
        "admin/device_form.html", device=device, values=values, errors=errors, services=_services()
    ), status


def _token_page(device: Device, token: str):
    """The only time the token is shown: the response must not be cached anywhere."""
    path = url_for("kiosk.index") if device.kind == "kiosk" else url_for("display.index")
    link = f"{request.host_url.rstrip('/')}{path}?device={token}"
    response = Response(render_template("admin/device_token.html", device=device, token=token, link=link))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/devices")
@readable
def devices():
    rows = list(db.session.query(Device).order_by(t.devices.c.kind, t.devices.c.name))
    codes = {s.id: s.code for s in _services()}
    return render_template("admin/devices.html", devices=rows, codes=codes)


@bp.route("/devices/new", methods=["GET", "POST"])
@readable
def device_new():
    if request.method == "GET":
        kind = request.args.get("kind", "kiosk")
        return _device_page(None, _device_values(None, kind if kind in ("kiosk", "display") else "kiosk"), {})
    data = _device_data()
    try:
        with unit_of_work() as uow:
            device, token = admin.register_device(uow, actor_id=_actor(), data=data)
    except admin.Invalid as invalid:
        return _device_page(None, data, invalid.errors, 400)
    return _token_page(device, token)


@bp.route("/devices/<int:device_id>", methods=["GET", "POST"])
@readable
def device_edit(device_id: int):
    device = _or_404(Device, device_id)
    if request.method == "GET":
        return _device_page(device, _device_values(device), {})
    data = _device_data()
    try:
        with unit_of_work() as uow:
            admin.update_device(uow, actor_id=_actor(), device_id=device_id, data=data)
    except admin.Invalid as invalid:
        data["kind"] = device.kind
        return _device_page(device, data, invalid.errors, 400)
    return _saved(_("%(name)s saved.", name=device.name), "admin.devices")


@bp.post("/devices/<int:device_id>/rotate")
@admin_only
def device_rotate(device_id: int):
    device = _or_404(Device, device_id)
    with unit_of_work() as uow:
        token = admin.rotate_device_token(uow, actor_id=_actor(), device_id=device_id)
    return _token_page(device, token)


# --- office settings, logo, holidays ---


def logo_folder() -> Path:
    """instance/ by default, where the display looks for logo.* as well."""
    return Path(current_app.config.get("LOGO_FOLDER") or current_app.instance_path)


def _settings_values(office) -> dict:
    values = office_snapshot(office)
    for day in WEEKDAYS:
        values[f"hours_{day}"] = admin.hours_to_text((office.opening_hours or {}).get(day, []))
    values["paper_width_mm"] = str(values["paper_width_mm"])
    return values


def _settings_context(**overrides) -> dict:
    office = Repository(db.session).office()
    context = {
        "values": _settings_values(office),
        "errors": {},
        "logo_errors": {},
        "holiday_errors": {},
        "holiday_values": {},
        "import_errors": {},
        "has_logo": admin.logo_path(logo_folder()) is not None,
        "weekdays": WEEKDAY_LABELS,
        "time_zones": TIME_ZONES,
        "holidays": list(db.session.query(Holiday).order_by(t.holidays.c.day)),
        "max_logo_kb": admin.MAX_LOGO_BYTES // 1024,
    }
    context.update(overrides)
    return context


def _settings_page(status: int = 200, **overrides):
    return render_template("admin/settings.html", **_settings_context(**overrides)), status


@bp.route("/settings", methods=["GET", "POST"])
@readable
def settings():
    if request.method == "GET":
        return _settings_page()
    data = _form()
    try:
        with unit_of_work() as uow:
            admin.update_office(uow, actor_id=_actor(), data=data)
    except admin.Invalid as invalid:
        return _settings_page(400, values=data, errors=invalid.errors)
    return _saved(_("Office settings saved."), "admin.settings")


@bp.post("/settings/logo")
@csrf.exempt  # checked in the view, after the upload limit is raised
@admin_only
def logo_upload():
    request.max_content_length = LOGO_LIMIT
    _check_csrf()
    upload = request.files.get("logo")
    try:
        if request.form.get("remove"):
            with unit_of_work() as uow:
                admin.remove_logo(uow, actor_id=_actor(), folder=logo_folder())
            return _saved(_("The logo was removed."), "admin.settings")
        data = upload.read(admin.MAX_LOGO_BYTES + 1) if upload else b""
        with unit_of_work() as uow:
            admin.save_logo(
                uow, actor_id=_actor(), folder=logo_folder(), data=data, content_type=upload.mimetype if upload else ""
            )
    except admin.Invalid as invalid:
        return _settings_page(400, logo_errors=invalid.errors)
    return _saved(_("The logo was saved."), "admin.settings")


@bp.get("/logo")
def logo():
    """The office logo, public: the kiosk, the display and the slip show it."""
    found = admin.logo_path(logo_folder())
    if found is None:
        abort(404)
    response = send_file(found[0], mimetype=found[1], max_age=300)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@bp.post("/holidays")
@admin_only
def holiday_add():
    data = _form()
    try:
        with unit_of_work() as uow:
            holiday = admin.add_holiday(uow, actor_id=_actor(), data=data)
    except admin.Invalid as invalid:
        return _settings_page(400, holiday_errors=invalid.errors, holiday_values=data)
    return _saved(_("Holiday %(day)s added.", day=holiday.day.isoformat()), "admin.settings", _anchor="holidays")


@bp.post("/holidays/<int:holiday_id>/delete")
@admin_only
def holiday_delete(holiday_id: int):
    _or_404(Holiday, holiday_id)
    with unit_of_work() as uow:
        admin.remove_holiday(uow, actor_id=_actor(), holiday_id=holiday_id)
    return _saved(_("Holiday removed."), "admin.settings", _anchor="holidays")


@bp.post("/holidays/import")
@admin_only
def holidays_import():
    text = request.form.get("list", "")
    try:
        with unit_of_work() as uow:
            result = admin.import_holidays(uow, actor_id=_actor(), text=text)
    except admin.Invalid as invalid:
        return _settings_page(400, import_errors=invalid.errors, holiday_values={"list": text})
    message = _(
        "Holidays imported: %(created)d new, %(updated)d renamed, %(unchanged)d unchanged.",
        created=len(result.created),
        updated=len(result.updated),
        unchanged=len(result.unchanged),
    )
    return _saved(message, "admin.settings", _anchor="holidays")


# --- the audit trail ---


def _audit_filters() -> tuple[dict, dict]:
    """Filters from the query string; a bad value is reported, never a 500."""
    args, errors = request.args, {}
    filters: dict = {}
    for name in ("since", "until"):
        text = args.get(name, "").strip()
        if text:
            try:
                filters[name] = date.fromisoformat(text)
            except ValueError:
                errors[name] = "use a date like 2026-08-17"
    for name in ("user_id", "service_id", "officer_id"):
        text = args.get(name, "").strip()
        if text:
            if text.isdigit():
                filters[name] = int(text)
            else:
                errors[name] = "unknown"
    entity = args.get("entity", "")
    if entity in audit.ENTITIES:
        filters["entity"] = entity
    kind = args.get("kind", "")
    if kind in {k.value for k in EventKind}:
        filters["kind"] = kind
    filters["action"] = args.get("action", "").strip()[:32] or None
    filters["number"] = args.get("number", "").strip()[:16] or None
    return filters, errors


def _audit_query(source: str, filters: dict, limit: int | None):
    office = Repository(db.session).office()
    period = audit.Period(filters.get("since"), filters.get("until"))
    if source == "events":
        return audit.event_rows(
            db.session,
            time_zone=office.time_zone,
            period=period,
            kind=filters.get("kind"),
            service_id=filters.get("service_id"),
            officer_id=filters.get("officer_id"),
            number=filters.get("number"),
            limit=limit,
        )
    return audit.audit_rows(
        db.session,
        time_zone=office.time_zone,
        period=period,
        entity=filters.get("entity"),
        action=filters.get("action"),
        user_id=filters.get("user_id"),
        limit=limit,
    )


PAGE_ROWS = 200


@bp.get("/audit")
@readable
def audit_page():
    source = "events" if request.args.get("source") == "events" else "changes"
    filters, errors = _audit_filters()
    rows = [] if errors else _audit_query(source, filters, PAGE_ROWS + 1)
    office = Repository(db.session).office()
    return render_template(
        "admin/audit.html",
        source=source,
        rows=rows[:PAGE_ROWS],
        more=len(rows) > PAGE_ROWS,
        errors=errors,
        args=request.args,
        time_zone=office.time_zone,
        entities=ENTITY_LABELS,
        actions=audit.audit_actions(db.session),
        people=list(db.session.query(User).order_by(t.users.c.username)),
        services=_services(),
        kinds=[k.value for k in EventKind],
        csv_url=url_for("admin.audit_csv", **request.args),
    ), (400 if errors else 200)


@bp.get("/audit.csv")
@readable
def audit_csv():
    source = "events" if request.args.get("source") == "events" else "changes"
    filters, errors = _audit_filters()
    if errors:
        return audit_page()
    office = Repository(db.session).office()
    rows = _audit_query(source, filters, None)
    write = audit.events_csv if source == "events" else audit.audit_csv
    text = write(rows, office.time_zone)
    name = "ticket-events" if source == "events" else "audit-log"
    return Response(
        "\ufeff" + text,  # a BOM, so a spreadsheet opens Indonesian names correctly
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename={name}.csv"},
    )


#: Messages of the use cases that carry a value, so the pattern is translated and the value kept.
PARAMETRIZED = [
    (
        re.compile(r"^(?P<code>\w+) is already the prefix of (?P<name>.+)$"),
        _l("%(code)s is already the prefix of %(name)s"),
    ),
    (re.compile(r"^counter (?P<number>\d+) exists already$"), _l("counter %(number)s exists already")),
    (re.compile(r"^at most (?P<n>\d+) characters$"), _l("at most %(n)s characters")),
    (re.compile(r"^at least (?P<n>\d+) characters$"), _l("at least %(n)s characters")),
    (re.compile(r"^must be between (?P<low>\d+) and (?P<high>\d+)$"), _l("must be between %(low)s and %(high)s")),
    (re.compile(r"^must be at least (?P<n>\d+)$"), _l("must be at least %(n)s")),
    (re.compile(r"^(?P<start>\S+) is not before (?P<end>\S+)$"), _l("%(start)s is not before %(end)s")),
    (re.compile(r"^not a time of day: (?P<text>.+)$"), _l("not a time of day: %(text)s")),
    (re.compile(r"^(?P<what>\S+) is also (used )?on line (?P<line>\d+)$"), _l("%(what)s is also on line %(line)s")),
    (re.compile(r"^the image is larger than (?P<kb>\d+) KB$"), _l("the image is larger than %(kb)s KB")),
]


@bp.app_template_filter("field_message")
def field_message(message: str) -> str:
    """A use case's message in the page's language."""
    for pattern, translated in PARAMETRIZED:
        match = pattern.match(message)
        if match:
            return str(translated) % {k: v for k, v in match.groupdict().items() if v is not None}
    return _(message)


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
