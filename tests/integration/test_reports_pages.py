"""The /reports page and its exports, over HTTP, on the hand-computed Makassar office."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.integration.test_reports import build

DAY = {"period": "day", "date": "2026-11-03"}
MONTH = {"period": "month", "date": "2026-11-01"}


@pytest.fixture
def makassar(app, office, clock):
    return build(app, office, clock)


def csv_rows(response) -> list[list[str]]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")  # so a spreadsheet reads it as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_anonymous_visitors_are_sent_to_the_login_page(client, office):
    response = client.get("/reports/", query_string=MONTH)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_officers_may_not_read_the_reports(client, office, auth):
    auth.login("siti")
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/export/services.csv").status_code == 403


@pytest.mark.parametrize("username", ["supervisor", "admin"])
def test_supervisors_and_admins_read_the_report(client, office, auth, username):
    auth.login(username)
    response = client.get("/reports/")
    assert response.status_code == 200
    assert "/vendor/chart.umd.min.js" in response.text


def test_the_page_shows_the_day_figures(client, office, auth, makassar):
    auth.login("supervisor")
    page = client.get("/reports/", query_string={**DAY, "lang": "en"}).text
    assert 'id="kpi-issued">9<' in page
    assert 'id="kpi-served">7<' in page
    assert 'id="kpi-within">71.4%<' in page  # 5 of 7
    assert 'id="kpi-ikm">75.69<' in page
    assert "Kurang baik" not in page and "C (Poor)" in page
    assert "The sample is not yet adequate" in page
    assert 'id="kpi-sample"' in page and "Sample 4 of 7: not yet adequate" in page
    assert (
        page.index("Antre terlalu lama.") < page.index("Pelayanan cepat dan ramah.") < page.index("Ruang tunggu panas.")
    )


def test_a_malformed_period_is_a_bad_request(client, office, auth):
    auth.login("supervisor")
    assert client.get("/reports/", query_string={"period": "day", "date": "3 Nov"}).status_code == 400
    assert client.get("/reports/", query_string={"period": "fortnight"}).status_code == 400


def test_the_services_table_exports_as_csv_with_the_page_rounding(client, office, auth, makassar):
    auth.login("supervisor")
    response = client.get("/reports/export/services.csv", query_string={**DAY, "lang": "en"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert 'filename="report-services-2026-11-03-2026-11-03.csv"' in response.headers["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:4] == ["Code", "Service", "Standard time (min)", "Issued"]
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    a = by_code["A"]
    assert (a["Issued"], a["Served"], a["No-show"], a["Transferred"]) == ("6", "4", "1", "1")
    assert a["Waiting, mean (min)"] == "11.8"  # 71 / 6 = 11.83
    assert a["Waiting, median (min)"] == "9.0"
    assert a["Waiting, 90th percentile (min)"] == "22.5"
    assert a["Service, 90th percentile (min)"] == "19.7"
    assert (a["Within standard"], a["Within standard (%)"]) == ("2", "50.0")
    total = by_code[""]
    assert (total["Service"], total["Issued"], total["Within standard (%)"]) == ("Total", "9", "71.4")
    assert total["Priority (%)"] == "11.1"  # 1 of 9


def test_the_comments_export_holds_every_comment_newest_first(client, office, auth, makassar):
    auth.login("supervisor")
    rows = csv_rows(client.get("/reports/export/comments.csv", query_string=MONTH))
    assert [row[4] for row in rows[1:]] == [
        "Malam pun dilayani.",
        "Antre terlalu lama.",
        "Pelayanan cepat dan ramah.",
        "Ruang tunggu panas.",
    ]
    assert rows[1][0] == "2026-11-04 00:30"  # Makassar time


def test_every_table_exports_as_xlsx_and_all_together(client, office, auth, makassar):
    auth.login("supervisor")
    response = client.get("/reports/export/all.xlsx", query_string={**MONTH, "lang": "en"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    try:
        assert workbook.sheetnames == [
            *(
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
                "comparison",
                "trend",
                "group_waits",
            )
        ]
        ikm = [row for row in workbook["ikm"].iter_rows(values_only=True)]
        assert ikm[0][0] == "ULT Dinas Pendidikan Provinsi"
        header_at = next(i for i, row in enumerate(ikm) if row and row[0] == "Service")
        header = ikm[header_at]
        total = dict(zip(header, ikm[-1], strict=True))
        assert (total["Service"], total["Respondents"], total["IKM"], total["Grade"]) == ("Total", 5, 79.44, "B")
        assert total["Sample needed (Krejcie-Morgan)"] == 9
    finally:
        workbook.close()
    for name in ("services", "officers", "counters", "arrivals", "ikm", "elements", "comments", "priority_groups"):
        single = client.get(f"/reports/export/{name}.xlsx", query_string=MONTH)
        assert single.status_code == 200
        assert single.headers["Content-Type"].startswith("application/vnd.openxmlformats")
        assert client.get(f"/reports/export/{name}.csv", query_string=MONTH).status_code == 200
    assert client.get("/reports/export/nothing.csv").status_code == 404
    assert client.get("/reports/export/all.csv").status_code == 404


def test_filters_narrow_the_page_and_the_exports(client, office, auth, makassar):
    auth.login("supervisor")
    query = {**DAY, "officer": office.users["siti"], "lang": "en"}
    page = client.get("/reports/", query_string=query).text
    assert 'id="kpi-served">3<' in page
    header, *rows = csv_rows(client.get("/reports/export/officers.csv", query_string=query))
    assert [row[0] for row in rows] == ["Siti Rahmawati"] or len(rows) == 1
