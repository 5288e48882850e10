"""Reports for management review at /reports (issue 7): service times against the SOP, and the IKM."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
