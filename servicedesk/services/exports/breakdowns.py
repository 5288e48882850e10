"""Cancellations by reason and priority tickets per group."""

from __future__ import annotations

from flask_babel import gettext as _

from ...domain.model import DAY_END_REASON, VISITOR_CANCEL_REASON
from ...domain.priority_groups import label_of
from ...domain.reporting import (
    percent,
)
from ...persistence.reports import Figures, Names
from .table import Table


def cancel_reason_label(reason: str) -> str:
    """A cancel reason in the reader's language: the office's own wording as it is, the system's own
    reasons (the day's close, the visitor's phone) translated."""
    labels = {
        DAY_END_REASON: _("Closed at the end of the day, not served"),
        VISITOR_CANCEL_REASON: _("Cancelled by the visitor"),
        "": _("No reason given"),
    }
    return str(labels.get(reason, reason))


def cancel_reasons_table(figures: Figures) -> Table:
    """Cancellations by reason (issue 21: every cancel carries one), most frequent first."""
    counts = figures.cancel_reasons
    total = sum(counts.values())
    rows = [[cancel_reason_label(reason), count, percent(count, total)] for reason, count in counts.items()]
    return Table(
        "cancel_reasons",
        _("Cancellations by reason"),
        [_("Reason"), _("Cancelled"), _("Share (%)")],
        rows,
        [_("Total"), total, percent(total, total) if total else None],
    )


def priority_groups_table(figures: Figures, names: Names, english: bool) -> Table:
    """Priority tickets per group (kelompok rentan, UU 25/2009 art. 29): the office's list in its order,
    then keys no longer listed, then tickets whose visitor did not say."""
    locale = "en" if english else "id"
    counts = dict(figures.priority_groups)
    total = sum(counts.values())
    rows = []
    for group in names.priority_groups:
        count = counts.pop(group.key, 0)
        rows.append([group.label(locale), count, percent(count, total)])
    unsaid = counts.pop(None, 0)
    for key, count in sorted(counts.items()):
        rows.append([label_of(names.priority_groups, key, locale), count, percent(count, total)])
    if unsaid:
        rows.append([_("Group not recorded"), unsaid, percent(unsaid, total)])
    return Table(
        "priority_groups",
        _("Priority tickets per group"),
        [_("Priority group"), _("Issued"), _("Share (%)")],
        rows,
        [_("Total"), total, percent(total, total) if total else None],
    )
