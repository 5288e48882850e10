"""An agency's own language and colours in Chromium (issue 26): in a hall of two agencies, the entrance
kiosk shows the immigration office (English, purple) in English once a visitor chooses it, and starts
over in Indonesian for the next; the phone page of its ticket has its name on a purple stripe with
white text, inside a 390x844 phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from servicedesk.domain.branding import contrast_ratio
from servicedesk.domain.model import Agency
from servicedesk.extensions import db
from tests.e2e.test_hall_tv import second_agency
from tests.e2e.test_kiosk import kiosk_page, take_ticket
from tests.e2e.test_kiosk_screens import SCREENS, assert_in_view_and_on_top

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PURPLE = "#7b1fa2"
PURPLE_RGB = "rgb(123, 31, 162)"
PHONE = {"width": 390, "height": 844}


def english_purple_imigrasi(live) -> None:
    second_agency(live)
    with live.app.app_context():
        agency = db.session.query(Agency).filter_by(code="IMIGRASI").one()
        agency.language, agency.brand_colour = "en", PURPLE
        db.session.commit()
        db.session.remove()


def test_the_kiosk_speaks_the_chosen_agency_s_language_and_the_phone_page_wears_its_colour(live, chromium, screenshots):
    english_purple_imigrasi(live)
    context, kiosk = kiosk_page(chromium, SCREENS["portrait"])
    try:
        kiosk.goto(f"{live.url}/kiosk/?lang=auto")
        kiosk.locator('.service.agency[data-agency="IMIGRASI"]').wait_for()
        assert kiosk.inner_text("#start-prompt") == "Silakan pilih instansi"
        kiosk.locator('.service.agency[data-agency="IMIGRASI"]').click()
        kiosk.wait_for_url(re.compile(r"/kiosk/\?agency=\d+$"))  # drawn again, in the agency's language
        kiosk.locator('.service[data-code="M"]').wait_for()
        assert kiosk.get_attribute("html", "lang") == "en"
        assert kiosk.inner_text("#start-prompt") == "Please choose a service"
        expect(kiosk.locator("#agency-chosen")).to_have_text("Kantor Imigrasi")
        assert_in_view_and_on_top(kiosk, "#agency-back", '.service[data-code="M"]', 'a.lang[data-lang="id"]')
        assert "agency=" in kiosk.get_attribute('a.lang[data-lang="id"]', "href")  # a tap keeps the agency
        kiosk.screenshot(path=str(screenshots / "kiosk-agency-language-portrait.png"))
        take_ticket(kiosk, "M")
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        assert kiosk.text_content(".ticket-label") == "Your queue number"
        assert kiosk.inner_text("#ticket-agency") == "Kantor Imigrasi"
        assert_in_view_and_on_top(kiosk, "#ticket-number", "#ticket-done", "#ticket-qr")
        token = re.search(r"/tickets/([^/]+)/qr\.svg", kiosk.get_attribute("#ticket-qr", "src")).group(1)
        kiosk.locator("#ticket-done").click()  # the next visitor starts over, in Indonesian
        kiosk.wait_for_url("**/kiosk/?lang=auto")
        kiosk.locator('.service.agency[data-agency="IMIGRASI"]').wait_for()
        assert kiosk.get_attribute("html", "lang") == "id"
        assert kiosk.inner_text("#start-prompt") == "Silakan pilih instansi"
    finally:
        context.close()

    phone_context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    try:
        phone = phone_context.new_page()
        phone.goto(f"{live.url}/t/{token}")
        phone.locator("#agency").wait_for()
        assert phone.get_attribute("html", "lang") == "en"
        assert phone.text_content(".v-label") == "Queue number"
        colours = phone.evaluate(
            """() => ["#v-bar", "#agency"].map((s) => {
                 const style = getComputedStyle(document.querySelector(s));
                 return [style.backgroundColor, style.color];
               })"""
        )
        assert colours == [[PURPLE_RGB, "rgb(255, 255, 255)"], [PURPLE_RGB, "rgb(255, 255, 255)"]]
        expect(phone.locator("#agency")).to_have_text("Kantor Imigrasi")
        assert_in_view_and_on_top(phone, "#v-bar", "#agency", "#number")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing wider than the phone
        phone.screenshot(path=str(screenshots / "phone-agency-brand.png"))
    finally:
        phone_context.close()


def rgb_hex(css: str) -> str:
    red, green, blue = (int(part) for part in re.findall(r"\d+", css)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def test_a_light_agency_colour_on_the_kiosk_keeps_its_text_readable(live, chromium):
    second_agency(live)
    with live.app.app_context():
        agency = db.session.query(Agency).filter_by(code="IMIGRASI").one()
        agency.brand_colour = "#ffeb3b"  # a yellow: white text on it, or it as text on white, would not read
        db.session.commit()
        db.session.remove()
    context, kiosk = kiosk_page(chromium, SCREENS["portrait"])
    try:
        kiosk.goto(f"{live.url}/kiosk/?lang=auto")
        kiosk.locator('.service.agency[data-agency="IMIGRASI"]').click()
        kiosk.locator('.service[data-code="M"]').wait_for()
        colours = kiosk.evaluate(
            """() => [".kiosk-bar", ".office-name", "#agency-chosen", '.service[data-code="M"] .code-badge']
                 .map((s) => { const style = getComputedStyle(document.querySelector(s));
                               return [style.backgroundColor, style.color]; })"""
        )
        bar, name, chosen, badge = ((rgb_hex(back), rgb_hex(text)) for back, text in colours)
        assert bar[0] == "#ffeb3b" and name[1] == "#000000"  # black on the yellow header
        assert badge == ("#ffeb3b", "#000000")
        assert contrast_ratio(chosen[1], "#ffffff") >= 4.5  # the agency's name in a darkened yellow
        assert_in_view_and_on_top(kiosk, "#agency-chosen", '.service[data-code="M"]')
    finally:
        context.close()
