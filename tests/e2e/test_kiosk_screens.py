"""The kiosk on real screens with Debian's fonts: every take button in view, for every service and size."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.test_kiosk import kiosk_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = {
    "portrait": {"width": 1080, "height": 1920},
    "landscape": {"width": 1920, "height": 1080},
    "laptop": {"width": 1366, "height": 768},
    "tablet": {"width": 800, "height": 1280},
}

LONG = (
    "Rekomendasi Penyelenggaraan dan Perubahan Izin Operasional Satuan Pendidikan Menengah Atas, "
    "Sekolah Menengah Kejuruan dan Pendidikan Khusus Swasta di Wilayah Provinsi"
)


def stress_catalogue(office) -> None:
    """Every service at the limits a real catalogue reaches: long names, ten requirements, ten steps."""
    for code in office.services:
        office.update_service(
            code,
            name=LONG[:200],
            name_en=LONG[:200],
            description=(LONG + " ") * 3,
            requirements=[f"Persyaratan ke-{n}: {LONG[: 40 + 6 * n]}" for n in range(1, 11)],
            procedure=[f"Langkah ke-{n}: pemeriksaan berkas dan verifikasi data pemohon" for n in range(1, 11)],
            product="Surat rekomendasi yang ditandatangani secara elektronik dan dikirim ke alamat pemohon " * 2,
            fee="Gratis (tidak dipungut biaya apa pun sesuai peraturan daerah)",
        )


# For each selector: how many elements match, the box of the one that does (None if it is not rendered),
# and whether a touch at the box's centre lands on it. One round trip for all of a screen's elements.
BOXES_AND_HITS = """(selectors) => selectors.map((selector) => {
  const found = document.querySelectorAll(selector);
  if (found.length !== 1 || !found[0].getClientRects().length) return { count: found.length, box: null };
  const target = found[0];
  const r = target.getBoundingClientRect();
  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return {
    count: 1,
    box: { x: r.x, y: r.y, width: r.width, height: r.height },
    onTop: hit !== null && (hit === target || target.contains(hit)),
  };
})"""


def assert_in_view_and_on_top(page, *selectors: str) -> None:
    """Each element (exactly one matches its selector) lies inside the viewport, and a touch at its
    centre lands on it."""
    view = page.viewport_size
    for selector, found in zip(selectors, page.evaluate(BOXES_AND_HITS, list(selectors)), strict=True):
        box = found["box"]
        assert found["count"] == 1, (selector, found["count"])
        assert box is not None, selector
        assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
        right, bottom = box["x"] + box["width"], box["y"] + box["height"]
        assert right <= view["width"] and bottom <= view["height"], (selector, box, view)
        assert found["onTop"], f"{selector} is covered at its centre"


@pytest.mark.parametrize("catalogue", ["demo", "stress"])
def test_the_take_button_is_in_view_without_scrolling_for_every_service_on_every_screen(
    live, chromium, screenshots, catalogue
):
    if catalogue == "stress":
        stress_catalogue(live.office)
    codes = sorted(live.office.services)
    for name, viewport in SCREENS.items():
        context, kiosk = kiosk_page(chromium, viewport)
        try:
            kiosk.goto(f"{live.url}/kiosk/")
            for code in codes:
                kiosk.locator(f'.service[data-code="{code}"]').click()
                kiosk.locator("#screen-detail").wait_for(state="visible")
                scrolled = "[document.scrollingElement.scrollTop, document.getElementById('screen-detail').scrollTop]"
                assert kiosk.evaluate(scrolled) == [0, 0]
                assert_in_view_and_on_top(kiosk, "#take", "#detail-back", "#priority-choice")
                if code in ("A", "C"):
                    kiosk.screenshot(path=str(screenshots / f"kiosk-detail-{catalogue}-{code}-{name}.png"))
                kiosk.locator("#detail-back").click()
                kiosk.locator("#screen-start").wait_for(state="visible")
        finally:
            context.close()


@pytest.mark.parametrize("catalogue", ["demo", "stress"])
def test_i_have_a_booking_is_in_view_on_the_start_screen_on_every_screen(live, chromium, screenshots, catalogue):
    """The booking check-in is never below the fold; a typical catalogue fits whole in portrait and landscape."""
    if catalogue == "stress":
        stress_catalogue(live.office)
    cards = [f'.service[data-code="{code}"]' for code in sorted(live.office.services)]
    for name, viewport in SCREENS.items():
        for accessible in (False, True):
            context, kiosk = kiosk_page(chromium, viewport)
            try:
                kiosk.goto(f"{live.url}/kiosk/")
                kiosk.locator(cards[0]).wait_for()
                if accessible:
                    kiosk.locator("#access-toggle").click()
                assert_in_view_and_on_top(kiosk, "#booked-entry")
                if catalogue == "demo" and name in ("portrait", "landscape") and not accessible:
                    assert_in_view_and_on_top(kiosk, *cards)
                    kiosk.screenshot(path=str(screenshots / f"kiosk-start-{name}.png"))
            finally:
                context.close()


def test_the_start_screen_says_before_the_choice_why_no_ticket_can_be_taken(live, chromium, screenshots):
    live.office.update_service("C", daily_quota=0)
    context, kiosk = kiosk_page(chromium, SCREENS["portrait"])
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        tile = kiosk.locator('.service[data-code="C"]')
        tile.wait_for()
        assert tile.is_disabled()
        assert "Kuota layanan ini untuk hari ini sudah habis" in tile.inner_text()
        assert kiosk.locator('.service[data-code="A"]').is_enabled()
        assert kiosk.locator("#start-notice").is_hidden()
        # No counter is open yet: the tiles say so instead of a number of minutes.
        assert "Belum ada loket yang buka" in kiosk.inner_text('.service[data-code="A"]')
        kiosk.screenshot(path=str(screenshots / "kiosk-quota-gone.png"))
        kiosk.locator('.service[data-code="A"]').click()
        kiosk.locator("#take").click()
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        assert kiosk.inner_text("#ticket-estimate") == "Belum ada loket yang buka"
        kiosk.locator("#ticket-done").click()

        live.office.configure(opening_hours={day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
        kiosk.reload()
        notice = kiosk.locator("#start-notice")
        notice.wait_for(state="visible")
        assert notice.inner_text() == "Kantor tutup hari ini. Silakan datang kembali pada hari kerja."
        assert all(tile.is_disabled() for tile in kiosk.locator(".service").all())
        kiosk.screenshot(path=str(screenshots / "kiosk-closed.png"))
    finally:
        context.close()


@pytest.mark.parametrize("screen", ["portrait", "laptop"])
def test_the_visitor_chooses_a_priority_group_and_the_ticket_keeps_it(live, chromium, screenshots, screen):
    context, kiosk = kiosk_page(chromium, SCREENS[screen])
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('.service[data-code="A"]').click()
        kiosk.locator("#priority-choice").click()
        kiosk.locator("#group-picker").wait_for(state="visible")
        options = kiosk.locator(".group-option")
        assert options.all_inner_texts()[:4] == ["Penyandang disabilitas", "Lanjut usia", "Ibu hamil", "Anak-anak"]
        keys = options.evaluate_all("options => options.map((option) => option.dataset.key)")
        assert_in_view_and_on_top(kiosk, *(f'.group-option[data-key="{key}"]' for key in keys))
        kiosk.screenshot(path=str(screenshots / f"kiosk-priority-groups-{screen}.png"))
        kiosk.locator('.group-option[data-key="lansia"]').click()
        assert kiosk.locator("#group-picker").is_hidden()
        assert kiosk.inner_text("#priority-chosen") == "Lanjut usia"
        assert_in_view_and_on_top(kiosk, "#take")
        kiosk.locator("#take").click()
        kiosk.locator("#screen-ticket").wait_for(state="visible")
    finally:
        context.close()
    with live.app.app_context():
        from servicedesk.extensions import db
        from servicedesk.persistence import tables

        [row] = db.session.execute(select(tables.tickets.c.priority, tables.tickets.c.priority_group)).all()
        db.session.remove()
    assert tuple(row) == (True, "lansia")


def test_the_english_kiosk_shows_the_english_standar_pelayanan_and_falls_back_to_indonesian(live, chromium):
    context, kiosk = kiosk_page(chromium, SCREENS["landscape"])
    try:
        kiosk.goto(f"{live.url}/kiosk/?lang=en")
        kiosk.locator('.service[data-code="A"]').click()
        detail = kiosk.locator("#screen-detail")
        detail.wait_for(state="visible")
        text = detail.inner_text()
        assert "Original diploma" in text and "Free of charge" in text and "Ijazah asli" not in text
        kiosk.locator("#detail-back").click()
        kiosk.wait_for_url("**/kiosk/?lang=auto")  # the next visitor starts in Indonesian
        kiosk.goto(f"{live.url}/kiosk/?lang=en")
        kiosk.locator('.service[data-code="D"]').click()
        detail.wait_for(state="visible")
        assert "Sertifikat pendidik" in detail.inner_text()  # no English version written: the Indonesian one
    finally:
        context.close()
