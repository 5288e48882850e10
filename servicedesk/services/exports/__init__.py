"""The report's tables, and the same tables as CSV and XLSX for a management-review annex.

One function builds every table from the figures, so the page, the CSV and the workbook never
disagree. XLSX is written with openpyxl in write-only mode (rows streamed, not a cell grid held in
memory); openpyxl was chosen over XlsxWriter because it can also read a workbook back, which the
tests use to check what an auditor would open.
"""

from .breakdowns import cancel_reason_label, cancel_reasons_table, priority_groups_table
from .files import to_csv, to_xlsx
from .report import report_tables
from .survey import adequacy_text, ikm_by_service, profile_rows
from .table import TABLES, Table, weekdays

__all__ = [
    "TABLES",
    "Table",
    "adequacy_text",
    "cancel_reason_label",
    "cancel_reasons_table",
    "ikm_by_service",
    "priority_groups_table",
    "profile_rows",
    "report_tables",
    "to_csv",
    "to_xlsx",
    "weekdays",
]
