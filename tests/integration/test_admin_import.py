"""Importing the catalogue on the administration page: preview, all-or-nothing, line-level errors, round trip."""

from __future__ import annotations

import io

import pytest
import yaml

from servicedesk.domain.model import Service
from servicedesk.extensions import db
from tests.integration.admin_pages import AdminPages

CATALOGUE = """services:
  - code: KTP
    name: Perekaman KTP-el
    name_en: Electronic ID recording
    requirements: [Fotokopi Kartu Keluarga]
    standard_minutes: 10
    daily_quota: 80
  - code: A
    name: Legalisir Ijazah
    standard_minutes: 12
"""


@pytest.fixture
def pages(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


def upload(pages, text: str, filename: str = "catalogue.yaml", path: str = "/admin/services/import"):
    return pages.post(path, {"file": (io.BytesIO(text.encode()), filename)}, content_type="multipart/form-data")


def confirm(pages, text: str, fmt: str = "yaml"):
    return pages.post("/admin/services/import", {"step": "confirm", "format": fmt, "text": text})


def codes_and_minutes(app) -> dict[str, int]:
    with app.app_context():
        return {s.code: s.standard_minutes for s in db.session.query(Service)}


def test_the_preview_shows_what_would_change_and_saves_nothing(pages, app):
    before = codes_and_minutes(app)
    response = upload(pages, CATALOGUE, path="/admin/services/import?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="plan--created"' in html and "KTP" in html and "Perekaman KTP-el" in html
    assert 'class="plan--updated"' in html and "standard_minutes" in html and "<del>15</del>" in html
    assert "<ins>12</ins>" in html and "Import these changes" in html
    assert codes_and_minutes(app) == before and pages.audit() == []


def test_confirming_the_preview_imports_the_catalogue_with_an_audit_row_per_change(pages, app, office):
    assert confirm(pages, CATALOGUE).status_code == 303
    minutes = codes_and_minutes(app)
    assert minutes["KTP"] == 10 and minutes["A"] == 12 and minutes["B"] == 20
    rows = pages.audit("service")
    assert [(e.action, e.after["code"]) for e in rows] == [("import", "KTP"), ("import", "A")]
    assert all(e.user_id == office.users["admin"] for e in rows)
    assert (
        rows[0].before is None and rows[1].before["standard_minutes"] == 15 and rows[1].after["standard_minutes"] == 12
    )


def test_a_csv_catalogue_is_previewed_from_its_file_name(pages):
    response = upload(pages, "code,name,standard_minutes\nKK,Kartu Keluarga,15\n", "catalogue.csv")
    assert response.status_code == 200 and 'class="plan--created"' in response.get_data(as_text=True)


def test_a_catalogue_with_a_bad_row_imports_nothing_and_reports_the_row_and_reason(pages, app):
    bad = CATALOGUE + "  - code: K1\n    name: ''\n    standard_minutes: lama\n"
    before = codes_and_minutes(app)
    for response in (upload(pages, bad, path="/admin/services/import?lang=en"), confirm(pages, bad)):
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'id="import-errors"' in html
        assert "<td>11</td><td>code</td>" in html and "<td>11</td><td>name</td>" in html
        assert "<td>11</td><td>standard_minutes</td>" in html
    assert codes_and_minutes(app) == before and pages.audit() == []


def test_a_file_that_is_not_text_or_not_a_catalogue_is_refused_readably(pages):
    binary = pages.post(
        "/admin/services/import",
        {"file": (io.BytesIO(b"\xff\xfe\x00garbage"), "c.yaml")},
        content_type="multipart/form-data",
    )
    assert binary.status_code == 400 and "field__error" in binary.get_data(as_text=True)
    not_a_list = upload(pages, "just: a mapping\n")
    assert not_a_list.status_code == 400 and 'id="import-errors"' in not_a_list.get_data(as_text=True)
    broken = upload(pages, "services: [unclosed\n")
    assert broken.status_code == 400
    empty = pages.post("/admin/services/import", {}, content_type="multipart/form-data")
    assert empty.status_code == 400


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_an_export_imported_again_changes_nothing(pages, app, fmt):
    exported = pages.client.get(f"/admin/services/export.{fmt}")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    text = exported.get_data(as_text=True)
    preview = upload(pages, text, f"services.{fmt}", path="/admin/services/import?lang=en").get_data(as_text=True)
    assert "plan--created" not in preview and "plan--updated" not in preview
    assert "nothing to import" in preview
    before = codes_and_minutes(app)
    assert confirm(pages, text, fmt).status_code == 303
    assert codes_and_minutes(app) == before and pages.audit() == []
    assert pages.client.get(f"/admin/services/export.{fmt}").get_data(as_text=True) == text


def test_the_export_carries_the_alert_thresholds(pages, office):
    office.update_service("A", alert_wait_minutes=25)
    exported = yaml.safe_load(pages.client.get("/admin/services/export.yaml").get_data(as_text=True))
    assert exported["services"][0]["alert_wait_minutes"] == 25


def test_a_supervisor_may_export_but_not_import(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    assert client.get("/admin/services/export.csv").status_code == 200
    assert confirm(pages, CATALOGUE).status_code == 403
    assert "KTP" not in codes_and_minutes(app)
