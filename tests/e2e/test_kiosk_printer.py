"""A kiosk whose slips the server prints over ESC/POS, in Chromium against the gunicorn+gevent server:
to a real TCP peer standing in for the network printer, and to a printer that is switched off."""

from __future__ import annotations

import pytest

from servicedesk.extensions import db
from servicedesk.services import admin
from servicedesk.web.context import unit_of_work
from tests.e2e.test_kiosk import PORTRAIT, kiosk_page, take_ticket, tickets
from tests.printers import NetworkPrinter, closed_port, printable, raster_images

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def escpos_kiosk(live, port: int) -> str:
    """A kiosk registered by the admin use case, printing on a network ESC/POS printer at 127.0.0.1:port."""
    data = {
        "kind": "kiosk",
        "name": "Anjungan Lobi",
        "print_mode": "escpos_network",
        "printer_host": "127.0.0.1",
        "printer_port": str(port),
        "auto_print": "1",
        "copies": "1",
    }
    with live.app.app_context():
        _device, token = admin.register_device(unit_of_work(), actor_id=None, data=data)
        db.session.remove()
    return token


def test_when_the_printer_fails_the_kiosk_shows_the_number_and_says_so(live, chromium, screenshots):
    token = escpos_kiosk(live, closed_port())
    context, kiosk = kiosk_page(chromium, PORTRAIT)
    try:
        kiosk.goto(f"{live.url}/kiosk/?device={token}")
        take_ticket(kiosk, "A")
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        assert kiosk.inner_text("#ticket-number") == "A001"
        failed = kiosk.locator("#printer-failed")
        failed.wait_for(state="visible")
        assert "Printer tiket gagal mencetak" in failed.inner_text()
        assert "Nomor Anda sudah tercatat" in failed.inner_text()
        assert kiosk.inner_text("#ticket-hint") == (
            "Printer tidak merespons: silakan catat nomor Anda atau pindai kode QR."
        )
        assert kiosk.get_attribute("#print-frame", "src") is None  # the browser does not print instead
        kiosk.screenshot(path=str(screenshots / "kiosk-printer-failed.png"))

        kiosk.locator("#ticket-reprint").click()  # still off: the same message, the same number
        kiosk.locator("#ticket-reprint").wait_for(state="visible")
        failed.wait_for(state="visible")
        assert kiosk.inner_text("#ticket-number") == "A001"
    finally:
        context.close()
    [ticket] = tickets(live)
    assert ticket["number"] == "A001" and ticket["status"] == "waiting"


def test_the_server_prints_on_the_network_printer_and_prints_again_when_asked(live, chromium):
    with NetworkPrinter() as printer:
        token = escpos_kiosk(live, printer.port)
        context, kiosk = kiosk_page(chromium, PORTRAIT)
        try:
            kiosk.goto(f"{live.url}/kiosk/?device={token}")
            take_ticket(kiosk, "B")
            kiosk.locator("#screen-ticket").wait_for(state="visible")
            assert kiosk.inner_text("#ticket-number") == "B001"
            first = printer.next_job()
            assert kiosk.locator("#printer-failed").is_hidden()
            assert kiosk.inner_text("#ticket-hint").startswith("Silakan ambil struk")
            kiosk.locator("#ticket-reprint").click()
            second = printer.next_job()
        finally:
            context.close()
    for job in (first, second):
        assert "B001" in printable(job) and "NOMOR ANTREAN" in printable(job) and len(raster_images(job)) == 1
    assert [t["number"] for t in tickets(live)] == ["B001"]
