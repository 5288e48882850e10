"""Links that leave the building: the slip's QR code, the visitor's page, later the notifications.

They start with PUBLIC_URL, the address a visitor's phone reaches the server at; behind nginx or a
LAN name the request's own host would be an address the phone cannot reach. Without PUBLIC_URL
(development only: production refuses to start without it) the request's host stands in.
"""

from __future__ import annotations

from flask import current_app, url_for


def public_url_for(endpoint: str, **values) -> str:
    """An absolute URL of `endpoint` for someone outside the building."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)
