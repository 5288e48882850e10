"""Staff sessions: logging in and out, written to the audit trail (who, from which address, never a password).

Both doors (the login page and POST /api/v1/auth/login) go through `log_in`, so they check, record
and refuse alike. Ending a person's sessions adds one to their session generation
(User.end_sessions): every cookie signed before is refused from the next request on, and their
live Socket.IO connections are dropped once the change has committed (realtime/publisher.py).
"""

from __future__ import annotations

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.model import User
from . import audit
from .unit_of_work import UnitOfWork


@cache
def dummy_hash() -> str:
    """Checked when the username is unknown, so a wrong name and a wrong password take as long."""
    return generate_password_hash("not-a-password")


def log_in(uow: UnitOfWork, *, username: str, password: str, address: str | None) -> User | None:
    """The user when the name and password are right and the account is active; either way audited.

    A failed attempt records the username only when it names an account: what was typed into the
    username field of a failed attempt may be a password.
    """
    user = uow.repo.user_by_username(username.strip())
    valid = check_password_hash(user.password_hash if user else dummy_hash(), password)
    accepted = user is not None and valid and user.active
    audit.record(
        uow,
        user_id=user.id if accepted else None,
        action="login" if accepted else "login_failed",
        entity="session",
        entity_id=user.id if user else None,
        after={"username": user.username if user else None, "address": address},
    )
    uow.commit()
    return user if accepted else None


def log_out(uow: UnitOfWork, *, user_id: int, address: str | None) -> None:
    """Logging out ends every session of the person, on every device, not only this browser's."""
    user = uow.repo.user(user_id)
    if user is None:
        return
    user.end_sessions()
    audit.record(
        uow,
        user_id=user.id,
        action="logout",
        entity="session",
        entity_id=user.id,
        after={"username": user.username, "address": address},
    )
    uow.commit()
