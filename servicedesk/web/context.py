"""What a view needs from the running app: a unit of work, the clock, the logged-in user's id."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from ..extensions import db
from ..services.unit_of_work import UnitOfWork


def now() -> datetime:
    return current_app.config["CLOCK"]()


def unit_of_work() -> UnitOfWork:
    extensions = current_app.extensions
    return UnitOfWork(
        db.session,
        extensions["servicedesk.publish"],
        current_app.config["CLOCK"],
        extensions["servicedesk.settings"],
        outbox=extensions.get("servicedesk.outbox"),
    )
