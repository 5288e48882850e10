"""People: officers, supervisors and admins, their competences, activation and passwords."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user
from wtforms import PasswordField

from ...domain.audit import user_snapshot
from ...domain.model import User
from ...extensions import db
from ...persistence import setup
from ...services import admin
from ..context import unit_of_work
from .base import ROLE_LABELS, _actor, _agency, _or_404, _saved, _services, admin_only, bp, readable
from .forms import AdminForm, ListField, OneOf, Required, Text, submitted, text
from .messages import message as error_message


def _user_page(template, user, values, errors, status=200):
    return render_template(
        template, user=user, values=values, errors=errors, services=_services(), roles=ROLE_LABELS
    ), status


class PersonForm(AdminForm):
    """What an admin edits of a person; the username's form and the password policy are the office's
    rules (services/admin/people.py)."""

    full_name = text(Required(), Text(200))
    role = text(OneOf(ROLE_LABELS))
    competences = ListField()


class NewPersonForm(PersonForm):
    username = text()
    password = PasswordField()
    password_confirm = PasswordField()


class PasswordForm(AdminForm):
    password = PasswordField()
    password_confirm = PasswordField()


@bp.get("/users")
@readable
def users():
    people = setup.people(db.session, active_first=True, agency_id=_agency())
    return render_template("admin/users.html", users=people, roles=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@readable
def user_new():
    if request.method == "GET":
        return _user_page("admin/user_form.html", None, {"role": "officer", "competences": []}, {})
    form = NewPersonForm()
    try:
        user = submitted(form, lambda uow, data: admin.create_user(uow, actor_id=_actor(), data=data))
    except admin.Invalid as invalid:
        form.refuse(invalid)
        values = form.values() | {"password": "", "password_confirm": ""}
        return _user_page("admin/user_form.html", None, values, form.messages, 400)
    return _saved(_("%(name)s can now log in.", name=user.full_name), "admin.users")


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@readable
def user_edit(user_id: int):
    user = _or_404(User, user_id)
    if request.method == "GET":
        values = user_snapshot(user)
        values["competences"] = [str(s.id) for s in user.competences]
        return _user_page("admin/user_form.html", user, values, {})
    form = PersonForm()
    try:
        submitted(form, lambda uow, data: admin.update_user(uow, actor_id=_actor(), user_id=user_id, data=data))
    except admin.Invalid as invalid:
        form.refuse(invalid)
        values = form.values() | {"username": user.username}
        return _user_page("admin/user_form.html", user, values, form.messages, 400)
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
        flash(error_message(next(iter(invalid.errors.values()))), "bad")
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
    form = PasswordForm()
    try:
        reset = lambda uow, data: admin.reset_password(uow, actor_id=_actor(), user_id=user_id, data=data)  # noqa: E731
        changed = submitted(form, reset)
        if changed.id == current_user.id:
            login_user(changed)  # the admin's own other sessions end; this one goes on
    except admin.Invalid as invalid:
        form.refuse(invalid)
        return render_template("admin/user_password.html", user=user, errors=form.messages), 400
    return _saved(_("The password of %(name)s was reset.", name=user.full_name), "admin.users")


# --- devices ---
