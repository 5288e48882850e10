"""Words for the codes staff pages show (ticket states, events, audit actions and fields), through
Babel: no raw enum such as `no_show` or `rotate_token` reaches a person."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..domain.reporting import Period, PeriodKind

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


def counter_status_labels() -> dict:
    return {"open": _("Open"), "break": _("On break"), "closed": _("Closed")}


def error_texts() -> dict:
    """The API's stable error codes, said in the officer's language."""
    return {
        "queue_empty": _("Nobody is waiting for the services you serve here."),
        "counter_busy": _("Finish, skip or hold the current ticket first."),
        "counter_not_open": _("The counter is not open (on a break?)."),
        "not_your_counter": _("This ticket is not at your counter."),
        "not_competent": _("You are not assigned to serve this service."),
        "not_served_here": _("This counter does not serve that service."),
        "recall_limit": _("Recalled too often: mark it as a no-show."),
        "requeue_window_passed": _("Too late: the no-show window has passed. A supervisor may reopen it."),
        "invalid_transition": _("That step is not possible for this ticket now."),
        "same_service": _("The ticket is already in that service."),
        "reason_required": _("Give a reason."),
        "unknown_reason": _("Choose a reason from the office's list."),
        "not_today": _("This ticket is from another day."),
        "forbidden": _("You are not allowed to do this."),
        "unauthorized": _("Your session has ended: log in again."),
        "rate_limited": _("Too many requests: wait a moment."),
    }


def period_label(period: Period) -> str:
    """ "Selasa, 3 November 2026", "November 2026", "2026", or a range, in the page's language."""
    if period.kind is PeriodKind.DAY:
        return format_date(period.first, "EEEE, d MMMM y")
    if period.kind is PeriodKind.MONTH:
        return format_date(period.first, "LLLL y")
    if period.kind is PeriodKind.YEAR:
        return str(period.first.year)
    return f"{format_date(period.first, 'd MMMM y')} – {format_date(period.last, 'd MMMM y')}"


def init_app(app: Flask) -> None:
    app.add_template_filter(number, "number")
    app.add_template_filter(label, "label")
    app.add_template_filter(coded, "coded")
