"""People: accounts, roles, competences, activation and passwords, audited."""

from __future__ import annotations

import re
from collections.abc import Mapping

from werkzeug.security import generate_password_hash

from ...domain.audit import (
    user_snapshot,
)
from ...domain.model import Role, Service, User
from ...persistence import setup
from .. import audit
from ..unit_of_work import UnitOfWork
from .base import Invalid, _choice, _get, _service_ids, _text

# --- people ---

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 8


def _password(errors: dict, password: str | None, confirm: str | None) -> str:
    password = password or ""
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"at least {MIN_PASSWORD} characters"
    elif len(password) > 256:
        errors["password"] = "at most 256 characters"
    elif password != (confirm or ""):
        errors["password_confirm"] = "the two passwords differ"
    return password


def _active_admins(uow: UnitOfWork) -> int:
    return setup.active_admins(uow.session)


def _competences(uow: UnitOfWork, errors: dict, ids) -> list[Service]:
    chosen = _service_ids(uow, errors, "competences", ids)
    return [uow.repo.service(i) for i in chosen]


def create_user(uow: UnitOfWork, *, actor_id: int | None, data: Mapping) -> User:
    errors: dict[str, str] = {}
    username = (data.get("username") or "").strip().lower()
    if not USERNAME.match(username):
        errors["username"] = "3 to 64 characters: small letters, digits, . _ -"
    elif uow.repo.user_by_username(username) is not None:
        errors["username"] = "this username is taken"
    full_name = _text(errors, "full_name", data.get("full_name"), limit=200, required=True)
    role = _choice(errors, "role", data.get("role"), [r.value for r in Role])
    password = _password(errors, data.get("password"), data.get("password_confirm"))
    competences = _competences(uow, errors, data.get("competences"))
    if errors:
        raise Invalid(errors)
    with audit.audited(uow, user_id=actor_id, action="create", entity="user", snapshot=user_snapshot) as change:
        change.target = user = User(username, full_name, Role(role), generate_password_hash(password))
        user.competences = competences
        uow.repo.add(user)
    uow.commit()
    return user


def update_user(uow: UnitOfWork, *, actor_id: int | None, user_id: int, data: Mapping) -> User:
    user = _get(uow.repo.user, user_id)
    errors: dict[str, str] = {}
    full_name = _text(errors, "full_name", data.get("full_name"), limit=200, required=True)
    role = _choice(errors, "role", data.get("role"), [r.value for r in Role])
    competences = _competences(uow, errors, data.get("competences"))
    if user.role == Role.ADMIN and user.active and role and role != Role.ADMIN and _active_admins(uow) <= 1:
        errors["role"] = "the office needs at least one active admin"
    if errors:
        raise Invalid(errors)
    with audit.audited(uow, user_id=actor_id, action="update", entity="user", snapshot=user_snapshot, target=user):
        user.full_name, user.role, user.competences = full_name, Role(role), competences
    uow.commit()
    return user


def set_user_active(uow: UnitOfWork, *, actor_id: int | None, user_id: int, active: bool) -> User:
    """Deactivate instead of delete: tickets and audit rows keep the person's name."""
    user = _get(uow.repo.user, user_id)
    if not active:
        if user.id == actor_id:
            raise Invalid({"active": "you cannot deactivate your own account"})
        if user.role == Role.ADMIN and user.active and _active_admins(uow) <= 1:
            raise Invalid({"active": "the office needs at least one active admin"})
    before = user_snapshot(user)
    user.active = active
    if not active:
        for counter in uow.repo.counters_of_officer(user.id):
            counter.close()  # nobody may act at a counter in the name of someone who left
    audit.record(
        uow,
        user_id=actor_id,
        action="activate" if active else "deactivate",
        entity="user",
        entity_id=user.id,
        before=before,
        after=user_snapshot(user),
    )
    uow.commit()
    return user


def reset_password(uow: UnitOfWork, *, actor_id: int | None, user_id: int, data: Mapping) -> User:
    """The audit row says that the password changed, never what it is."""
    user = _get(uow.repo.user, user_id)
    errors: dict[str, str] = {}
    password = _password(errors, data.get("password"), data.get("password_confirm"))
    if errors:
        raise Invalid(errors)
    user.password_hash = generate_password_hash(password)
    audit.record(
        uow,
        user_id=actor_id,
        action="reset_password",
        entity="user",
        entity_id=user.id,
        before={"username": user.username, "password": "(old)"},
        after={"username": user.username, "password": "(new, not recorded)"},
    )
    uow.commit()
    return user
