"""The front door: links to each screen, for whoever sets the office up."""

from flask import Blueprint, current_app, render_template, send_from_directory
from flask_babel import lazy_gettext as _l

bp = Blueprint("home", __name__)

SCREENS = [
    ("kiosk.index", _l("Kiosk (take a number)")),
    ("display.index", _l("Waiting-room display")),
    ("officer.index", _l("Officer console")),
    ("supervisor.index", _l("Supervisor floor")),
    ("admin.index", _l("Administration")),
    ("reports.index", _l("Reports")),
]


@bp.get("/")
def index():
    screens = [(endpoint, label) for endpoint, label in SCREENS if endpoint in current_app.view_functions]
    return render_template("home.html", screens=screens)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask every page's host for it; answered from the static folder, cached for a day."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
