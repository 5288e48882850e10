"""The service catalogue pages: create, edit, deactivate and reorder services; who may do it; the audit rows."""

from __future__ import annotations

import pytest

from servicedesk.domain.model import Service
from servicedesk.extensions import db
from servicedesk.persistence import queries
from tests.integration.admin_pages import AdminPages, field_error

VALID = {
    "code": "F",
    "name": "Penerbitan Surat Keterangan Pengganti Ijazah",
    "name_en": "Diploma Replacement Letter",
    "unit": "Bidang Pembinaan SMA",
    "description": "Untuk ijazah yang hilang atau rusak.",
    "requirements": "Surat keterangan hilang dari kepolisian\nFotokopi KTP",
    "procedure": "Serahkan berkas\nVerifikasi arsip\nPenerbitan surat",
    "standard_minutes": "25",
    "fee": "",
    "product": "Surat keterangan pengganti ijazah",
    "complaint_channel": "lapor.go.id",
    "sop_number": "SOP/ULT/006/2026",
    "sop_effective_date": "2026-01-05",
    "sop_approved_by": "Kepala Dinas Pendidikan",
    "daily_quota": "40",
    "cutoff_time": "14:00",
    "alert_wait_minutes": "30",
    "alert_service_minutes": "",
    "priority_allowed": "1",
    "active": "1",
}


@pytest.fixture
def pages(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


def service(app, code: str) -> Service | None:
    with app.app_context():
        found = db.session.query(Service).filter_by(code=code).first()
        if found is not None:
            db.session.expunge(found)
        return found


def test_an_admin_creates_a_service_with_every_field_of_its_standar_pelayanan(pages, app):
    response = pages.post("/admin/services/new", VALID)
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/services")
    created = service(app, "F")
    assert created.name == VALID["name"] and created.name_en == "Diploma Replacement Letter"
    assert created.requirements == ["Surat keterangan hilang dari kepolisian", "Fotokopi KTP"]
    assert created.procedure == ["Serahkan berkas", "Verifikasi arsip", "Penerbitan surat"]
    assert created.standard_minutes == 25 and created.fee == "Gratis" and created.daily_quota == 40
    assert created.cutoff_time.strftime("%H:%M") == "14:00" and created.sop_effective_date.isoformat() == "2026-01-05"
    assert created.alert_wait_minutes == 30 and created.alert_service_minutes is None
    assert created.priority_allowed and created.active and created.position == 5  # after A-E
    assert "F" in pages.html("/admin/services")


def test_creating_a_service_writes_an_audit_row_naming_the_admin_and_the_new_values(pages, app, office):
    pages.post("/admin/services/new", VALID)
    [entry] = pages.audit("service")
    assert entry.action == "create" and entry.user_id == office.users["admin"]
    assert entry.before is None and entry.after["code"] == "F" and entry.after["standard_minutes"] == 25
    assert entry.entity_id == service(app, "F").id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "A", "already the prefix of Legalisir Ijazah"),
        ("code", "F1", "1 to 4 letters A-Z"),
        ("code", "", "1 to 4 letters A-Z"),
        ("name", "", "is required"),
        ("name", "x" * 201, "at most 200 characters"),
        ("standard_minutes", "lama", "must be a whole number"),
        ("standard_minutes", "0", "must be at least 1"),
        ("standard_minutes", "", "is required"),
        ("daily_quota", "-5", "must be at least 1"),
        ("cutoff_time", "25:00", "use a time like 14:00"),
        ("sop_effective_date", "05/01/2026", "use a date like 2025-01-31"),
        ("alert_wait_minutes", "soon", "must be a whole number"),
    ],
)
def test_each_invalid_service_field_is_refused_with_its_message_and_nothing_is_saved(pages, app, field, value, message):
    response = pages.post("/admin/services/new?lang=en", {**VALID, field: value})
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), f"f-{field}")
    assert service(app, "F") is None and pages.audit("service") == []


def test_the_form_keeps_what_was_typed_when_it_is_refused(pages):
    html = pages.post("/admin/services/new", {**VALID, "standard_minutes": "lama"}).get_data(as_text=True)
    assert 'value="Penerbitan Surat Keterangan Pengganti Ijazah"' in html and 'value="lama"' in html
    assert ">Surat keterangan hilang dari kepolisian\nFotokopi KTP</textarea>" in html


def test_editing_a_service_records_before_and_after(pages, app, office):
    edit = pages.html(f"/admin/services/{office.service('A')}")
    assert 'value="Legalisir Ijazah"' in edit
    data = {**VALID, "code": "A", "name": "Legalisir Ijazah dan STTB", "standard_minutes": "10"}
    response = pages.post(f"/admin/services/{office.service('A')}", data)
    assert response.status_code == 303
    changed = service(app, "A")
    assert changed.name == "Legalisir Ijazah dan STTB" and changed.standard_minutes == 10
    [entry] = pages.audit("service")
    assert entry.action == "update" and entry.entity_id == office.service("A")
    assert entry.before["name"] == "Legalisir Ijazah" and entry.after["name"] == "Legalisir Ijazah dan STTB"
    assert entry.before["standard_minutes"] == 15 and entry.after["standard_minutes"] == 10


def test_saving_a_service_unchanged_writes_no_audit_row(pages, app, office):
    with app.app_context():
        from servicedesk.domain.audit import service_snapshot

        snapshot = service_snapshot(db.session.get(Service, office.service("B")))
    data = {k: v for k, v in snapshot.items() if v is not None and k not in ("position",)}
    data["requirements"] = "\n".join(snapshot["requirements"])
    data["procedure"] = "\n".join(snapshot["procedure"])
    data["priority_allowed"] = "1" if snapshot["priority_allowed"] else ""
    data["active"] = "1"
    assert pages.post(f"/admin/services/{office.service('B')}", data).status_code == 303
    assert pages.audit("service") == []


def test_an_admin_deactivates_a_service_and_the_kiosk_stops_offering_it(pages, app, office):
    response = pages.post(f"/admin/services/{office.service('C')}/active", {"active": "0"})
    assert response.status_code == 303
    codes = [s["code"] for s in pages.client.get("/api/v1/services").json]
    assert "C" not in codes and "A" in codes
    [entry] = pages.audit("service")
    assert entry.action == "deactivate" and entry.before["active"] is True and entry.after["active"] is False
    pages.post(f"/admin/services/{office.service('C')}/active", {"active": "1"})
    assert "C" in [s["code"] for s in pages.client.get("/api/v1/services").json]


def test_moving_a_service_up_changes_the_kiosk_order_and_is_audited(pages, app, office):
    pages.post(f"/admin/services/{office.service('C')}/move", {"direction": "up"})
    with app.app_context():
        assert [s.code for s in queries.services(db.session)] == ["A", "C", "B", "D", "E"]
    [entry] = pages.audit("service")
    assert entry.action == "reorder"
    assert entry.before["order"] == ["A", "B", "C", "D", "E"] and entry.after["order"] == ["A", "C", "B", "D", "E"]
    pages.post(f"/admin/services/{office.service('A')}/move", {"direction": "up"})  # already first
    with app.app_context():
        assert [s.code for s in queries.services(db.session)][0] == "A"


def test_a_supervisor_reads_the_catalogue_but_cannot_change_it(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    html = pages.html(f"/admin/services/{office.service('A')}")
    assert "disabled" in html and "Legalisir Ijazah" in html
    assert pages.post("/admin/services/new", VALID).status_code == 403
    assert pages.post(f"/admin/services/{office.service('A')}/active", {"active": "0"}).status_code == 403
    assert pages.post(f"/admin/services/{office.service('A')}/move", {"direction": "down"}).status_code == 403
    assert service(app, "F") is None and service(app, "A").active and pages.audit() == []


def test_an_officer_is_turned_away_and_an_anonymous_visitor_is_sent_to_the_login_page(client, auth, app, office):
    anonymous = client.get("/admin/services")
    assert anonymous.status_code == 302 and "/login?next=/admin/services" in anonymous.headers["Location"]
    pages = AdminPages(client, auth, app)
    pages.login("siti")
    refused = client.get("/admin/services")
    assert refused.status_code == 403 and "admin" in refused.get_data(as_text=True).lower()


def test_a_form_without_its_csrf_token_is_refused_with_a_readable_page(pages, app):
    response = pages.client.post("/admin/services/new", data=VALID)
    assert response.status_code == 400 and "<h1>" in response.get_data(as_text=True)
    assert service(app, "F") is None


def test_an_unknown_service_is_a_readable_404(pages):
    response = pages.client.get("/admin/services/9999")
    assert response.status_code == 404 and "<h1>" in response.get_data(as_text=True)
