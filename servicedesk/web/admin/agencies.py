"""The site's agencies (tenancy): a site administrator lists, creates, renames and deactivates them.
Agency staff are turned away before they get here (base.site_forms_for_site_staff)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from ...domain.model import Agency
from ...services import admin
from ..context import unit_of_work
from ..voice import record_agency_voices
from .base import _actor, _or_404, _saved, admin_only, bp

FIELDS = ("code", "name", "short_name", "language", "brand_colour")


def _values(agency: Agency | None) -> dict:
    if agency is None:
        return dict.fromkeys(FIELDS, "") | {"active": True}
    return {name: getattr(agency, name) or "" for name in FIELDS} | {"active": agency.active}


def _page(agency, values, errors, status=200):
    with unit_of_work() as uow:
        rows = admin.agencies(uow)
    return render_template("admin/agencies.html", agencies=rows, agency=agency, values=values, errors=errors), status


def _save(agency: Agency | None):
    data = {name: request.form.get(name, "") for name in FIELDS} | {"active": bool(request.form.get("active"))}
    try:
        with unit_of_work() as uow:
            if agency is None:
                saved = admin.create_agency(uow, actor_id=_actor(), data=data)
            else:
                saved = admin.update_agency(uow, actor_id=_actor(), agency_id=agency.id, data=data)
            name, spoken_as = saved.name, (saved.code, saved.short_name)
    except admin.Invalid as invalid:
        return _page(agency, data, invalid.errors, 400)
    record_agency_voices([spoken_as])  # the hall's voice says it after a counter's number
    return _saved(_("%(name)s saved.", name=name), "admin.agencies")


@bp.route("/agencies", methods=["GET", "POST"])
@admin_only
def agencies():
    if request.method == "GET":
        return _page(None, _values(None), {})
    return _save(None)


@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"])
@admin_only
def agency_edit(agency_id: int):
    agency = _or_404(Agency, agency_id)
    if request.method == "GET":
        return _page(agency, _values(agency), {})
    return _save(agency)
