"""Staff log in on a page (officers at their counter PC, supervisors at the floor screen).

The session is permanent with a lifetime (PERMANENT_SESSION_LIFETIME), renewed by every request,
so a console left idle logs itself out. Failed attempts are limited per account and address and per
address, together with the API's door (web/login_limits.py); a successful login costs nothing, so a
whole office behind one NAT can still log in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..services import sessions
from .context import unit_of_work
from .login_limits import limit_failed_logins

bp = Blueprint("login", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


def _failed(response) -> bool:
    """Only failed attempts count towards the limit."""
    return response.status_code != 303


def home_for(user) -> str:
    if user.is_auditor:
        return url_for("reports.index")
    return url_for("supervisor.index") if user.is_supervisor else url_for("officer.index")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: a login link must not send an officer to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limit_failed_logins(_failed)
def login():
    target = _safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target or home_for(current_user), 303)
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("login.html", form=form, next=target), status
    user = sessions.log_in(
        unit_of_work(), username=form.username.data, password=form.password.data, address=request.remote_addr
    )
    if user is None:
        return render_template("login.html", form=form, next=target, error=_("Wrong username or password.")), 401
    session.clear()  # a fresh session: nothing from before the login carries over
    session.permanent = True
    login_user(user)
    return redirect(target or home_for(user), 303)


@bp.post("/logout")
def logout():
    """Ends every session of the person (every browser, every socket), not only this one."""
    if current_user.is_authenticated:
        sessions.log_out(unit_of_work(), user_id=current_user.id, address=request.remote_addr)
    logout_user()
    session.clear()
    return redirect(url_for("login.login"), 303)


@bp.errorhandler(429)
def too_many_attempts(error):
    form = LoginForm(formdata=None)
    message = _("Too many failed attempts. Wait a minute and try again.")
    return render_template("login.html", form=form, next=None, error=message), 429
