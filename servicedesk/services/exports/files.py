"""The tables as files: CSV (UTF-8 with a BOM, spreadsheet-safe cells) and XLSX (openpyxl, write-only)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from ...domain.cells import spreadsheet_safe
from .table import Table

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

    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.name[:31])
        for line in heading:
            sheet.append([_xlsx_value(line)])
        sheet.append([_xlsx_value(table.title)])
        sheet.append([])
        sheet.append(_bold(sheet, table.headers))
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
        if table.total is not None:
            sheet.append(_bold(sheet, table.total))
    out = io.BytesIO()
    workbook.save(out)
    workbook.close()
    return out.getvalue()


def _bold(sheet, values) -> list:
    """A header or total line: neutralised like every other cell, in bold."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells
