"""The display's information panel in Chromium: the admin's Maklumat Pelayanan and announcements, each
service's Standar Pelayanan, the latest IKM with its grade and the quota left, beside the calls."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from servicedesk.domain.survey import CODES
from servicedesk.services import survey, tickets
from servicedesk.services.admin import announcements as admin_announcements
from servicedesk.web.context import unit_of_work
from servicedesk.web.uploads import image_folder
from tests.e2e.test_display import open_display
from tests.e2e.test_display_layout import MAKLUMAT, png

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_display_shows_the_maklumat_standards_announcements_ikm_and_quota_left(live, page):
    office = live.office
    office.update_service("A", daily_quota=20)
    with live.app.app_context():
        folder = image_folder()
        made = [
            admin_announcements.create(
                unit_of_work(), actor_id=None, data={**fields, "active": "1"}, image=image, folder=folder
            )
            for fields, image in (
                ({"kind": "maklumat", "title": "Maklumat Pelayanan", "body": MAKLUMAT}, None),
                ({"kind": "image", "title": "Brosur legalisir"}, png(400, 200)),
                ({"kind": "text", "title": "Jam istirahat", "body": "Jumat 11.30–13.30"}, None),
            )
        ]
        user, counter = office.users["siti"], office.counter(1)
        tickets.open_counter(unit_of_work(), counter_id=counter, user_id=user)
        for answer in (4, 3):
            issued = tickets.issue_ticket(unit_of_work(), service_id=office.service("A"))
            called = tickets.call_next(unit_of_work(), counter_id=counter, user_id=user)
            tickets.start(unit_of_work(), ticket_id=called.id, user_id=user)
            tickets.finish(unit_of_work(), ticket_id=called.id, user_id=user)
            survey.submit_response(unit_of_work(), token=issued.ticket.token, answers=dict.fromkeys(CODES, answer))
    try:
        page.set_viewport_size({"width": 1920, "height": 1080})
        open_display(page, f"{live.url}/display")
        slide = page.locator("[data-info-slide]")
        expect(slide).to_have_attribute("data-count", "8")  # maklumat, five standards, image, text
        page.evaluate("window.__display.showSlide(0)")
        expect(slide).to_have_attribute("data-slide", "maklumat")
        expect(slide.locator(".info-title")).to_have_text("Maklumat Pelayanan")
        expect(slide.locator(".info-body")).to_contain_text("sanggup menyelenggarakan pelayanan")

        page.evaluate("window.__display.showSlide(1)")
        expect(slide).to_have_attribute("data-slide", "standard")
        expect(slide.locator(".info-title")).to_have_text("A · Legalisir Ijazah")
        expect(slide).to_contain_text("Waktu layanan:")

        page.evaluate("window.__display.showSlide(6)")
        expect(slide).to_have_attribute("data-slide", "image")
        image = slide.locator("img.info-image")
        expect(image).to_have_attribute("alt", "Brosur legalisir")
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") == 400  # served and decoded

        ikm = page.locator("[data-ikm]")
        expect(ikm).to_contain_text("87,50")
        expect(ikm.locator(".grade")).to_have_text("B · Baik")
        expect(ikm).to_contain_text("2 responden")
        expect(page.locator('[data-service="A"] .queue-quota')).to_have_text("sisa kuota 18")

        # Calls stay where they were: the information has its own panel.
        info, now = page.locator(".info").bounding_box(), page.locator(".now").bounding_box()
        assert info["y"] >= now["y"] + now["height"]
    finally:
        for item in made:
            if item.image:
                (folder / item.image).unlink(missing_ok=True)
