"""The waiting-room display at /display (issue 5). Templates and assets live in the top-level display/ folder."""

from flask import Blueprint

from ..config import ROOT

bp = Blueprint(
    "display",
    __name__,
    url_prefix="/display",
    template_folder=str(ROOT / "display" / "templates"),
    static_folder=str(ROOT / "display" / "static"),
)
