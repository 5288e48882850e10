"""Who may see a staff page: the decorators every staff blueprint uses, below all of them.

An anonymous visitor is sent to the login form (and back afterwards); an officer on a supervisor's
page gets a plain 403 page. The API answers in JSON instead (web/api/auth.py). An auditor reads the
reports, the SKM pages, the exports and the audit log, and nothing else of the staff's
(`auditors_only_read`, before every request).
"""

from __future__ import annotations

from functools import wraps

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from .errors import error_response


def page_login_required(view):
    """Pages send an anonymous visitor to the login form, and back here afterwards."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("login.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


def page_supervisor_required(view):
    """The floor is for supervisors and admins; an officer gets a plain 403 page."""

    @wraps(view)
    @page_login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_supervisor:
            return render_template("login.html", form=None, forbidden=True), 403
        return view(*args, **kwargs)

    return wrapper


def _refused_page():
    return render_template("login.html", form=None, forbidden=True), 403


def page_reader_required(view):
    """Reports, SKM pages and exports: supervisors, admins and auditors; an officer gets a 403 page."""

    @wraps(view)
    @page_login_required
    def wrapper(*args, **kwargs):
        if not current_user.reads_reports:
            return _refused_page()
        return view(*args, **kwargs)

    return wrapper


#: What an auditor may open, reading only (GET): reports and exports, the SKM pages, the audit log
#: and its chain check, and their own session.
AUDITOR_READS = ("reports.", "skm.", "admin.audit_page", "admin.audit_csv", "admin.audit_verify", "auth_api.")
#: The staff's own endpoints: the desk, the floor, the administration, booking for a visitor and
#: checking one in. An auditor is refused all of them but AUDITOR_READS.
STAFF_ENDPOINTS = (
    "officer.",
    "supervisor.",
    "admin.",
    "admin_desk.",
    "admin_announcements.",
    "desk_api.",
    "booking.staff",
)
#: Public endpoints among those: the office logo (kiosk, display and slip show it).
PUBLIC_AMONG_STAFF = ("admin.logo",)
#: Routes anyone may call that act as staff when a staff member calls them (a booking's check-in).
STAFF_WHEN_SIGNED_IN = ("booking.kiosk_check_in", "booking_api.check_in")


def auditors_only_read():
    """Before every request: an auditor never acts (no form, no desk, no administration) and reads
    only what AUDITOR_READS names; elsewhere they are an anonymous caller's equal at most. Public
    endpoints are left alone before the signed-in user is even loaded (no session is opened for
    them: /metrics reads the database in a context of its own)."""
    endpoint = request.endpoint or ""
    if endpoint in PUBLIC_AMONG_STAFF:
        return None
    reads = endpoint.startswith(AUDITOR_READS)
    acts = endpoint.startswith(STAFF_ENDPOINTS) or (endpoint in STAFF_WHEN_SIGNED_IN and request.method == "POST")
    if not (reads or acts):
        return None
    if not (current_user.is_authenticated and current_user.is_auditor):
        return None
    if reads and (request.method in ("GET", "HEAD") or endpoint.startswith("auth_api.")):
        return None
    if request.path.startswith("/api/"):
        return error_response(403, "forbidden", "An auditor reads reports and the audit log only.")
    return _refused_page()
