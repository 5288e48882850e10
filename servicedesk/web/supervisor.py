"""The supervisor's live floor at /supervisor (issue 4)."""

from flask import Blueprint

bp = Blueprint("supervisor", __name__, url_prefix="/supervisor")
