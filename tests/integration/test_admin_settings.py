"""Office settings, the logo and holidays: valid saves, refusals with their messages, roles, audit."""

from __future__ import annotations

import io

import pytest

from servicedesk.domain.model import Holiday, Office
from servicedesk.extensions import db
from tests.integration.admin_pages import AdminPages, field_error

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64

SETTINGS = {
    "name": "ULT Disdik Provinsi Jawa Barat",
    "address": "Jl. Merdeka No. 1, Bandung",
    "time_zone": "Asia/Makassar",
    "language": "en",
    "hours_mon": "08:00-12:00, 13:00-15:30",
    "hours_tue": "08:00-12:00, 13:00-15:30",
    "hours_wed": "08:00-12:00, 13:00-15:30",
    "hours_thu": "08:00-12:00, 13:00-15:30",
    "hours_fri": "08:00-11:30, 13:30-16:00",
    "hours_sat": "8.00-12.00",
    "hours_sun": "",
    "running_text": "Layanan tidak dipungut biaya.",
    "paper_width_mm": "58",
    "priority_max_in_a_row": "2",
    "max_recalls": "4",
    "no_show_window_minutes": "45",
    "number_reading": "digits",
    "transfer_position": "front",
    "require_device_token": "1",
    "head_name": "Dra. Siti Rahmawati, M.Si.",
    "head_nip": "19700512 199503 2 001",
}


@pytest.fixture
def pages(client, auth, app, office, tmp_path):
    app.config["LOGO_FOLDER"] = str(tmp_path / "logo")
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


def office_row(app) -> Office:
    with app.app_context():
        office = db.session.query(Office).first()
        db.session.expunge(office)
        return office


def holidays(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(h.day.isoformat(), h.name) for h in db.session.query(Holiday).order_by(Holiday.day)]


def test_an_admin_saves_every_office_setting(pages, app):
    assert pages.post("/admin/settings", SETTINGS).status_code == 303
    office = office_row(app)
    assert office.name == SETTINGS["name"] and office.address == SETTINGS["address"]
    assert office.time_zone == "Asia/Makassar" and office.language == "en"
    assert office.opening_hours["fri"] == [["08:00", "11:30"], ["13:30", "16:00"]]
    assert office.opening_hours["sat"] == [["08:00", "12:00"]] and office.opening_hours["sun"] == []
    assert office.paper_width_mm == 58 and office.priority_max_in_a_row == 2 and office.max_recalls == 4
    assert office.no_show_window_minutes == 45 and office.number_reading == "digits"
    assert office.transfer_position == "front" and office.require_device_token is True
    assert office.running_text == "Layanan tidak dipungut biaya."
    assert office.head_name == "Dra. Siti Rahmawati, M.Si." and office.head_nip == "197005121995032001"


def test_saving_settings_writes_one_audit_row_with_before_and_after(pages, app, office):
    pages.post("/admin/settings", SETTINGS)
    [entry] = pages.audit("office")
    assert entry.action == "update" and entry.user_id == office.users["admin"]
    assert entry.before["time_zone"] == "Asia/Jakarta" and entry.after["time_zone"] == "Asia/Makassar"
    assert entry.before["opening_hours"]["sat"] == [["00:00", "24:00"]]
    assert entry.after["opening_hours"]["sat"] == [["08:00", "12:00"]]


def test_the_settings_page_shows_the_stored_hours_as_text(pages):
    pages.post("/admin/settings", SETTINGS)
    html = pages.html("/admin/settings")
    assert 'value="08:00-11:30, 13:30-16:00"' in html and 'value="Asia/Makassar"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "is required"),
        ("time_zone", "Jakarta", "not a time zone name"),
        ("time_zone", "WIB", "not a time zone name"),
        ("language", "jv", "choose one of the options"),
        ("hours_mon", "08:00-12:00, 11:00-15:00", "intervals overlap"),
        ("hours_mon", "12:00-08:00", "12:00 is not before 08:00"),
        ("hours_tue", "pagi", "write intervals like 08:00-12:00"),
        ("hours_wed", "08:00-25:00", "not a time of day"),
        ("paper_width_mm", "100", "58 or 80 mm"),
        ("priority_max_in_a_row", "0", "must be between 1 and 20"),
        ("max_recalls", "banyak", "must be a whole number"),
        ("no_show_window_minutes", "", "is required"),
        ("number_reading", "roman", "choose one of the options"),
        ("head_nip", "1970051219950320", "a NIP of 18 digits"),
        ("head_nip", "197013121995032001", "a NIP of 18 digits"),
        ("head_name", "x" * 201, "at most 200 characters"),
    ],
)
def test_each_invalid_setting_is_refused_with_its_message_and_nothing_is_saved(pages, app, field, value, message):
    response = pages.post("/admin/settings?lang=en", {**SETTINGS, field: value})
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), f"f-{field}")
    office = office_row(app)
    assert office.time_zone == "Asia/Jakarta" and office.name != SETTINGS["name"]
    assert pages.audit("office") == []


def test_an_uploaded_png_logo_is_stored_served_and_audited(pages, app, tmp_path):
    response = pages.post(
        "/admin/settings/logo", {"logo": (io.BytesIO(PNG), "logo.png", "image/png")}, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    assert (tmp_path / "logo" / "logo.png").read_bytes() == PNG
    served = pages.client.get("/admin/logo")
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == PNG
    served.close()
    [entry] = pages.audit("office")
    assert entry.action == "logo" and entry.before == {"logo": None} and entry.after["bytes"] == len(PNG)
    pages.post("/admin/settings/logo", {"remove": "1"}, content_type="multipart/form-data")
    assert pages.client.get("/admin/logo").status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((b"<svg onload='alert(1)'></svg>", "logo.svg", "image/svg+xml"), "use a PNG, JPEG or WebP image"),
        ((b"GIF89a" + b"\x00" * 20, "logo.png", "image/png"), "use a PNG, JPEG or WebP image"),
        ((PNG, "logo.jpg", "image/jpeg"), "use a PNG, JPEG or WebP image"),
        ((PNG + b"\x00" * (256 * 1024), "big.png", "image/png"), "larger than 256 KB"),
        ((b"", "", "application/octet-stream"), "choose an image file"),
    ],
)
def test_a_logo_of_the_wrong_type_or_size_is_refused(pages, tmp_path, upload, message):
    data, name, content_type = upload
    response = pages.post(
        "/admin/settings/logo?lang=en",
        {"logo": (io.BytesIO(data), name, content_type)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), "f-logo")
    assert not (tmp_path / "logo").exists() or not list((tmp_path / "logo").iterdir())
    assert pages.audit("office") == []


def test_a_logo_far_over_the_limit_gets_a_readable_413(pages):
    # A raw body: the test client would spool a large multipart upload to a file it never closes.
    response = pages.client.post(
        "/admin/settings/logo", data=b"-" * (2 * 1024 * 1024), content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code == 413 and "<h1>" in response.get_data(as_text=True)


def test_an_admin_adds_and_removes_a_holiday_and_both_are_audited(pages, app):
    assert pages.post("/admin/holidays", {"day": "2026-08-17", "name": "Hari Kemerdekaan RI"}).status_code == 303
    assert holidays(app) == [("2026-08-17", "Hari Kemerdekaan RI")]
    with app.app_context():
        holiday_id = db.session.query(Holiday).one().id
    pages.post(f"/admin/holidays/{holiday_id}/delete")
    assert holidays(app) == []
    created, deleted = pages.audit("holiday")
    assert created.action == "create" and created.after == {"day": "2026-08-17", "name": "Hari Kemerdekaan RI"}
    assert deleted.action == "delete" and deleted.before == created.after and deleted.after is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"day": "17-08-2026", "name": "Kemerdekaan"}, "holiday-day", "use a date like 2026-08-17"),
        ({"day": "2026-08-17", "name": ""}, "holiday-name", "is required"),
        ({"day": "2026-08-17", "name": "H" * 201}, "holiday-name", "at most 200 characters"),
    ],
)
def test_an_invalid_holiday_is_refused_with_its_message(pages, app, data, field, message):
    response = pages.post("/admin/holidays?lang=en", data)
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), f"f-{field}")
    assert holidays(app) == []


def test_the_yearly_holiday_list_is_imported_and_a_holiday_closes_the_kiosk(pages, app, client, clock):
    listing = (
        "# Libur nasional 2026\n2026-11-02 Libur contoh\n2026-12-25, Hari Raya Natal\n\n2026-12-24;Cuti bersama Natal\n"
    )
    response = pages.post("/admin/holidays/import", {"list": listing})
    assert response.status_code == 303
    assert holidays(app) == [
        ("2026-11-02", "Libur contoh"),
        ("2026-12-24", "Cuti bersama Natal"),
        ("2026-12-25", "Hari Raya Natal"),
    ]
    assert [e.action for e in pages.audit("holiday")] == ["import"] * 3
    refused = client.post("/api/v1/tickets", json={"service_id": 1})
    assert refused.status_code in (403, 409, 422) and refused.json["error"]["code"] == "holiday"
    again = pages.post("/admin/holidays/import", {"list": "2026-12-25 Natal"})
    assert again.status_code == 303 and ("2026-12-25", "Natal") in holidays(app)
    assert len(pages.audit("holiday")) == 4


def test_a_holiday_list_with_a_bad_line_imports_nothing_and_names_the_line(pages, app):
    listing = "2026-12-25 Hari Raya Natal\n25/12/2026 Natal\n2026-12-25 Natal lagi\n"
    response = pages.post("/admin/holidays/import?lang=en", {"list": listing})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "line 2" in html and "line 3" in html and "also on line 1" in html
    assert holidays(app) == [] and pages.audit("holiday") == []


def test_a_supervisor_reads_the_settings_but_cannot_change_them(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    html = pages.html("/admin/settings")
    assert "Asia/Jakarta" in html and "disabled" in html
    assert pages.post("/admin/settings", SETTINGS).status_code == 403
    assert pages.post("/admin/holidays", {"day": "2026-08-17", "name": "X"}).status_code == 403
    assert pages.post("/admin/holidays/import", {"list": "2026-08-17 X"}).status_code == 403
    assert office_row(app).time_zone == "Asia/Jakarta" and holidays(app) == []


def test_an_officer_cannot_upload_a_logo(client, auth, app, office, tmp_path):
    app.config["LOGO_FOLDER"] = str(tmp_path / "logo")
    auth.login("siti")
    response = client.post(
        "/admin/settings/logo",
        data={"logo": (io.BytesIO(PNG), "logo.png", "image/png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403 and not (tmp_path / "logo").exists()
