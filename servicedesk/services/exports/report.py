"""Every table of the report, built from the figures in one function (report_tables)."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from ...domain.reporting import (
    Distribution,
    arrivals_grid,
    element_score,
    minutes,
    percent,
)
from ...domain.survey import ELEMENTS
from ...persistence.reports import Figures, Names, ServiceFigures, StaffFigures
from .breakdowns import cancel_reasons_table, priority_groups_table
from .survey import _grade_letter, _ikm_row, ikm_by_service, profile_rows
from .table import Table, weekdays


def _times(d: Distribution) -> list:
    return [minutes(d.mean), minutes(d.median), minutes(d.p90)]


def _service_row(label: list, row: ServiceFigures) -> list:
    return [
        *label,
        row.issued,
        row.priority,
        percent(row.priority, row.issued),
        row.served,
        row.no_show,
        row.cancelled,
        row.transferred,
        *_times(row.waiting),
        *_times(row.service),
        row.within_standard,
        percent(row.within_standard, row.served),
    ]


def _staff_rows(rows: Iterable[StaffFigures], label) -> list[list]:
    return [
        [
            label(row.key),
            row.served,
            row.no_show,
            minutes(row.mean_service),
            row.within_standard,
            percent(row.within_standard, row.served),
        ]
        for row in rows
    ]


def _service_names(english: bool):
    return (lambda s: s["name_en"]) if english else (lambda s: s["name"])


def _services_table(figures: Figures, names: Names, english: bool) -> Table:
    service_name = _service_names(english)
    ordered = [sid for sid in names.services if sid in figures.services]
    times = [_("mean"), _("median"), _("90th percentile")]
    return Table(
        "services",
        _("Tickets and times per service"),
        [
            _("Code"),
            _("Service"),
            _("Standard time (min)"),
            _("Issued"),
            _("Priority"),
            _("Priority (%)"),
            _("Served"),
            _("No-show"),
            _("Cancelled"),
            _("Transferred"),
            *(_("Waiting, %(what)s (min)", what=w) for w in times),
            *(_("Service, %(what)s (min)", what=w) for w in times),
            _("Within standard"),
            _("Within standard (%)"),
        ],
        [
            _service_row(
                [
                    names.services[sid]["code"],
                    service_name(names.services[sid]),
                    names.services[sid]["standard_minutes"],
                ],
                figures.services[sid],
            )
            for sid in ordered
        ],
        _service_row(["", _("Total"), None], figures.total),
    )


def _staff_tables(figures: Figures, names: Names) -> tuple[Table, Table]:
    staff_headers = [
        _("Served"),
        _("No-show"),
        _("Mean service time (min)"),
        _("Within standard"),
        _("Within standard (%)"),
    ]
    officers = Table(
        "officers",
        _("Per officer"),
        [_("Officer"), *staff_headers],
        sorted(
            _staff_rows(figures.officers, lambda key: names.officers.get(key, f"#{key}")),
            key=lambda row: row[0],
        ),
    )
    counters = Table(
        "counters",
        _("Per counter"),
        [_("Counter"), *staff_headers],
        _staff_rows(
            sorted(figures.counters, key=lambda r: names.counters.get(r.key, {}).get("number", 0)),
            lambda key: names.counters.get(key, {}).get("name", f"#{key}"),
        ),
    )
    return officers, counters


def _arrivals_table(figures: Figures, time_zone: str) -> Table:
    grid = arrivals_grid(figures.arrivals, time_zone)
    return Table(
        "arrivals",
        _("Arrivals by weekday and hour"),
        [_("Weekday"), *(f"{hour:02d}" for hour in range(24)), _("Total")],
        [[day, *counts, sum(counts)] for day, counts in zip(weekdays(), grid, strict=True)],
        [_("Total"), *(sum(grid[d][h] for d in range(7)) for h in range(24)), sum(map(sum, grid))],
    )


def _survey_tables(figures: Figures, names: Names, english: bool) -> tuple[Table, Table, Table]:
    """The IKM per service, the mean score per element and the respondents' profile."""
    service_name = _service_names(english)
    per_service, total = ikm_by_service(figures, names)
    # Codes only: the elements table beside it names them, and nine long names do not fit on A4.
    element_headers = [f"U{index}" for index in range(1, len(ELEMENTS) + 1)]
    ikm = Table(
        "ikm",
        _("Satisfaction index (IKM) per service"),
        [
            _("Service"),
            _("Respondents"),
            _("Online"),
            _("Paper"),
            _("Served"),
            _("Sample needed (Krejcie-Morgan)"),
            _("Sample adequacy"),
            *element_headers,
            _("IKM"),
            _("Grade"),
            _("Quality"),
        ],
        [
            _ikm_row(
                [f"{names.services[sid]['code']} {service_name(names.services[sid])}"],
                f,
                english,
                figures.sources.get(sid),
            )
            for sid, f in per_service
        ],
        _ikm_row([_("Total")], total, english, figures.sources.get(None)),
    )
    elements = Table(
        "elements",
        _("Mean score (NRR) per element"),
        [_("Element"), _("NRR (1-4)"), _("Converted (25-100)"), _("Grade")],
        [
            [
                f"U{index} {label_en if english else label_id}",
                total.nrr.get(code),
                element_score(total.nrr[code]) if code in total.nrr else None,
                _grade_letter(element_score(total.nrr[code])) if code in total.nrr else None,
            ]
            for index, (code, label_id, label_en) in enumerate(ELEMENTS, start=1)
        ],
    )
    profile = Table(
        "profile",
        _("Respondent profile"),
        [_("Question"), _("Group"), _("Respondents"), _("Share (%)"), _("IKM"), _("Grade")],
        profile_rows(figures, english),
    )
    return ikm, elements, profile


def _comments_table(figures: Figures, names: Names, time_zone: str) -> Table:
    zone = ZoneInfo(time_zone)
    return Table(
        "comments",
        _("Comments, newest first"),
        [_("Submitted"), _("Service"), _("Counter"), _("Officer"), _("Comment")],
        [
            [
                c.submitted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                names.services.get(c.service_id, {}).get("code", ""),
                names.counters.get(c.counter_id, {}).get("name", "") if c.counter_id else "",
                names.officers.get(c.officer_id, "") if c.officer_id else "",
                c.text,
            ]
            for c in figures.comments
        ],
    )


def report_tables(figures: Figures, names: Names, time_zone: str, english: bool = False) -> dict[str, Table]:
    """Every table of the report, with translated headers, values rounded as the page shows them."""
    chosen = (
        _services_table(figures, names, english),
        *_staff_tables(figures, names),
        _arrivals_table(figures, time_zone),
        *_survey_tables(figures, names, english),
        _comments_table(figures, names, time_zone),
        priority_groups_table(figures, names, english),
        cancel_reasons_table(figures),
    )
    return {t.name: t for t in chosen}
