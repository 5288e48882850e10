"""A report table as the page, the CSV and the workbook all draw it; the tables' names in page order."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

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
