"""Who may see a staff page: the decorators every staff blueprint uses, below all of them.

An anonymous visitor is sent to the login form (and back afterwards); an officer on a supervisor's
page gets a plain 403 page. The API answers in JSON instead (web/api/auth.py).
"""

from __future__ import annotations

from functools import wraps

from flask import redirect, render_template, request, url_for
from flask_login import current_user


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
