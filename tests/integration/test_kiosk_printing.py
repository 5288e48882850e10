"""A kiosk whose slips the server prints over ESC/POS: to a real TCP peer standing in for the printer,
to a printer that is off, and the admin form that sets it up. The ticket is always kept."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from servicedesk.domain.model import Device
from servicedesk.extensions import db
from servicedesk.persistence import tables
from servicedesk.services import admin
from servicedesk.web.context import unit_of_work
from tests.integration.admin_pages import AdminPages, field_error
from tests.printers import NetworkPrinter, closed_port, printable, raster_images


def register_kiosk(app, **printer) -> tuple[int, str]:
    """A kiosk registered through the admin use case, with its printer settings as the form sends them."""
    with app.app_context():
        device, token = admin.register_device(
            unit_of_work(), actor_id=None, data={"kind": "kiosk", "name": "Anjungan Lobi", **printer}
        )
        return device.id, token


def network_kiosk(app, port: int, **more) -> str:
    _id, token = register_kiosk(
        app, print_mode="escpos_network", printer_host="127.0.0.1", printer_port=str(port), auto_print="1", **more
    )
    return token


def issue(client, service_id: int, token: str, **body):
    return client.post("/api/v1/tickets", json={"service_id": service_id, **body}, headers={"X-Device-Token": token})


def stored_tickets(app) -> list[dict]:
    with app.app_context():
        rows = db.session.execute(select(tables.tickets).order_by(tables.tickets.c.id))
        return [dict(row._mapping) for row in rows]


def decode_qr(image) -> str:
    import zxingcpp

    found = zxingcpp.read_barcodes(image.convert("L"))
    assert found, "no QR code in the printed image"
    return found[0].text


# --- printing on issue ---


def test_a_kiosk_with_a_network_printer_gets_its_slip_as_escpos_bytes(app, client, office):
    with NetworkPrinter() as printer:
        token = network_kiosk(app, printer.port)
        response = issue(client, office.service("A"), token)
        assert response.status_code == 201, response.json
        assert response.json["printed"] is True
        assert response.json["print_mode"] == "escpos_network" and response.json["print_error"] is None
        job = printer.next_job()
    text = printable(job)
    assert "A001" in text and "Legalisir Ijazah" in text and "NOMOR ANTREAN" in text
    [qr_code] = raster_images(job)  # the QR code, as a GS v 0 raster image
    [ticket] = stored_tickets(app)
    assert decode_qr(qr_code) == f"http://localhost/t/{ticket['token']}"
    assert ticket["number"] == "A001" and ticket["status"] == "waiting"


def test_a_kiosk_prints_as_many_copies_as_its_settings_say(app, client, office):
    with NetworkPrinter() as printer:
        token = network_kiosk(app, printer.port, copies="2")
        assert issue(client, office.service("B"), token).json["printed"] is True
        job = printer.next_job()
    assert printable(job).count("B001") == 2 and len(raster_images(job)) == 2


def test_a_kiosk_whose_printer_is_off_keeps_the_ticket_and_is_told_why_nothing_printed(app, client, office):
    port = closed_port()
    token = network_kiosk(app, port)
    response = issue(client, office.service("A"), token)
    assert response.status_code == 201
    assert response.json["number"] == "A001"
    assert response.json["printed"] is False and response.json["print_mode"] == "escpos_network"
    assert response.json["print_error"] == f"the printer at 127.0.0.1:{port} refused the connection"
    [ticket] = stored_tickets(app)
    assert ticket["number"] == "A001" and ticket["status"] == "waiting" and ticket["token"] == response.json["token"]
    # The queue goes on: the next number follows, without a gap.
    assert issue(client, office.service("A"), token).json["number"] == "A002"


def test_a_usb_printer_that_is_not_plugged_in_is_reported_and_the_ticket_kept(app, client, office):
    _id, token = register_kiosk(
        app, print_mode="escpos_usb", usb_vendor_id="0fff", usb_product_id="0fff", auto_print="1"
    )
    response = issue(client, office.service("A"), token)
    assert response.status_code == 201 and response.json["printed"] is False
    assert response.json["print_error"].startswith("the USB printer USB 0x0fff:0x0fff did not take the slip")
    assert [t["number"] for t in stored_tickets(app)] == ["A001"]


def test_a_kiosk_printing_from_its_browser_is_told_so_and_nothing_is_sent(app, client, office):
    _id, token = register_kiosk(app, auto_print="1")
    response = issue(client, office.service("A"), token)
    assert response.status_code == 201
    assert (response.json["printed"], response.json["print_mode"], response.json["print_error"]) == (
        False,
        "browser",
        None,
    )
    anonymous = client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    assert anonymous.json["print_mode"] == "browser"


def test_with_automatic_printing_off_the_server_prints_only_when_asked(app, client, office):
    with NetworkPrinter() as printer:
        _id, token = register_kiosk(
            app, print_mode="escpos_network", printer_host="127.0.0.1", printer_port=str(printer.port)
        )
        response = issue(client, office.service("A"), token)
        assert response.json["printed"] is False and response.json["print_error"] is None
        again = client.post(f"/kiosk/tickets/{response.json['token']}/print", headers={"X-Device-Token": token})
        assert again.status_code == 200 and again.json["printed"] is True
        assert "A001" in printable(printer.next_job())
        assert printer.received_nothing()


# --- reprinting, and what a kiosk learns of its own settings ---


def test_print_again_sends_the_slip_to_the_kiosks_printer_once_more(app, client, office):
    with NetworkPrinter() as printer:
        token = network_kiosk(app, printer.port)
        issued = issue(client, office.service("C"), token).json
        printer.next_job()
        again = client.post(f"/kiosk/tickets/{issued['token']}/print", headers={"X-Device-Token": token})
        assert again.status_code == 200
        assert again.json == {"printed": True, "print_mode": "escpos_network", "print_error": None}
        assert "C001" in printable(printer.next_job())


def test_print_again_is_for_registered_escpos_kiosks_only(app, client, office):
    _id, browser_token = register_kiosk(app)
    ticket = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    path = f"/kiosk/tickets/{ticket['token']}/print"
    assert client.post(path).status_code == 401
    assert client.post(path, headers={"X-Device-Token": "nope"}).json["error"]["code"] == "device_token_invalid"
    refused = client.post(path, headers={"X-Device-Token": browser_token})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "browser_printing"
    token = network_kiosk(app, closed_port())
    assert client.post("/kiosk/tickets/unknown/print", headers={"X-Device-Token": token}).status_code == 404
    failed = client.post(path, headers={"X-Device-Token": token})
    assert failed.status_code == 200 and failed.json["printed"] is False and "refused" in failed.json["print_error"]


def test_a_kiosk_reads_its_printing_settings(app, client, office):
    _id, token = register_kiosk(app, paper_width_mm="58", auto_print="1", copies="1")
    assert client.get("/kiosk/device").status_code == 401
    assert client.get("/kiosk/device", headers={"X-Device-Token": token}).json == {
        "name": "Anjungan Lobi",
        "print_mode": "browser",
        "paper_width_mm": 58,
        "auto_print": True,
        "copies": 1,
    }


# --- one content, two printers ---


def test_the_browser_slip_and_the_escpos_slip_say_the_same(app, client, office):
    """Both are drawn from one Slip: every line of the page's slip is on the paper too."""
    with NetworkPrinter() as printer:
        token = network_kiosk(app, printer.port, paper_width_mm="58")
        issue(client, office.service("A"), token, priority=True)  # one person ahead of the next
        issued = issue(client, office.service("A"), token, priority=True).json
        printer.next_job()
        job = printer.next_job()
    page = client.get(f"/kiosk/tickets/{issued['token']}/slip?paper=58").get_data(as_text=True)
    article = page[page.index('<article class="slip"') : page.index("</article>")]
    article = re.sub(r'<div class="slip-qr".*?</div>', "", article, flags=re.S)
    page_lines = [html.unescape(" ".join(t.split())) for t in re.split(r"<[^>]+>", article)]
    page_lines = [line for line in page_lines if line]
    paper = printable(job).replace(" ", "")  # the paper wraps long lines where the page does not
    assert "A002" in page_lines and "PRIORITAS" in page_lines and "1" in page_lines, page_lines
    missing = [line for line in page_lines if not any(v.replace(" ", "") in paper for v in (line, line.upper()))]
    assert not missing, f"on the page but not on the ESC/POS slip: {missing}"


# --- the admin form ---


@pytest.fixture
def pages(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


def device(app, device_id: int) -> Device:
    with app.app_context():
        found = db.session.get(Device, device_id)
        db.session.expunge(found)
        return found


def test_an_admin_points_a_kiosk_at_a_network_printer_and_the_change_is_audited(pages, app):
    device_id, _token = register_kiosk(app)
    form = {"name": "Anjungan Lobi", "active": "1", "print_mode": "escpos_network", "printer_host": "192.168.1.50",
            "printer_port": "9100", "paper_width_mm": "80", "auto_print": "1", "copies": "1"}  # fmt: skip
    response = pages.post(f"/admin/devices/{device_id}", form)
    assert response.status_code == 303
    assert device(app, device_id).settings == {
        "paper_width_mm": 80,
        "auto_print": True,
        "copies": 1,
        "print_mode": "escpos_network",
        "printer_host": "192.168.1.50",
        "printer_port": 9100,
    }
    entry = pages.audit("device")[-1]
    assert entry.action == "update" and entry.before["settings"]["print_mode"] == "browser"
    assert entry.after["settings"]["printer_host"] == "192.168.1.50"
    edit = pages.html(f"/admin/devices/{device_id}")
    assert 'value="192.168.1.50"' in edit and '<option value="escpos_network" selected>' in edit
    assert "ESC/POS 192.168.1.50:9100" in pages.html("/admin/devices")


def test_a_bad_printer_address_is_refused_with_a_clear_message_and_nothing_is_written(pages, app):
    device_id, _token = register_kiosk(app, paper_width_mm="58")
    before, audited = device(app, device_id).settings, len(pages.audit())
    form = {"name": "Anjungan Lobi", "active": "1", "print_mode": "escpos_network",
            "printer_host": "http://printer", "printer_port": "70000", "copies": "1"}  # fmt: skip
    response = pages.post(f"/admin/devices/{device_id}", form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_error(page, "f-printer_host") == "bukan alamat IP atau nama host (tanpa http://, port, atau spasi)"
    assert field_error(page, "f-printer_port") == "port adalah bilangan bulat dari 1 sampai 65535 (biasanya 9100)"
    assert 'value="http://printer"' in page  # what was typed stays in the form
    assert device(app, device_id).settings == before and len(pages.audit()) == audited


def test_a_usb_printer_needs_its_ids(pages, app):
    device_id, _token = register_kiosk(app)
    form = {"name": "Anjungan Lobi", "active": "1", "print_mode": "escpos_usb", "usb_vendor_id": "epson", "copies": "1"}
    response = pages.post(f"/admin/devices/{device_id}", form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "04b8" in field_error(page, "f-usb_vendor_id") and "04b8" in field_error(page, "f-usb_product_id")
    assert device(app, device_id).settings["print_mode"] == "browser"
