"""A journey across agencies in Chromium (issue 26): the kiosk adds a next service of another agency
before the number is taken; the visitor's phone page shows the steps of the two agencies and follows the
next step's ticket as soon as the first agency's officer finishes step 1, on a 390 x 844 phone."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import select

from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.e2e.test_kiosk import kiosk_page
from tests.e2e.test_kiosk_screens import SCREENS, assert_in_view_and_on_top
from tests.integration.test_journeys import add_bpjs

PHONE = {"width": 390, "height": 844}


def inside_the_phone(page, selector: str) -> None:
    for box in (page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())):
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, (selector, box)


def test_the_phone_page_shows_the_journey_s_steps_and_follows_the_next_ticket_once_step_one_is_finished(
    live, chromium, screenshots
):
    bpjs = add_bpjs(live.app, live.office)
    started = requests.post(
        f"{live.url}/api/v1/journeys", json={"service_ids": [live.office.service("A"), bpjs["service_k"]]}, timeout=10
    )
    assert started.status_code == 201, started.text
    first = started.json()["ticket"]

    context = chromium.new_context(viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        phone.goto(f"{live.url}/t/{first['token']}")
        steps = phone.locator("#journey-steps .v-step")
        expect(steps).to_have_count(2)
        expect(steps.nth(0)).to_contain_text("Dinas Pendidikan Provinsi")
        expect(steps.nth(0)).to_contain_text(first["number"])
        expect(steps.nth(1)).to_contain_text("BPJS Kesehatan")
        expect(steps.nth(1)).to_contain_text("Kartu BPJS")
        expect(steps.nth(1)).to_contain_text("Menunggu langkah sebelumnya")
        expect(phone.locator("#live")).to_have_class("v-live live")  # the socket is up: no polling
        inside_the_phone(phone, "#journey, #journey-steps .v-step, #card")
        phone.screenshot(path=str(screenshots / "visitor-journey.png"), full_page=True)

        siti = requests.Session()
        siti.post(f"{live.url}/api/v1/auth/login", json={"username": "siti", "password": "demo12345"}, timeout=10)
        counter = live.office.counter(1)
        assert siti.post(f"{live.url}/api/v1/counters/{counter}/open", timeout=10).status_code == 200
        called = siti.post(f"{live.url}/api/v1/counters/{counter}/call-next", timeout=10).json()
        assert called["number"] == first["number"]
        assert siti.post(f"{live.url}/api/v1/tickets/{called['id']}/start", json={}, timeout=10).status_code == 200
        assert siti.post(f"{live.url}/api/v1/tickets/{called['id']}/finish", json={}, timeout=10).status_code == 200

        # The page follows the journey to BPJS's ticket, live.
        phone.wait_for_url(lambda url: first["token"] not in url, timeout=10_000)
        expect(phone.locator("#number")).to_have_text("K001")
        steps = phone.locator("#journey-steps .v-step")
        expect(steps.nth(0)).to_contain_text("Selesai")
        expect(steps.nth(1)).to_contain_text("K001")
        expect(steps.nth(1)).to_have_class("v-step current own")
        inside_the_phone(phone, "#journey, #journey-steps .v-step, #card")
        phone.screenshot(path=str(screenshots / "visitor-journey-next.png"), full_page=True)
    finally:
        context.close()


def test_the_kiosk_adds_a_next_service_of_another_agency_before_the_number_is_taken(live, chromium, screenshots):
    bpjs = add_bpjs(live.app, live.office)
    context = chromium.new_context(viewport={"width": 1080, "height": 1920}, locale="id-ID", has_touch=True)
    try:
        kiosk = context.new_page()
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('.service.agency[data-agency="DISDIK"]').click()
        kiosk.locator('.service[data-code="A"]').click()
        kiosk.locator("#screen-detail").wait_for(state="visible")
        expect(kiosk.locator("#add-next")).to_have_text("Tambah layanan berikutnya")
        kiosk.locator("#add-next").click()
        expect(kiosk.locator("#journey-bar")).to_be_visible()
        expect(kiosk.locator("#journey-list li")).to_have_text(["Disdik · Legalisir Ijazah"])
        kiosk.locator('.service.agency[data-agency="BPJS"]').click()
        kiosk.locator('.service[data-code="K"]').click()
        kiosk.locator("#screen-detail").wait_for(state="visible")
        kiosk.screenshot(path=str(screenshots / "kiosk-journey-detail.png"))
        kiosk.locator("#take").click()
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        expect(kiosk.locator("#ticket-number")).to_have_text("A001")
        expect(kiosk.locator("#ticket-next")).to_have_text("Langkah berikutnya: 2. BPJS · Kartu BPJS")
        slip = kiosk.frame_locator("#print-frame")
        expect(slip.locator("#slip-next")).to_contain_text("BPJS Kesehatan · Kartu BPJS")
        kiosk.screenshot(path=str(screenshots / "kiosk-journey-ticket.png"))
        for part in ("#ticket-number", ".ticket-actions"):
            box = kiosk.locator(f"#screen-ticket {part}").bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= 1920, part
    finally:
        context.close()
    with live.app.app_context():
        steps = db.session.execute(select(tables.journey_steps).order_by(tables.journey_steps.c.position)).all()
        db.session.remove()
    assert [s.service_id for s in steps] == [live.office.service("A"), bpjs["service_k"]]
    assert steps[0].ticket_id is not None and steps[1].ticket_id is None  # step 2 waits for step 1


@pytest.mark.parametrize("mode", ["standard", "accessible"])
@pytest.mark.parametrize("screen", ["portrait", "landscape"])
def test_a_three_step_journey_s_ticket_screen_fits_with_its_next_steps_on_every_screen(
    live, chromium, screenshots, screen, mode
):
    add_bpjs(live.app, live.office)
    context, kiosk = kiosk_page(chromium, SCREENS[screen])
    try:
        kiosk.goto(f"{live.url}/kiosk/?lang=id")
        if mode == "accessible":
            kiosk.locator("#access-toggle").click()
        for agency, code in (("DISDIK", "A"), ("BPJS", "K")):
            kiosk.locator(f'.service.agency[data-agency="{agency}"]').click()
            kiosk.locator(f'.service[data-code="{code}"]').click()
            kiosk.locator("#screen-detail").wait_for(state="visible")
            kiosk.locator("#add-next").click()
        kiosk.locator('.service.agency[data-agency="DISDIK"]').click()
        kiosk.locator('.service[data-code="B"]').click()
        kiosk.locator("#screen-detail").wait_for(state="visible")
        kiosk.locator("#take").click()
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        expect(kiosk.locator("#ticket-next-steps")).to_have_text("2. BPJS · Kartu BPJS  ·  3. Disdik · Mutasi Siswa")
        kiosk.screenshot(path=str(screenshots / f"kiosk-journey-ticket-{screen}-{mode}.png"))
        assert_in_view_and_on_top(
            kiosk, "#ticket-number", "#ticket-service", "#ticket-next", "#ticket-qr", "#ticket-done", "#ticket-reprint"
        )
    finally:
        context.close()
