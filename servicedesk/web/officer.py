"""The officer console at /officer (issue 4)."""

from flask import Blueprint

bp = Blueprint("officer", __name__, url_prefix="/officer")
