"""Input built to break the server, refused at the door with a clear 4xx in the house format.

One before_request and two error handlers, instead of a patch per route:
- JSON nested deeper than any request of ours (Python's parser would raise RecursionError), and JSON
  text with a lone UTF-16 surrogate such as "\\ud800" (no database can store it: UnicodeEncodeError);
- a NUL character in the address (path or query) or in a posted form (PostgreSQL refuses it in text);
- a number too large for the database's column (OverflowError from SQLite, DataError from PostgreSQL)
  that got past a form's own bounds.
The API answers {"error": {"code", "message"}}; a page answers the readable message page.
"""

from __future__ import annotations

import json
import logging
import re

from flask import Flask, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError

from .errors import error_response

log = logging.getLogger(__name__)

#: No request of ours nests JSON more than a few levels; this leaves room and stays far below
#: Python's recursion limit.
MAX_JSON_DEPTH = 32

#: A \uD800-\uDFFF escape: half of a surrogate pair, or a lone one (checked after parsing).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _json_depth(value, limit: int) -> int:
    """How deep containers nest, counting no further than `limit` + 1 (iterative: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _has_lone_surrogate(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def json_problem(data: bytes) -> str | None:
    """What makes this JSON body hostile, or None. Cheap for ordinary bodies: bytes.count and a
    regular expression decide whether it is parsed here at all (the schema parses it anyway)."""
    nested = data.count(b"[") + data.count(b"{") > MAX_JSON_DEPTH
    escaped = _SURROGATE_ESCAPE.search(data) is not None
    if not nested and not escaped:
        return None
    try:
        value = json.loads(data)
    except RecursionError:
        return f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
    except ValueError:
        return None  # malformed: the schema says so in its own words
    if nested and _json_depth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        return f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
    if escaped and _has_lone_surrogate(value):
        return "The JSON body holds a lone UTF-16 surrogate (e.g. \\ud800), which is not a character."
    return None


def _has_nul() -> bool:
    if "\x00" in request.path:
        return True
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        return True
    # Only a plain form is read here: a multipart upload raises its own size limit in its view first.
    if request.mimetype == "application/x-www-form-urlencoded":
        return any("\x00" in key or "\x00" in value for key, value in request.form.items(multi=True))
    return False


def refusal(status: int, code: str, message: str, page_message: str):
    if request.path.startswith("/api/"):
        return error_response(status, code, message)
    return render_template("admin/message.html", title=_("Request refused"), message=page_message), status


def refuse_hostile_input():
    if _has_nul():
        return refusal(
            400,
            "invalid_text",
            "The address or form holds a NUL character.",
            _("The address or form holds a character that is not allowed (NUL)."),
        )
    if request.method in ("POST", "PUT", "PATCH") and request.is_json:
        problem = json_problem(request.get_data(cache=True))
        if problem:
            return refusal(400, "malformed_json", problem, problem)
    return None


def init_app(app: Flask) -> None:
    app.before_request(refuse_hostile_input)

    @app.errorhandler(OverflowError)
    def _number_too_large(error: OverflowError):
        # SQLite's "Python int too large to convert to SQLite INTEGER": nothing of the request is kept.
        from ..extensions import db  # late: extensions imports the API, which imports this package

        db.session.rollback()
        log.warning("number too large on %s %s: %s", request.method, request.path, error)
        return refusal(
            422, "validation_error", "A number is too large.", _("A number is larger than this system can store.")
        )

    @app.errorhandler(DataError)
    def _out_of_range(error: DataError):
        # PostgreSQL's numeric out of range or NUL in text; the API's handler (web/api/errors.py)
        # answers in JSON, this one gives a page its readable message.
        from ..extensions import db

        db.session.rollback()
        log.warning("data error on %s %s: %s", request.method, request.path, error)
        return refusal(
            422,
            "validation_error",
            "A value is out of the range the database accepts.",
            _("A value is out of the range this system can store."),
        )
