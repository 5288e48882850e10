"""What each audit action is called on the pages, in the reader's language (the rows keep the code)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "create": _l("Created"),
    "update": _l("Updated"),
    "activate": _l("Activated"),
    "deactivate": _l("Deactivated"),
    "delete": _l("Deleted"),
    "import": _l("Imported"),
    "reorder": _l("Reordered"),
    "logo": _l("Logo changed"),
    "rotate_token": _l("Token rotated"),
    "reset_password": _l("Password reset"),
    "login": _l("Logged in"),
    "login_failed": _l("Login failed"),
    "logout": _l("Logged out"),
    "open": _l("Opened"),
    "close": _l("Closed"),
    "cancel": _l("Cancelled"),
    "late_return": _l("Late, back in line"),
    "take_over": _l("Taken over"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def init_app(app: Flask) -> None:
    app.add_template_filter(action_label, "audit_action")
