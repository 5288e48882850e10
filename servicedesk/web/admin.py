"""Administration at /admin (issue 6): the SOP catalogue, counters, people, devices, settings, audit trail."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
