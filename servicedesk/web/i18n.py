"""Language: Indonesian first, English second. A page may switch with ?lang=en (the kiosk's toggle)."""

from __future__ import annotations

from flask import request

LANGUAGES = ("id", "en")
COOKIE = "lang"


def select_locale() -> str:
    wanted = request.args.get("lang") or request.cookies.get(COOKIE)
    if wanted in LANGUAGES:
        return wanted
    from ..extensions import db
    from ..persistence.repository import Repository

    office_language = Repository(db.session).office().language
    return office_language if office_language in LANGUAGES else "id"


def remember_choice(response):
    """A ?lang= choice sticks for the rest of the visit."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES and request.cookies.get(COOKIE) != wanted:
        response.set_cookie(COOKIE, wanted, max_age=60 * 60 * 12, samesite="Lax", httponly=True)
    return response
