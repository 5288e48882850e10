"""One limit on failed logins, shared by the login page and POST /api/v1/auth/login.

Failed attempts are counted per account *and* client address, with limits that grow stricter the
longer the guessing goes on (a few a minute, fewer an hour, fewer a day: each attempt beyond them
waits longer), and per address whatever the account. A stranger guessing at a known username from
another machine therefore slows down only themselves: the officer at their own counter PC still
logs in. Counts live in the limiter's storage (Redis when REDIS_URL is set), so every process of an
office sees the same. A successful login costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address

from ..extensions import limiter

#: Failed logins for one account from one address: a mistyped password or two is nothing, a guesser slows down.
ACCOUNT_LIMIT = "5 per minute;20 per hour;50 per day"
#: Failed logins from one address, whatever the accounts (the lock on a guessing machine).
ADDRESS_LIMIT = "10 per minute;100 per day"


def attempted_username() -> str:
    """The username of this attempt, from the page's form or the API's JSON body."""
    value = request.form.get("username")
    if value is None:
        body = request.get_json(silent=True)
        value = body.get("username") if isinstance(body, dict) else None
    return (value if isinstance(value, str) else "").strip().lower()[:64]


def account_key() -> str:
    return f"{attempted_username()}|{get_remote_address()}"


def limit_failed_logins(failed: Callable[[Response], bool]):
    """The decorator both doors wear; `failed` says which answers count (each door answers success its way)."""
    account = limiter.shared_limit(
        lambda: current_app.config.get("LOGIN_USER_RATE_LIMIT", ACCOUNT_LIMIT),
        scope="login-account",
        key_func=account_key,
        methods=["POST"],
        deduct_when=failed,
    )
    address = limiter.shared_limit(
        lambda: current_app.config.get("LOGIN_RATE_LIMIT", ADDRESS_LIMIT),
        scope="login-address",
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=failed,
    )

    def decorate(view):
        return address(account(view))

    return decorate
