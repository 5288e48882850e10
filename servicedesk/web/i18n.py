"""Language: Indonesian first, English second. A page may switch with ?lang=en (the kiosk's toggle).

The one place the language of a request is chosen (the rule itself: domain/branding.py
`page_language`): what the visitor asked for or chose earlier in this visit, else the language of
the agency the page is about (`speak_agency`: the kiosk's chosen agency, a ticket's agency on its
slip and phone page), else the site's.
"""

from __future__ import annotations

from flask import g, request
from flask_babel import refresh

from ..domain.branding import FORGET, LANGUAGES, page_language

COOKIE = "lang"


def locale_for(agency_language: str | None) -> str:
    """The language of this request for a page about an agency speaking `agency_language`
    (None: the site's language)."""
    from ..extensions import db
    from ..persistence.repository import Repository

    return page_language(
        asked=request.args.get("lang"),
        remembered=request.cookies.get(COOKIE),
        agency=agency_language,
        office=Repository(db.session).office().language,
    )


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    return locale_for(g.get("agency_language"))


def speak_agency(language: str | None) -> str:
    """This request's page is about an agency speaking `language` (None: the site's): its text is
    drawn in that language unless the visitor chose another. Returns the request's language."""
    g.agency_language = language
    refresh()  # anything translated before this call was in the site's language
    return select_locale()


def remember_choice(response):
    """A ?lang= choice sticks for the rest of the visit; ?lang=auto (the kiosk starting over) forgets it."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES and request.cookies.get(COOKIE) != wanted:
        response.set_cookie(COOKIE, wanted, max_age=60 * 60 * 12, samesite="Lax", httponly=True)
    elif wanted == FORGET and request.cookies.get(COOKIE) is not None:
        response.delete_cookie(COOKIE, samesite="Lax", httponly=True)
    return response


def language_chosen() -> bool:
    """Has the visitor chosen a language in this visit (a tap on a language switch)?"""
    asked = request.args.get("lang")
    return asked in LANGUAGES or (asked != FORGET and request.cookies.get(COOKIE) in LANGUAGES)
