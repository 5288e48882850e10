"""The service catalogue: each service from its Standar Pelayanan/SOP, import and export."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ...domain.audit import service_snapshot
from ...domain.catalogue import FIELDS as SERVICE_FIELDS
from ...domain.catalogue import LIST_FIELDS, CatalogueInvalid
from ...domain.model import Service
from ...extensions import csrf, db
from ...persistence.repository import Repository
from ...services import admin
from ...services import catalogue as catalogue_io
from ..context import unit_of_work
from .base import IMPORT_LIMIT, _actor, _check_csrf, _or_404, _saved, _services, admin_only, bp, readable
from .forms import AdminForm, LinesField, check, submitted, text
from .messages import messages


def _service_values(service: Service | None) -> dict:
    if service is None:
        return {"fee": "Gratis", "standard_minutes": "15", "priority_allowed": True, "active": True}
    values = service_snapshot(service)
    for name in ("requirements", "procedure", "requirements_en", "procedure_en"):
        values[name] = "\n".join(values[name])
    return values


class ServiceForm(AdminForm):
    """Collects the catalogue's fields: their rules are the catalogue's (domain/catalogue.py, the
    same as `flask import-services`), coded and shown on each field."""


for _name in SERVICE_FIELDS:
    if _name in LIST_FIELDS:
        setattr(ServiceForm, _name, LinesField())
    elif _name in ("priority_allowed", "active"):
        setattr(ServiceForm, _name, check())
    else:
        setattr(ServiceForm, _name, text())


def _save(service: Service | None):
    """Create (service None) or update from the posted form; the form again with its messages if refused."""
    form = ServiceForm()

    def save(uow, data):
        if service is None:
            return admin.create_service(uow, actor_id=_actor(), data=data)
        return admin.update_service(uow, actor_id=_actor(), service_id=service.id, data=data)

    try:
        saved = submitted(form, save)
    except admin.Invalid as invalid:
        form.refuse(invalid)
        return render_template(
            "admin/service_form.html", service=service, values=form.values(), errors=form.messages
        ), 400
    return _saved(_("Service %(code)s saved.", code=saved.code), "admin.services")


@bp.get("/services")
@readable
def services():
    return render_template("admin/services.html", services=_services())


@bp.route("/services/new", methods=["GET", "POST"])
@readable
def service_new():
    if request.method == "GET":
        return render_template("admin/service_form.html", service=None, values=_service_values(None), errors={})
    return _save(None)


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@readable
def service_edit(service_id: int):
    service = _or_404(Service, service_id)
    if request.method == "GET":
        return render_template("admin/service_form.html", service=service, values=_service_values(service), errors={})
    return _save(service)


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
            raise admin.Invalid([admin.FieldInvalid("not_utf8", "file")]) from None
    text = request.form.get("text", "")
    fmt = request.form.get("format", "yaml")
    if not text.strip() or fmt not in ("yaml", "csv"):
        raise admin.Invalid([admin.FieldInvalid("choose_catalogue", "file")])
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
        errors = messages(invalid.errors)
        return render_template("admin/services_import.html", errors=errors, row_errors=[], plan=None), 400
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
