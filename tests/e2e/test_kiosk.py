"""The visitor's journey in Chromium against a real server: kiosk, slip, phone page, call, survey."""

from __future__ import annotations

import io
import re
import time

import pytest
import requests
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from servicedesk.extensions import db
from servicedesk.persistence import tables
from servicedesk.services.devices import register_device
from servicedesk.web.context import unit_of_work

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}
PHONE = {"width": 360, "height": 740}


def wait_until(page, expression: str, timeout: float = 5.0) -> None:
    """Poll an expression with page.evaluate: the pages' CSP forbids the eval behind wait_for_function."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout}s: {expression}"
        time.sleep(0.05)


def decode_qr(png: bytes) -> str:
    import zxingcpp

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert found, "no QR code found in the picture"
    return found[0].text


def tickets(live) -> list[dict]:
    with live.app.app_context():
        rows = [dict(r._mapping) for r in db.session.execute(select(tables.tickets).order_by(tables.tickets.c.id))]
        db.session.remove()
    return rows


def survey_rows(live) -> list[dict]:
    with live.app.app_context():
        rows = [dict(r._mapping) for r in db.session.execute(select(tables.survey_responses))]
        db.session.remove()
    return rows


def staff_session(live, username="siti") -> requests.Session:
    session = requests.Session()
    response = session.post(f"{live.url}/api/v1/auth/login", json={"username": username, "password": "demo12345"})
    assert response.status_code == 200, response.text
    return session


def kiosk_page(chromium, viewport, **options):
    context = chromium.new_context(viewport=viewport, locale="id-ID", has_touch=True, **options)
    return context, context.new_page()


def phone_page(chromium):
    context = chromium.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="id-ID"
    )
    return context, context.new_page()


def take_ticket(page, code="A", priority=False) -> None:
    page.locator(f'.service[data-code="{code}"]').click()
    page.locator("#screen-detail").wait_for(state="visible")
    if priority:
        page.locator("#priority-choice").click()
        page.locator(".group-option").first.click()  # the first group of the office's list
    page.locator("#take").click()


def test_a_visitor_takes_a_ticket_follows_it_on_the_phone_is_called_and_answers_the_survey(live, chromium, screenshots):
    requests.post(f"{live.url}/api/v1/tickets", json={"service_id": live.office.service("E")}, timeout=5)
    kiosk_context, kiosk = kiosk_page(chromium, PORTRAIT)
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('.service[data-code="A"]').wait_for()
        assert "Silakan pilih jenis layanan" in kiosk.inner_text("#screen-start")
        assert "1 menunggu" in kiosk.inner_text('.service[data-code="E"]')
        kiosk.screenshot(path=str(screenshots / "kiosk-portrait.png"))

        kiosk.locator('.service[data-code="A"]').click()
        detail = kiosk.locator("#screen-detail")
        detail.wait_for(state="visible")
        assert "Ijazah asli" in detail.inner_text()  # the published requirements, before taking a number
        assert "15 menit" in detail.inner_text() and "Gratis" in detail.inner_text()
        kiosk.screenshot(path=str(screenshots / "kiosk-standar-pelayanan.png"))
        kiosk.locator("#take").click()
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        assert kiosk.inner_text("#ticket-number") == "A001"
        wait_until(kiosk, "document.getElementById('ticket-qr').naturalWidth > 0")
        # The slip is printed from a hidden frame (Chromium's --kiosk-printing prints it without a dialog).
        assert kiosk.frame_locator("#print-frame").locator("#slip-number").inner_text() == "A001"
        kiosk.screenshot(path=str(screenshots / "kiosk-ticket.png"))
    finally:
        kiosk_context.close()

    [_, ticket] = tickets(live)
    assert ticket["number"] == "A001" and ticket["status"] == "waiting"
    token = ticket["token"]

    slip_context, slip = kiosk_page(chromium, {"width": 420, "height": 900})
    try:
        slip.goto(f"{live.url}/kiosk/tickets/{token}/slip")
        assert slip.inner_text("#slip-number") == "A001"
        visitor_url = decode_qr(slip.locator("#slip-qr svg").screenshot())
        assert visitor_url == f"{live.url}/t/{token}"
    finally:
        slip_context.close()

    phone_context, phone = phone_page(chromium)
    try:
        phone.goto(visitor_url)
        assert phone.inner_text("#number") == "A001"
        assert phone.inner_text("#status-text") == "Menunggu giliran"
        expect(phone.locator("#live")).to_have_class(re.compile(r"\blive\b"))
        phone.evaluate("window.__sameDocument = true")  # gone if the page reloads
        phone.screenshot(path=str(screenshots / "phone-waiting.png"))

        siti = staff_session(live)
        assert siti.post(f"{live.url}/api/v1/counters/{live.office.counter(1)}/open").status_code == 200
        called = siti.post(f"{live.url}/api/v1/counters/{live.office.counter(1)}/call-next").json()
        assert called["number"] == "A001"

        overlay = phone.locator("#called")
        overlay.wait_for(state="visible", timeout=10000)
        assert phone.inner_text("#called-go") == "Silakan menuju loket 1"
        assert phone.evaluate("window.__sameDocument") is True
        phone.screenshot(path=str(screenshots / "phone-called.png"))
        phone.locator("#called-ok").click()
        assert overlay.is_hidden()

        assert siti.post(f"{live.url}/api/v1/tickets/{called['id']}/recall").status_code == 200
        overlay.wait_for(state="visible", timeout=10000)
        assert phone.locator("#called-recall").is_visible()
        phone.locator("#called-ok").click()

        siti.post(f"{live.url}/api/v1/tickets/{called['id']}/start")
        assert siti.post(f"{live.url}/api/v1/tickets/{called['id']}/finish").status_code == 200
        survey = phone.locator("#survey")
        survey.wait_for(state="visible", timeout=10000)
        phone.screenshot(path=str(screenshots / "phone-survey.png"))

        phone.locator("#survey-submit").click()  # nothing answered yet
        assert phone.inner_text("#survey-error") == "Mohon jawab kesembilan pertanyaan."
        for number, value in zip(range(1, 10), (4, 3, 3, 4, 3, 4, 4, 3, 2), strict=True):
            phone.locator(f'.v-question[data-code="u{number}"] .v-option').nth(value - 1).click()
        phone.fill("#comment", "Pelayanan cepat.")
        phone.locator("#survey-submit").click()
        phone.locator("#thanks").wait_for(state="visible")
        assert phone.evaluate("window.__sameDocument") is True
    finally:
        phone_context.close()

    [row] = survey_rows(live)
    assert row["ticket_id"] == ticket["id"]
    assert [row[f"u{i}"] for i in range(1, 10)] == [4, 3, 3, 4, 3, 4, 4, 3, 2]
    assert row["comment"] == "Pelayanan cepat." and row["counter_id"] == live.office.counter(1)


def test_the_kiosk_in_landscape_and_the_slips_for_both_paper_widths(live, chromium, screenshots):
    for code in ("A", "A", "C", "D", "D", "D"):
        requests.post(f"{live.url}/api/v1/tickets", json={"service_id": live.office.service(code)}, timeout=5)
    context, kiosk = kiosk_page(chromium, LANDSCAPE)
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('.service[data-code="E"]').wait_for()
        assert "3 menunggu" in kiosk.inner_text('.service[data-code="D"]')
        kiosk.screenshot(path=str(screenshots / "kiosk-landscape.png"))
        take_ticket(kiosk, "A", priority=True)
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        assert kiosk.inner_text("#ticket-number") == "A003"
        # Everything the visitor needs is on the screen at once, nothing under the header bar or below the
        # footer: the number, its QR code and the buttons.
        wait_until(kiosk, "document.getElementById('ticket-qr').naturalWidth > 0")
        bar = kiosk.locator(".kiosk-bar").bounding_box()
        header_bottom = bar["y"] + bar["height"]
        footer_top = kiosk.locator(".kiosk-footer").bounding_box()["y"]
        for part in ("#ticket-number", "#ticket-qr", ".ticket-actions"):
            box = kiosk.locator(f"#screen-ticket {part}").bounding_box()
            assert header_bottom <= box["y"] and box["y"] + box["height"] <= footer_top, part
        kiosk.screenshot(path=str(screenshots / "kiosk-ticket-landscape.png"))
    finally:
        context.close()
    token = tickets(live)[-1]["token"]
    for paper in (58, 80):
        live.office.configure(paper_width_mm=paper)
        context, slip = kiosk_page(chromium, {"width": 480, "height": 1000}, device_scale_factor=2)
        try:
            slip.goto(f"{live.url}/kiosk/tickets/{token}/slip")
            box = slip.locator("#slip")
            assert "PRIORITAS" in box.inner_text() and "NOMOR ANTREAN" in box.inner_text().upper()
            width_px = box.bounding_box()["width"]
            assert abs(width_px - paper * 96 / 25.4) < 2  # drawn at the roll's width
            box.screenshot(path=str(screenshots / f"slip-{paper}mm.png"))
            assert decode_qr(slip.locator("#slip-qr svg").screenshot()) == f"{live.url}/t/{token}"
        finally:
            context.close()


def test_a_double_tap_on_take_makes_one_ticket(live, chromium):
    context, kiosk = kiosk_page(chromium, PORTRAIT)
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('.service[data-code="B"]').click()
        kiosk.locator("#take").dblclick()
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        assert kiosk.inner_text("#ticket-number") == "B001"
    finally:
        context.close()
    assert [t["number"] for t in tickets(live)] == ["B001"]


def test_a_refusal_is_shown_in_words_and_the_kiosk_goes_back_to_the_start(live, chromium, screenshots):
    context, kiosk = kiosk_page(chromium, PORTRAIT)
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('.service[data-code="C"]').click()
        kiosk.locator("#screen-detail").wait_for(state="visible")
        live.office.update_service("C", daily_quota=0)  # the quota runs out while the visitor reads
        kiosk.locator("#take").click()
        kiosk.locator("#screen-refusal").wait_for(state="visible")
        assert kiosk.inner_text("#refusal-message") == (
            "Kuota layanan ini untuk hari ini sudah habis. Silakan datang kembali besok."
        )
        kiosk.screenshot(path=str(screenshots / "kiosk-refusal.png"))
        kiosk.locator("#refusal-back").click()
        kiosk.locator("#screen-start").wait_for(state="visible")
    finally:
        context.close()
    assert tickets(live) == []


def test_a_lost_answer_is_retried_with_the_same_key_and_the_kiosk_recovers_by_itself(live, chromium):
    context, kiosk = kiosk_page(chromium, PORTRAIT)
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('.service[data-code="A"]').wait_for()

        def lose_the_answer(route):
            route.fetch()  # the server issues the ticket...
            route.abort("connectionreset")  # ...but the kiosk never hears back

        kiosk.route("**/api/v1/tickets", lose_the_answer)
        kiosk.route("**/api/v1/services", lambda route: route.abort("connectionrefused"))
        take_ticket(kiosk, "A")
        kiosk.locator("#screen-refusal").wait_for(state="visible")
        assert "Koneksi ke server terputus" in kiosk.inner_text("#refusal-message")
        kiosk.locator("#banner").wait_for(state="visible")
        assert len(tickets(live)) == 1

        kiosk.unroute("**/api/v1/tickets")
        kiosk.unroute("**/api/v1/services")
        kiosk.locator("#banner").wait_for(state="hidden", timeout=15000)  # the next poll of the services succeeds
        kiosk.locator("#refusal-retry").click()  # the same Idempotency-Key: the same ticket comes back
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        assert kiosk.inner_text("#ticket-number") == "A001"
    finally:
        context.close()
    assert [t["number"] for t in tickets(live)] == ["A001"]


def test_a_kiosk_keeps_its_device_token_when_the_office_requires_one(live, chromium):
    live.office.configure(require_device_token=True)
    with live.app.app_context():
        _, token = register_device(unit_of_work(), kind="kiosk", name="Anjungan lobi")
        db.session.remove()
    context, kiosk = kiosk_page(chromium, PORTRAIT)
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator("#banner").wait_for(state="visible")
        assert "Anjungan ini belum terdaftar" in kiosk.inner_text("#banner")
        take_ticket(kiosk, "A")
        kiosk.locator("#screen-refusal").wait_for(state="visible")
        assert "belum terdaftar" in kiosk.inner_text("#refusal-message")

        kiosk.goto(f"{live.url}/kiosk/?device={token}")
        assert "device=" not in kiosk.url  # the token does not stay on screen
        kiosk.reload()  # and it is remembered
        kiosk.locator('.service[data-code="A"]').wait_for()
        assert kiosk.locator("#banner").is_hidden()
        take_ticket(kiosk, "A")
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        assert kiosk.inner_text("#ticket-number") == "A001"
    finally:
        context.close()


def test_the_kiosk_switches_to_english_and_the_next_visitor_starts_in_indonesian(live, chromium):
    context, kiosk = kiosk_page(chromium, PORTRAIT)
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('a.lang[data-lang="en"]').click()
        kiosk.locator('.service[data-code="A"]').wait_for()
        assert "Diploma Legalization" in kiosk.inner_text('.service[data-code="A"]')
        assert "Please choose a service" in kiosk.inner_text("#screen-start")
        kiosk.locator('.service[data-code="A"]').click()
        kiosk.locator("#detail-back").click()  # going back to the start resets the language for the next visitor
        kiosk.wait_for_url("**/kiosk/?lang=auto")
        kiosk.locator('.service[data-code="A"]').wait_for()
        assert "Legalisir Ijazah" in kiosk.inner_text('.service[data-code="A"]')
    finally:
        context.close()
