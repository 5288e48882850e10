"""The management review's tables: the comparison with the previous period, the per-day trend and
the wait per priority group, for the report page, its CSV/XLSX exports and the review pack alike
(exports.Table, so exports.to_csv and to_xlsx neutralise formula-like cells the same way)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..domain.priority_groups import label_of
from ..domain.reporting import EMPTY, Distribution, minutes
from ..domain.review import REGULAR, UNSAID, Summary, metric
from ..persistence.reports import Names
from .exports import Table
from .review import ReviewFigures

#: The review's tables, in page order (names in URLs and file names).
REVIEW_TABLES = ("comparison", "trend", "group_waits")


def metric_labels() -> dict[str, str]:
    return {
        "issued": _("Issued"),
        "served": _("Served"),
        "waiting_mean": _("Waiting, %(what)s (min)", what=_("mean")),
        "waiting_median": _("Waiting, %(what)s (min)", what=_("median")),
        "waiting_p90": _("Waiting, %(what)s (min)", what=_("90th percentile")),
        "service_mean": _("Service, %(what)s (min)", what=_("mean")),
        "service_median": _("Service, %(what)s (min)", what=_("median")),
        "service_p90": _("Service, %(what)s (min)", what=_("90th percentile")),
        "compliance": _("Within standard (%)"),
        "respondents": _("Respondents"),
        "ikm": _("IKM"),
    }


def comparison_table(review: ReviewFigures, current_label: str, previous_label: str) -> Table:
    """Each headline figure this period, the period before, and the change (of the printed figures)."""
    labels = metric_labels()
    return Table(
        "comparison",
        _("Compared with the previous period"),
        [_("Figure"), current_label, previous_label, _("Change")],
        [[labels[c.metric], c.current, c.previous, c.difference] for c in review.changes],
    )


def _summary_cells(s: Summary) -> list:
    return [
        s.issued,
        s.served,
        metric(s, "waiting_mean"),
        metric(s, "waiting_median"),
        metric(s, "waiting_p90"),
        metric(s, "service_mean"),
        metric(s, "service_median"),
        metric(s, "service_p90"),
        s.compliance,
        s.ikm.respondents,
        s.ikm.score,
    ]


def trend_table(review: ReviewFigures) -> Table:
    """One row per day (per month for a long period) that had tickets or survey answers, and the
    period's own row as the total."""
    labels = metric_labels()
    monthly = any(d.whole_month for d in review.days)
    return Table(
        "trend",
        _("Month by month") if monthly else _("Day by day"),
        [_("Month") if monthly else _("Date"), *(labels[name] for name in labels)],
        [[d.label, *_summary_cells(d.summary)] for d in review.days],
        [_("Total"), *_summary_cells(review.current)],
    )


def _wait_cells(d: Distribution) -> list:
    return [d.count, minutes(d.mean), minutes(d.median), minutes(d.p90)]


def group_waits_table(review: ReviewFigures, names: Names, english: bool) -> Table:
    """The wait per priority group beside the regular wait: the office's groups in its order (a
    listed group nobody came from shows 0), then keys no longer listed, then priority tickets
    whose group was not recorded; the total row is every ticket."""
    locale = "en" if english else "id"
    waits = dict(review.group_waits)
    rows = [[_("Regular (no priority)"), *_wait_cells(waits.pop(REGULAR, EMPTY))]]
    for group in names.priority_groups:
        rows.append([group.label(locale), *_wait_cells(waits.pop(group.key, EMPTY))])
    unsaid = waits.pop(UNSAID, None)
    for key, distribution in sorted(waits.items()):
        rows.append([label_of(names.priority_groups, key, locale), *_wait_cells(distribution)])
    if unsaid is not None:
        rows.append([_("Priority, group not recorded"), *_wait_cells(unsaid)])
    return Table(
        "group_waits",
        _("Waiting time per priority group"),
        [
            _("Priority group"),
            _("Tickets called"),
            _("Waiting, %(what)s (min)", what=_("mean")),
            _("Waiting, %(what)s (min)", what=_("median")),
            _("Waiting, %(what)s (min)", what=_("90th percentile")),
        ],
        rows,
        [_("All tickets"), *_wait_cells(review.all_waits)],
    )


def review_tables(
    review: ReviewFigures, names: Names, english: bool, current_label: str, previous_label: str
) -> dict[str, Table]:
    tables = (
        comparison_table(review, current_label, previous_label),
        trend_table(review),
        group_waits_table(review, names, english),
    )
    return {table.name: table for table in tables}


def review_chart(review: ReviewFigures, group_waits: Table) -> dict:
    """What the report page's trend and per-group charts draw; numbers only, labels translated."""

    def as_float(value):
        return float(value) if value is not None else None

    return {
        "days": [d.label for d in review.days],
        "waiting_median": [as_float(metric(d.summary, "waiting_median")) for d in review.days],
        "service_median": [as_float(metric(d.summary, "service_median")) for d in review.days],
        "compliance": [as_float(d.summary.compliance) for d in review.days],
        "ikm": [as_float(d.summary.ikm.score) for d in review.days],
        "groups": [row[0] for row in group_waits.rows],
        "group_wait_median": [as_float(row[3]) for row in group_waits.rows],  # the median column
        "labels": {
            "waiting_median": _("Waiting, median (min)"),
            "service_median": _("Service, median (min)"),
            "compliance": _("Within standard (%)"),
            "ikm": _("IKM"),
        },
    }
