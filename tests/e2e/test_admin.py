"""The administration pages in Chromium against a real server: a new service reaches the open kiosk."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


def log_in(page, live, username: str = "admin", next_path: str = "/admin/") -> None:
    page.goto(f"{live.url}/login?next={next_path}&lang=id")
    page.fill("#username", username)
    page.fill("#password", "demo12345")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live.url}{next_path}")


def test_a_service_added_by_an_admin_appears_on_the_open_kiosk_without_a_restart(live, chromium, screenshots):
    kiosk_context = chromium.new_context(viewport={"width": 1080, "height": 1920}, locale="id-ID", has_touch=True)
    admin_context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    try:
        kiosk = kiosk_context.new_page()
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('.service[data-code="A"]').wait_for()
        assert kiosk.locator('.service[data-code="F"]').count() == 0

        page = admin_context.new_page()
        log_in(page, live)
        page.screenshot(path=screenshots / "admin-overview.png", full_page=True)
        page.click("text=Layanan")
        page.wait_for_url(f"{live.url}/admin/services")
        page.click("text=Layanan baru")

        # A first try with mistakes: the messages appear next to their fields and nothing is saved.
        page.fill("#f-code", "A")
        page.fill("#f-standard_minutes", "0")
        page.click("button.btn--primary")
        assert page.locator("#e-f-code").is_visible() and page.locator("#e-f-name").is_visible()
        assert page.locator("#e-f-standard_minutes").is_visible()
        page.screenshot(path=screenshots / "admin-service-form-errors.png", full_page=True)

        page.fill("#f-code", "F")
        page.fill("#f-name", "Surat Keterangan Pengganti Ijazah")
        page.fill("#f-name_en", "Diploma Replacement Letter")
        page.fill("#f-unit", "Bidang Pembinaan SMA")
        page.fill("#f-requirements", "Surat keterangan hilang dari kepolisian\nFotokopi KTP")
        page.fill("#f-procedure", "Serahkan berkas\nVerifikasi arsip\nPenerbitan surat")
        page.fill("#f-standard_minutes", "25")
        page.fill("#f-sop_number", "SOP/ULT/006/2026")
        page.fill("#f-daily_quota", "40")
        page.click("button.btn--primary")
        page.wait_for_url(f"{live.url}/admin/services")
        assert page.locator('tr[data-code="F"]').is_visible()
        page.screenshot(path=screenshots / "admin-services.png", full_page=True)

        # The kiosk was left open: its next refresh of the service list shows the new service.
        kiosk.locator('.service[data-code="F"]').wait_for(timeout=30_000)
        assert "Surat Keterangan Pengganti Ijazah" in kiosk.locator('.service[data-code="F"]').inner_text()
        kiosk.screenshot(path=screenshots / "admin-new-service-on-kiosk.png")

        page.goto(f"{live.url}/admin/audit")
        assert "Surat Keterangan Pengganti Ijazah" in page.locator("#audit-rows").inner_text()
        page.screenshot(path=screenshots / "admin-audit.png", full_page=True)
    finally:
        kiosk_context.close()
        admin_context.close()


def test_the_settings_and_device_pages_render_for_an_admin_and_read_only_for_a_supervisor(live, chromium, screenshots):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    try:
        page = context.new_page()
        log_in(page, live, next_path="/admin/settings")
        page.fill("#f-hours_fri", "08:00-11:30, 11:00-16:00")
        page.click("#settings-form button.btn--primary")
        assert page.locator("#e-f-hours_fri").is_visible()
        page.screenshot(path=screenshots / "admin-settings-error.png", full_page=True)

        page.goto(f"{live.url}/admin/devices/new?kind=display")
        page.fill("#f-name", "TV Lantai 1")
        page.fill("#f-area", "Lantai 1")
        page.click("button.btn--primary")
        token = page.locator("#device-token").inner_text()
        assert len(token) > 20 and "device=" in page.locator("#device-link").inner_text()
        page.screenshot(path=screenshots / "admin-device-token.png", full_page=True)
        page.goto(f"{live.url}/admin/devices")
        assert token not in page.content()

        page.click("text=Keluar")
        log_in(page, live, username="supervisor", next_path="/admin/settings")
        assert page.locator("#f-name").is_disabled()
        assert page.locator("#settings-form button.btn--primary").count() == 0
    finally:
        context.close()
