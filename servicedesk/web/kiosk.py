"""The touch kiosk at /kiosk (issue 3). Templates and assets live in the top-level kiosk/ folder."""

from flask import Blueprint

from ..config import ROOT

bp = Blueprint(
    "kiosk",
    __name__,
    url_prefix="/kiosk",
    template_folder=str(ROOT / "kiosk" / "templates"),
    static_folder=str(ROOT / "kiosk" / "static"),
)
