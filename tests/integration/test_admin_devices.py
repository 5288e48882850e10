"""Registering kiosks and displays: the token is shown once and stored hashed; rotation; settings; audit."""

from __future__ import annotations

import re

import pytest

from servicedesk.domain.model import Device
from servicedesk.extensions import db, socketio
from tests.integration.admin_pages import AdminPages, field_error

TOKEN = re.compile(r'<code class="token" id="device-token">([^<]+)</code>')


@pytest.fixture
def pages(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


def devices(app) -> list[Device]:
    with app.app_context():
        rows = list(db.session.query(Device).order_by(Device.id))
        for row in rows:
            db.session.expunge(row)
        return rows


def register(pages, **data) -> str:
    response = pages.post("/admin/devices/new", data)
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    return TOKEN.search(html).group(1)


def test_a_registered_display_shows_its_token_once_and_the_token_connects(pages, app, office):
    token = register(
        pages,
        kind="display",
        name="TV Lantai 1",
        area="Lantai 1",
        service_ids=[str(office.service("A")), str(office.service("B"))],
    )
    [device] = devices(app)
    assert device.kind == "display" and device.area == "Lantai 1"
    assert device.service_ids == [office.service("A"), office.service("B")]
    assert token not in device.token_hash and len(device.token_hash) == 64
    assert token not in pages.html("/admin/devices") and token not in pages.html(f"/admin/devices/{device.id}")
    display = socketio.test_client(app, auth={"display": token})
    assert display.is_connected()
    display.disconnect()
    [entry] = pages.audit("device")
    assert entry.action == "create" and entry.after["services"] == ["A", "B"] and token not in str(entry.after)


def test_a_kiosk_keeps_its_printer_settings(pages, app):
    register(pages, kind="kiosk", name="Anjungan Lobi", paper_width_mm="58", auto_print="1", copies="2")
    [device] = devices(app)
    assert device.settings == {"paper_width_mm": 58, "auto_print": True, "copies": 2, "print_mode": "browser"}


def test_rotating_a_token_stops_the_old_one_and_shows_the_new_one_once(pages, app, client, office):
    old = register(pages, kind="kiosk", name="Anjungan Lobi")
    [device] = devices(app)
    response = pages.post(f"/admin/devices/{device.id}/rotate")
    new = TOKEN.search(response.get_data(as_text=True)).group(1)
    assert new != old
    issue = lambda token: (
        client.post(  # noqa: E731
            "/api/v1/tickets", json={"service_id": office.service("A")}, headers={"X-Device-Token": token}
        ).status_code
    )
    assert issue(old) == 403 and issue(new) == 201
    entry = pages.audit("device")[-1]
    assert entry.action == "rotate_token" and old not in str(entry.after) and new not in str(entry.after)


def test_editing_a_display_changes_its_area_and_filter_and_records_before_and_after(pages, app, office):
    register(pages, kind="display", name="TV", area="Lantai 1")
    [device] = devices(app)
    data = {"name": "TV Lantai 2", "area": "Lantai 2", "service_ids": [str(office.service("C"))], "active": "1"}
    assert pages.post(f"/admin/devices/{device.id}", data).status_code == 303
    [device] = devices(app)
    assert device.name == "TV Lantai 2" and device.area == "Lantai 2" and device.service_ids == [office.service("C")]
    entry = pages.audit("device")[-1]
    assert entry.action == "update" and entry.before["area"] == "Lantai 1" and entry.after["services"] == ["C"]


def test_a_disabled_display_can_no_longer_connect(pages, app):
    token = register(pages, kind="display", name="TV")
    [device] = devices(app)
    pages.post(f"/admin/devices/{device.id}", {"name": "TV"})  # "active" unticked
    display = socketio.test_client(app, auth={"display": token})
    assert not display.is_connected()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "kiosk", "name": ""}, "name", "is required"),
        ({"kind": "kiosk", "name": "K", "paper_width_mm": "100"}, "paper_width_mm", "58 or 80 mm"),
        ({"kind": "kiosk", "name": "K", "copies": "9"}, "copies", "must be between 1 and 3"),
        ({"kind": "display", "name": "TV", "service_ids": ["99999"]}, "service_ids", "unknown service"),
        ({"kind": "toaster", "name": "T"}, "kind", "choose one of the options"),
        ({"kind": "kiosk", "name": "K" * 101}, "name", "at most 100 characters"),
        ({"kind": "display", "name": "TV", "area": "L" * 101}, "area", "at most 100 characters"),
    ],
)
def test_each_invalid_device_input_is_refused_with_its_message(pages, app, data, field, message):
    response = pages.post("/admin/devices/new?lang=en", data)
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), f"f-{field}")
    assert devices(app) == [] and pages.audit("device") == []


def test_a_supervisor_sees_the_devices_but_cannot_register_or_rotate(client, auth, app, office):
    admin = AdminPages(client, auth, app)
    admin.login("admin")
    register(admin, kind="kiosk", name="Anjungan")
    auth.logout()
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    assert "Anjungan" in pages.html("/admin/devices")
    [device] = devices(app)
    assert pages.post("/admin/devices/new", {"kind": "kiosk", "name": "X"}).status_code == 403
    assert pages.post(f"/admin/devices/{device.id}/rotate").status_code == 403
    assert len(devices(app)) == 1 and devices(app)[0].token_hash == device.token_hash
