"""People: accounts, roles, competences, activation and passwords, audited."""

from __future__ import annotations

import re
from collections.abc import Mapping

from werkzeug.security import generate_password_hash

from ...domain.audit import (
    user_snapshot,
)
from ...domain.model import Role, Service, User
from ...domain.passwords import password_problem
from ...persistence import setup, tables
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import FieldInvalid, Invalid, Problems, _agency_of_new_row, _agency_of_row, _fits, _get, _service_ids

# --- people ---

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


def _password(errors: Problems, password: str | None, confirm: str | None, *, username: str, full_name: str) -> str:
    """The password policy (domain/passwords.py) for every place a password is set."""
    password = password or ""
    problem = password_problem(password, username=username, full_name=full_name)
    if problem:
        errors["password"] = problem
    elif password != (confirm or ""):
        errors.add("password_confirm", "passwords_differ")
    return password


def _role(errors: Problems, value) -> str:
    if value not in {r.value for r in Role}:
        errors.add("role", "choose_option")
    return value


def _active_admins(uow: UnitOfWork) -> int:
    return setup.active_admins(uow.session)


def _competences(uow: UnitOfWork, errors: Problems, ids, agency_id: int | None = None) -> list[Service]:
    chosen = _service_ids(uow, errors, "competences", ids, agency_id)
    return [uow.repo.service(i) for i in chosen]


def create_user(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> User:
    if data.get("role") == Role.OFFICER.value:  # a site administrator's new admin or supervisor stays the site's
        data = {**data, "agency_id": _agency_of_new_row(uow, data)}  # unless chosen in the form
    else:
        data = {**data, "agency_id": _agency_of_row(uow, data)}
    errors = Problems()
    username = (data.get("username") or "").strip().lower()
    if not USERNAME.match(username):
        errors.add("username", "username_format")
    elif uow.repo.user_by_username(username) is not None:
        errors.add("username", "username_taken")
    full_name, role = data["full_name"], _role(errors, data.get("role"))
    _fits(errors, tables.users, {"full_name": full_name})
    password = _password(
        errors, data.get("password"), data.get("password_confirm"), username=username, full_name=full_name or ""
    )
    competences = _competences(uow, errors, data.get("competences"), data.get("agency_id"))
    errors.check()
    with audit.audited(uow, user_id=actor_id, action="create", entity="user", snapshot=user_snapshot) as change:
        change.target = user = User(username, full_name, Role(role), generate_password_hash(password))
        user.agency_id = data.get("agency_id")
        user.competences = competences
        uow.repo.add(user)
    uow.commit()
    return user


def update_user(uow: UnitOfWork, *, actor_id: int | None, user_id: int, data: Mapping) -> User:
    user = _get(uow.repo.user, user_id)
    errors = Problems()
    full_name, role = data["full_name"], _role(errors, data.get("role"))
    _fits(errors, tables.users, {"full_name": full_name})
    competences = _competences(uow, errors, data.get("competences"), user.agency_id)
    if user.role == Role.ADMIN and user.active and role and role != Role.ADMIN and _active_admins(uow) <= 1:
        errors.add("role", "last_admin")
    errors.check()
    with audit.audited(uow, user_id=actor_id, action="update", entity="user", snapshot=user_snapshot, target=user):
        user.full_name, user.role, user.competences = full_name, Role(role), competences
    uow.commit()
    return user


def set_user_active(uow: UnitOfWork, *, actor_id: int | None, user_id: int, active: bool) -> User:
    """Deactivate instead of delete: tickets and audit rows keep the person's name."""
    user = _get(uow.repo.user, user_id)
    if not active:
        if user.id == actor_id:
            raise Invalid([FieldInvalid("own_account", "active")])
        if user.role == Role.ADMIN and user.active and _active_admins(uow) <= 1:
            raise Invalid([FieldInvalid("last_admin", "active")])
    action = "activate" if active else "deactivate"
    with audit.audited(uow, user_id=actor_id, action=action, entity="user", snapshot=user_snapshot, target=user):
        user.active = active
        if not active:
            user.end_sessions()  # and they stay ended: reactivation starts from a new generation
            for counter in uow.repo.counters_of_officer(user.id):
                counter.close()  # nobody may act at a counter in the name of someone who left
    uow.commit()
    return user


def reset_password(uow: UnitOfWork, *, actor_id: int | None, user_id: int, data: Mapping) -> User:
    """The audit row says that the password changed, never what it is."""
    user = _get(uow.repo.user, user_id)
    errors = Problems()
    password = _password(
        errors, data.get("password"), data.get("password_confirm"), username=user.username, full_name=user.full_name
    )
    errors.check()
    old = user.password_hash
    snapshot = lambda u: {
        "username": u.username,
        "password": "(old)" if u.password_hash == old else "(new, not recorded)",
    }  # noqa: E501, E731
    with audit.audited(uow, user_id=actor_id, action="reset_password", entity="user", snapshot=snapshot, target=user):
        user.password_hash = generate_password_hash(password)
        user.end_sessions()  # whoever knew the old password is out
    uow.commit()
    return user
