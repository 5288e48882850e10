"""Staff log in with a session cookie; the API answers 401/403 in JSON, never a login redirect."""

from __future__ import annotations

from functools import wraps

from flask import request
from flask_login import current_user, login_user, logout_user
from flask_smorest import Blueprint

from ...domain.errors import NotAllowed
from ...realtime import snapshots
from ...services import sessions
from ..context import unit_of_work
from ..login_limits import limit_failed_logins
from .errors import ErrorSchema
from .schemas import LoginIn, OkOut, UserOut

blp = Blueprint("auth_api", __name__, url_prefix="/api/v1/auth", description="Staff sessions")


def staff_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            raise NotAllowed("Log in first.", code="unauthorized")
        return view(*args, **kwargs)

    return wrapper


def supervisor_required(view):
    @wraps(view)
    @staff_required
    def wrapper(*args, **kwargs):
        if not current_user.is_supervisor:
            raise NotAllowed("Only a supervisor or an admin may do this.")
        return view(*args, **kwargs)

    return wrapper


def _failed(response) -> bool:
    """Only failed attempts count towards the limits."""
    return response.status_code != 200


@blp.post("/login")
@limit_failed_logins(_failed)  # the same counts as the login page's: the doors cannot be alternated
@blp.alt_response(429, schema=ErrorSchema, description="Too many failed logins")
@blp.arguments(LoginIn(), as_kwargs=True)
@blp.response(200, UserOut)
@blp.alt_response(401, schema=ErrorSchema)
def login(username: str, password: str):
    user = sessions.log_in(unit_of_work(), username=username, password=password, address=request.remote_addr)
    if user is None:
        raise NotAllowed("Wrong username or password.", code="unauthorized")
    login_user(user)
    return snapshots.user_public(user)


@blp.post("/logout")
@blp.response(200, OkOut)
def logout():
    """Ends every session of the person (every browser, every socket), not only this one."""
    if current_user.is_authenticated:
        sessions.log_out(unit_of_work(), user_id=current_user.id, address=request.remote_addr)
    logout_user()
    return {"ok": True}


@blp.get("/me")
@blp.response(200, UserOut)
@blp.alt_response(401, schema=ErrorSchema)
@staff_required
def me():
    return snapshots.user_public(current_user)
