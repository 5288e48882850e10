"""The phone page's service worker, served under /t/ so that it may show the page's push messages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app

bp = Blueprint("notify_pages", __name__)


@cache
def _script(static_folder: str) -> bytes:
    return (Path(static_folder) / "visitor" / "push-sw.js").read_bytes()


@bp.get("/t/push-sw.js")
def service_worker():
    return Response(
        _script(current_app.static_folder),
        mimetype="text/javascript",
        headers={"Service-Worker-Allowed": "/t/", "Cache-Control": "no-cache"},
    )
