"""The report's tables, and the same tables as CSV and XLSX for a management-review annex.

One function builds every table from the figures, so the page, the CSV and the workbook never
disagree. XLSX is written with openpyxl in write-only mode (rows streamed, not a cell grid held in
memory); openpyxl was chosen over XlsxWriter because it can also read a workbook back, which the
tests use to check what an auditor would open.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from ..domain.cells import spreadsheet_safe
from ..domain.model import DAY_END_REASON, VISITOR_CANCEL_REASON
from ..domain.priority_groups import label_of
from ..domain.reporting import (
    Distribution,
    IkmFigures,
    arrivals_grid,
    element_score,
    ikm_figures,
    minutes,
    percent,
    profile_groups,
)
from ..domain.survey import ELEMENTS, PROFILE, grade
from ..persistence.reports import Figures, Names, ServiceFigures, StaffFigures

#: The tables of the report, in page order: (name in URLs and file names, title).
TABLES = (
    "services",
    "officers",
    "counters",
    "arrivals",
    "ikm",
    "elements",
    "profile",
    "comments",
    "priority_groups",
    "cancel_reasons",
)


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list]
    total: list | None = None  # a last row that sums up the others

    def all_rows(self) -> list[list]:
        return [*self.rows, self.total] if self.total is not None else list(self.rows)


def weekdays() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


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


def ikm_by_service(figures: Figures, names: Names) -> tuple[list[tuple[int, IkmFigures]], IkmFigures]:
    """The IKM per service that had respondents or visitors served, and in total."""
    ids = [sid for sid in names.services if sid in figures.survey or sid in figures.services]
    per_service = [
        (
            sid,
            ikm_figures(
                figures.survey[sid].index() if sid in figures.survey else None,
                figures.services[sid].served if sid in figures.services else 0,
            ),
        )
        for sid in ids
    ]
    return per_service, ikm_figures(figures.survey_total.index(), figures.total.served)


def adequacy_text(f: IkmFigures) -> str | None:
    """The sample against Krejcie-Morgan, said plainly beside an IKM: "adequate" or "not yet adequate"."""
    if not f.served and not f.respondents:
        return None
    return _("adequate") if f.sample_reached else _("not yet adequate")


def _ikm_row(label: list, f: IkmFigures, english: bool, sources: dict[str, int] | None = None) -> list:
    sources = sources or {}
    return [
        *label,
        f.respondents,
        sources.get("online", 0),
        sources.get("paper", 0),
        f.served,
        f.sample_needed,
        adequacy_text(f),
        *(f.nrr.get(code) for code, _id, _en in ELEMENTS),
        f.score,
        f.grade[0] if f.grade else None,
        (f.grade[2] if english else f.grade[1]) if f.grade else None,
    ]


def report_tables(figures: Figures, names: Names, time_zone: str, english: bool = False) -> dict[str, Table]:
    """Every table of the report, with translated headers, values rounded as the page shows them."""
    service_name = (lambda s: s["name_en"]) if english else (lambda s: s["name"])
    ordered = [sid for sid in names.services if sid in figures.services]
    times = [_("mean"), _("median"), _("90th percentile")]
    services = Table(
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

    grid = arrivals_grid(figures.arrivals, time_zone)
    arrivals = Table(
        "arrivals",
        _("Arrivals by weekday and hour"),
        [_("Weekday"), *(f"{hour:02d}" for hour in range(24)), _("Total")],
        [[day, *counts, sum(counts)] for day, counts in zip(weekdays(), grid, strict=True)],
        [_("Total"), *(sum(grid[d][h] for d in range(7)) for h in range(24)), sum(map(sum, grid))],
    )

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

    zone = ZoneInfo(time_zone)
    comments = Table(
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
    groups = priority_groups_table(figures, names, english)
    cancels = cancel_reasons_table(figures)
    chosen = (services, officers, counters, arrivals, ikm, elements, profile, comments, groups, cancels)
    return {t.name: t for t in chosen}


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


def profile_rows(figures: Figures, english: bool) -> list[list]:
    """Per profile question and group: respondents, share and the group's IKM with its grade."""
    rows = []
    for name, (label_id, label_en, options) in PROFILE.items():
        labels = {code: (option_en if english else option_id) for code, option_id, option_en in options}
        tallies = figures.profiles.get(name, {})
        groups = profile_groups(name, {code: (t.respondents, t.index()) for code, t in tallies.items()})
        for group in groups:
            rows.append(
                [
                    label_en if english else label_id,
                    labels[group.code] if group.code is not None else _("Not answered"),
                    group.respondents,
                    group.share,
                    group.ikm.score,
                    group.ikm.grade[0] if group.ikm.grade else None,
                ]
            )
    return rows


def _grade_letter(score: Decimal) -> str:
    return grade(score)[0]


# --- files ---


def _cell_text(value) -> str:
    if value is None:
        return ""
    return str(spreadsheet_safe(value))


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so a spreadsheet opens names like "Sarana dan prasarana" right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell_text(v) for v in table.headers])
    for row in table.all_rows():
        writer.writerow([_cell_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


#: Control characters the XLSX format cannot hold (openpyxl refuses them); dropped from text.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return spreadsheet_safe(_NOT_IN_XLSX.sub("", value))
    return value


def to_xlsx(tables: Iterable[Table], heading: list[str]) -> bytes:
    """One sheet per table: the report's heading lines, the header row in bold, the rows, the total."""
    # Imported here: openpyxl costs every server process 7 MiB, and only an export needs it.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.name[:31])
        for line in heading:
            sheet.append([_xlsx_value(line)])
        sheet.append([_xlsx_value(table.title)])
        sheet.append([])
        header = []
        for text in table.headers:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(text))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
        if table.total is not None:
            total = []
            for value in table.total:
                cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
                cell.font = Font(bold=True)
                total.append(cell)
            sheet.append(total)
    out = io.BytesIO()
    workbook.save(out)
    workbook.close()
    return out.getvalue()
