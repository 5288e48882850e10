"""/admin/desk: the rules of the officer's day (close time, late no-shows, cancel reasons)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import TextAreaField

from ...extensions import db
from ...persistence.repository import Repository
from ...services.admin import Invalid
from ...services.admin import desk as admin_desk
from ..context import unit_of_work
from .base import readable, site_forms_for_site_staff
from .forms import AdminForm, text

bp = Blueprint("admin_desk", __name__, url_prefix="/admin/desk")
bp.before_request(site_forms_for_site_staff)


class DeskForm(AdminForm):
    """Every value here is an office rule (services/admin/desk.py checks them all, coded)."""

    day_closes_at = text()
    no_show_return_position = text()
    cancel_reasons = TextAreaField()


def _values(office) -> dict:
    values = admin_desk.snapshot(office)
    values["cancel_reasons"] = "\n".join(values["cancel_reasons"])
    return values


def _page(values: dict, errors: dict, status: int = 200):
    office = Repository(db.session).office()
    return render_template(
        "admin/desk.html", values=values, errors=errors, office=office, section="admin_desk.rules"
    ), status


@bp.route("/", methods=["GET", "POST"])
@readable
def rules():
    if request.method == "GET":
        return _page(_values(Repository(db.session).office()), {})
    form = DeskForm()
    try:
        with unit_of_work() as uow:
            admin_desk.update_desk_rules(uow, actor_id=current_user.id, data=form.data)
    except Invalid as invalid:
        form.refuse(invalid)
        return _page(form.values(), form.messages, 400)
    flash(_("The rules of the service day were saved."), "ok")
    return redirect(url_for("admin_desk.rules"), 303)
