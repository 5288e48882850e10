"""A form sent with a missing or stale CSRF token: a readable page that leads back, never a raw 400.

Tokens live as long as the session (WTF_CSRF_TIME_LIMIT = None, config.py): an officer keeps the
console open all day, and the token ends with the session at logout or login. What still fails
(a page from before a logout, a session that expired while idle) gets this page, in the office's
language, with a link to the page the form was on; the API answers in its JSON format.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from .errors import error_response


def back_path(referrer: str | None, host: str) -> str:
    """The path of the page the form came from when it is on this site, otherwise the home page."""
    if not referrer:
        return "/"
    parts = urlsplit(referrer)
    if parts.netloc != host or parts.scheme not in ("http", "https") or not parts.path.startswith("/"):
        return "/"
    if parts.path.startswith("//"):
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def form_expired(error: CSRFError):
    if request.path.startswith("/api/"):
        return error_response(400, "csrf_failed", "The form's security token is missing or expired; reload the page.")
    back = back_path(request.referrer, request.host)
    return render_template("csrf_expired.html", back=back), 400


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, form_expired)
