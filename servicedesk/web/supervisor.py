"""The supervisor's live floor at /supervisor: every counter and queue, and what is overdue.

Like the officer console, the page is rendered once with a full snapshot and then kept current by
the staff Socket.IO room (static/supervisor/floor.js); its actions (move a waiting ticket, close a
counter, reopen a no-show) go through the JSON API, which checks the supervisor role again.
"""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.alerts import AMBER_SHARE
from ..extensions import db
from ..persistence import queries
from ..persistence.repository import Repository
from ..realtime import snapshots
from .auth import page_supervisor_required
from .consoles import service_info
from .context import now
from .labels import counter_status_labels, error_texts

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")


def floor_strings() -> dict:
    """Texts the script shows, translated here."""
    return {
        "called": _("Called"),
        "serving": _("Serving"),
        "held": _("On hold"),
        "waiting": _("Waiting"),
        "priority": _("Priority"),
        "min": _("min"),
        "no_ticket": _("no ticket"),
        "no_officer": _("no officer"),
        "close": _("Close"),
        "move": _("Move"),
        "reopen": _("Reopen"),
        "cancel": _("Cancel ticket"),
        "cancelled": _("Cancelled"),
        "confirm_close": _("Close %(counter)s?"),
        "no_alerts": _("No alerts: every wait and service is within its threshold."),
        "alert_waiting": _("waiting"),
        "alert_serving": _("in service"),
        "threshold": _("threshold"),
        "no_waiting": _("Nobody is waiting."),
        "no_no_shows": _("No no-shows today."),
        "offline": _("Connection lost: reconnecting…"),
        "online": _("Connected"),
        "moved": _("moved to"),
        "reopened": _("is back in the queue"),
        "closed_counter": _("closed"),
        "failed": _("That did not work."),
        "no_muted": _("Every display has sound."),
        "unregistered_display": _("display without a token"),
        "status": counter_status_labels(),
        "errors": error_texts(),
    }


@bp.get("/")
@page_supervisor_required
def index():
    office = Repository(db.session).office()
    services = queries.services(db.session, agency_id=current_user.agency_id)
    data = {
        "user": {"id": current_user.id, "full_name": current_user.full_name},
        "snapshot": snapshots.staff(db.session, now(), current_user.agency_id),
        "services": [service_info(s) for s in services],
        "amber_share": AMBER_SHARE,
        "server_now": now().isoformat(),
        "time_zone": office.time_zone,
        "urls": {
            "api": url_for("desk_api.queue").rsplit("/", 1)[0],
            "login": url_for("login.login", next=url_for("supervisor.index")),
        },
        "strings": floor_strings(),
    }
    return render_template(
        "supervisor/floor.html", office=office, services=services, data=data, cancel_reasons=office.cancel_reason_list
    )
