"""The audit page: set-up changes and ticket events, filtered and exported; nothing can rewrite them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from servicedesk.domain.model import AuditEntry
from servicedesk.extensions import db
from servicedesk.services.audit import AuditLogIsAppendOnly
from tests.integration.admin_pages import AdminPages


@pytest.fixture
def pages(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


def some_changes(pages, office, clock):
    pages.post(f"/admin/services/{office.service('C')}/active", {"active": "0"})
    clock.advance(days=1)
    pages.post("/admin/holidays", {"day": "2026-12-25", "name": "Hari Raya Natal"})


def read_csv(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_audit_page_lists_every_change_newest_first_with_who_and_what(pages, office, clock):
    some_changes(pages, office, clock)
    html = pages.html("/admin/audit?lang=en").split('id="audit-rows"')[1]
    assert html.index("Hari Raya Natal") < html.index("deactivated")
    assert "admin" in html and "<del>yes</del> → <ins>no</ins>" in html


def test_the_audit_log_is_filtered_by_what_and_by_day(pages, office, clock):
    some_changes(pages, office, clock)
    table = lambda path: pages.html(path).split('id="audit-rows"')[1]  # noqa: E731
    services_only = table("/admin/audit?entity=service")
    assert "dinonaktifkan" in services_only and "Hari Raya Natal" not in services_only
    first_day = table("/admin/audit?since=2026-11-02&until=2026-11-02")
    assert "dinonaktifkan" in first_day and "Hari Raya Natal" not in first_day
    by_user = table(f"/admin/audit?user_id={office.users['supervisor']}")
    assert "dinonaktifkan" not in by_user


def test_a_bad_filter_is_reported_not_a_500(pages):
    response = pages.client.get("/admin/audit?since=kemarin&lang=en")
    assert response.status_code == 400 and "use a date like" in response.get_data(as_text=True)
    assert pages.client.get("/admin/audit.csv?until=31-12-2026").status_code == 400


def test_ticket_events_are_listed_and_filtered_next_to_the_changes(pages, client, auth, office):
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    client.post("/api/v1/tickets", json={"service_id": office.service("C")})
    auth.at_counter("siti", office.counter(1))
    client.post(f"/api/v1/counters/{office.counter(1)}/call-next")
    auth.logout()
    pages.login("admin")
    html = pages.html("/admin/audit?source=events")
    assert "A001" in html and "C001" in html and "called" in html and "Loket 1" in html and "siti" in html
    only_a = pages.html(f"/admin/audit?source=events&service_id={office.service('A')}")
    assert "A001" in only_a and "C001" not in only_a
    called = pages.html("/admin/audit?source=events&kind=called")
    assert "A001" in called and "C001" not in called
    by_number = pages.html("/admin/audit?source=events&number=c001")
    assert "C001" in by_number and "A001" not in by_number


def test_the_audit_log_exports_as_csv_with_before_and_after(pages, office, clock):
    some_changes(pages, office, clock)
    response = pages.client.get("/admin/audit.csv?entity=service")
    assert response.mimetype == "text/csv" and "audit-log.csv" in response.headers["Content-Disposition"]
    [row] = read_csv(response)
    assert row["user"] == "admin" and row["action"] == "deactivate" and row["entity"] == "service"
    assert row["at"] == "2026-11-02 09:00:00" and row["time_zone"] == "Asia/Jakarta"
    assert row["changed_fields"] == "active"
    assert json.loads(row["before"])["active"] is True and json.loads(row["after"])["active"] is False


def test_ticket_events_export_as_csv(pages, client, office):
    client.post("/api/v1/tickets", json={"service_id": office.service("B")})
    rows = read_csv(pages.client.get("/admin/audit.csv?source=events"))
    assert [(r["number"], r["event"], r["service"]) for r in rows] == [("B001", "issued", "B")]


def test_a_command_line_import_is_recorded_as_a_change_by_the_system(app, pages, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("code,name,standard_minutes\nKK,Kartu Keluarga,15\n")
    assert app.test_cli_runner().invoke(args=["import-services", str(path)]).exit_code == 0
    [entry] = pages.audit("service")
    assert entry.user_id is None and entry.action == "import" and entry.after["code"] == "KK"
    assert "system" in pages.html("/admin/audit")


def test_audit_rows_cannot_be_changed_or_deleted_through_the_application(pages, app, office):
    pages.post(f"/admin/services/{office.service('C')}/active", {"active": "0"})
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry)).one()
        entry.after = {"active": True}
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        entry = db.session.scalars(select(AuditEntry)).one()
        db.session.delete(entry)
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
    [kept] = pages.audit()
    assert kept.after["active"] is False


def test_no_page_offers_to_edit_or_delete_an_audit_row(pages, office):
    pages.post(f"/admin/services/{office.service('C')}/active", {"active": "0"})
    [entry] = pages.audit()
    for method in ("post", "put", "delete", "patch"):
        assert getattr(pages.client, method)("/admin/audit").status_code == 405
    assert pages.client.get(f"/admin/audit/{entry.id}").status_code == 404


def test_a_supervisor_reads_and_exports_the_audit_trail_and_an_officer_does_not(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    assert client.get("/admin/audit").status_code == 200
    assert client.get("/admin/audit.csv").status_code == 200
    auth.logout()
    auth.login("siti")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403
