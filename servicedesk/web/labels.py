"""Words for the codes staff pages show (ticket states, events, audit actions and fields), through
Babel: no raw enum such as `no_show` or `rotate_token` reaches a person."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

LABELS = {
    # ticket states and events
    "waiting": _l("Waiting"),
    "called": _l("Called"),
    "serving": _l("Serving"),
    "held": _l("On hold"),
    "done": _l("Finished"),
    "no_show": _l("No-show"),
    "cancelled": _l("Cancelled"),
    "issued": _l("Issued"),
    "recalled": _l("Recalled"),
    "requeued": _l("Back in line"),
    "transferred": _l("Transferred"),
    "resumed": _l("Resumed"),
    # counters
    "open": _l("Open"),
    "break": _l("On break"),
    "closed": _l("Closed"),
    # audit actions
    "create": _l("created"),
    "update": _l("changed"),
    "delete": _l("deleted"),
    "activate": _l("activated"),
    "deactivate": _l("deactivated"),
    "import": _l("imported"),
    "logo": _l("logo changed"),
    "reorder": _l("reordered"),
    "reset_password": _l("password reset"),
    "rotate_token": _l("token renewed"),
    "cancel": _l("cancelled"),
    "late_return": _l("late, back in line"),
    "take_over": _l("taken over"),
    # reasons and rules
    "closed_at_day_end": _l("Closed at the end of the day, not served"),
    "cancelled by the visitor": _l("Cancelled by the visitor"),
    "oldest": _l("the oldest ticket across these services"),
    "strict": _l("the first service in this order that has someone waiting"),
    "end": _l("at the end of the line"),
    "original": _l("at their original place"),
}


def label(value) -> str:
    """The word for a code; an unknown snake_case code is at least written as words."""
    text = "" if value is None else str(getattr(value, "value", value))
    found = LABELS.get(text)
    return str(found) if found is not None else text.replace("_", " ")


def coded(value) -> str:
    """A value that may be a code (a state, a reason) in words; any other text as it is."""
    text = str(getattr(value, "value", value))
    found = LABELS.get(text)
    return str(found) if found is not None else text


def number(value) -> str:
    """A number in the page's locale (1.234,5 in Indonesian, 1,234.5 in English); other values as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–" if value is None else str(value)
    return format_decimal(value, format="#,##0.##")


def init_app(app: Flask) -> None:
    app.add_template_filter(number, "number")
    app.add_template_filter(label, "label")
    app.add_template_filter(coded, "coded")
