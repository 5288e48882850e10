"""The waiting-room display's geometry on real screens with Debian's fonts: every row inside the
screen and inside its panel, nothing overlapping, for one to twelve services with short and very long
names, at 1920×1080, 1366×768, 3840×2160 and a portrait 1080×1920 TV. Lists longer than their panel
are paged; every page is checked."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from servicedesk.domain.model import Counter, Service
from servicedesk.services import tickets
from servicedesk.services.admin import announcements as admin_announcements
from servicedesk.web.context import unit_of_work
from servicedesk.web.uploads import image_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENS = [(1920, 1080), (1366, 768), (3840, 2160), (1080, 1920)]
LONG_OFFICE = (
    "Unit Layanan Terpadu Dinas Pendidikan dan Kebudayaan Provinsi Nusa Tenggara Timur "
    "Cabang Dinas Wilayah Kabupaten Timor Tengah Selatan"
)
MAKLUMAT = (
    "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
    "ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan. "
)
LONG_SERVICE = "Legalisir Ijazah, Surat Keterangan Pengganti Ijazah dan Rekomendasi Mutasi Peserta Didik Antarprovinsi"

# Every box the visitor reads, checked against the screen, its panel and its neighbours.
GEOMETRY = """() => {
  const problems = [];
  const visible = (el) => !el.hidden && el.getClientRects().length > 0;
  const box = (el) => el.getBoundingClientRect();
  const label = (el) => el.className + (el.dataset.number || el.dataset.service || el.dataset.counter || "");
  const inside = (inner, outer, what) => {
    const a = box(inner), b = outer;
    if (a.left < b.left - 0.5 || a.top < b.top - 0.5 || a.right > b.right + 0.5 || a.bottom > b.bottom + 0.5)
      problems.push(`${label(inner)} [${a.left},${a.top},${a.right},${a.bottom}] outside ${what}`);
  };
  const overlap = (a, b) => {
    const x = box(a), y = box(b);
    return x.left < y.right - 0.5 && y.left < x.right - 0.5 && x.top < y.bottom - 0.5 && y.top < x.bottom - 0.5;
  };
  const screen = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
  const rows = [...document.querySelectorAll(
    ".recent-row, .counter-tile, .queue-row, .now-number, .now-counter, .pager, .office-name, .clock, .date, .marquee"
  )].filter(visible);
  for (const row of rows) {
    inside(row, screen, "the screen");
    const panel = row.closest("section, header, footer");
    inside(row, box(panel), "its panel");
  }
  const parts = ".recent-row > *, .counter-tile > *, .queue-row > *, .queue-label > *, .info-slide > *, .info-ikm";
  for (const part of document.querySelectorAll(parts)) {
    if (visible(part)) inside(part, box(part.parentElement), "its row");
  }
  // Text is cut only sideways, with an ellipsis: never a line cut in half or squeezed out.
  const texts =
    ".now-number, .now-counter, .recent-row > *, .counter-tile > *, .queue-row > *, .queue-label > *, .clock, .date";
  for (const text of document.querySelectorAll(texts)) {
    const clips = getComputedStyle(text).overflowY !== "visible";
    if (visible(text) && clips && text.scrollHeight > text.clientHeight + 1)
      problems.push(`${label(text)} is cut: ${text.scrollHeight} > ${text.clientHeight}`);
  }
  const groups = [".recent-row", ".counter-tile", ".queue-row"];
  for (const selector of groups) {
    const list = [...document.querySelectorAll(selector)].filter(visible);
    list.forEach((a, i) => list.slice(i + 1).forEach((b) => {
      if (overlap(a, b)) problems.push(`${label(a)} overlaps ${label(b)}`);
    }));
  }
  const header = [...document.querySelectorAll(".office, .enable-sound, .when")].filter(visible);
  header.forEach((a, i) => header.slice(i + 1).forEach((b) => {
    if (overlap(a, b)) problems.push(`${label(a)} overlaps ${label(b)}`);
  }));
  const button = document.querySelector(".enable-sound");
  if (visible(button)) {
    for (const row of rows) if (overlap(button, row)) problems.push(`the sound button covers ${label(row)}`);
  }
  return problems;
}"""


def stress_catalogue(live, services: int, long_names: bool) -> None:
    """The demo office cut down to `services` services, or grown to it with long-named services and
    counters; a busy morning's calls on the board."""
    office = live.office
    with live.app.app_context():
        uow = unit_of_work()
        existing = sorted(uow.session.query(Service).all(), key=lambda s: s.code)
        for service in existing[services:]:
            service.active = False
        for i in range(len(existing), services):
            code = chr(ord("A") + i)
            name = f"{LONG_SERVICE} ({code})" if long_names else f"Layanan {code}"
            uow.repo.add(Service(code, name, position=i, standard_minutes=10))
        if long_names:
            office_ = uow.repo.office()
            office_.name = LONG_OFFICE
            office_.address = "Jl. Jenderal Sudirman No. 1234, Kelurahan Oebobo, Kecamatan Oebobo, Kota Kupang 85111"
            office_.running_text = "Pengumuman: " + LONG_SERVICE
            for number in range(5, 13):
                uow.repo.add(Counter(number, f"Loket {number} Pelayanan Terpadu Satu Pintu", "Lantai 1"))
            for counter in uow.session.query(Counter):
                counter.name = f"Loket {counter.number} Pelayanan Terpadu Satu Pintu"
        uow.commit()
        for _ in range(12):
            tickets.issue_ticket(unit_of_work(), service_id=office.service("A"))
        siti = office.users["siti"]
        tickets.open_counter(unit_of_work(), counter_id=office.counter(1), user_id=siti)
        for _ in range(8):
            called = tickets.call_next(unit_of_work(), counter_id=office.counter(1), user_id=siti)
            tickets.start(unit_of_work(), ticket_id=called.id, user_id=siti)
            tickets.finish(unit_of_work(), ticket_id=called.id, user_id=siti)


def png(width: int, height: int) -> bytes:
    """A real (plain blue) PNG, for an image announcement."""
    raw = b"".join(b"\x00" + b"\x20\x60\xc0" * width for _ in range(height))
    chunk = lambda kind, data: (  # noqa: E731
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def compliance_content(live, long_texts: bool) -> list[Path]:
    """The Maklumat Pelayanan, a text and an image announcement, and a quota on every service; returns
    the stored image files (in the instance folder the server shares), for the test to remove."""
    items = [
        {"kind": "maklumat", "title": "Maklumat Pelayanan", "body": MAKLUMAT * (6 if long_texts else 1)},
        {"kind": "text", "title": "Pengumuman " + ("sangat panjang " * 12 if long_texts else ""), "body": LONG_SERVICE},
        {"kind": "image", "title": "Brosur layanan"},
    ]
    with live.app.app_context():
        folder = image_folder()
        stored = []
        for item in items:
            image = png(800, 450) if item["kind"] == "image" else None
            made = admin_announcements.create(
                unit_of_work(), actor_id=None, data={**item, "active": "1"}, image=image, folder=folder
            )
            if made.image:
                stored.append(folder / made.image)
        uow = unit_of_work()
        for service in uow.session.query(Service):
            service.daily_quota = 150
            if long_texts:
                service.requirements = [f"{LONG_SERVICE} ({n})" for n in range(10)]
        uow.commit()
    return stored


def check_every_page(page, where: str) -> None:
    problems = []
    slides = int(page.locator("[data-info-slide]").get_attribute("data-count") or 0)
    for number in range(slides):
        page.evaluate(f"window.__display.showSlide({number})")
        problems += [f"{where} slide {number + 1}/{slides}: {p}" for p in page.evaluate(GEOMETRY)]
    for name in ("queues", "counters"):
        pages = int(page.locator(f"[data-{name}]").get_attribute("data-pages") or 1)
        for number in range(pages):
            page.evaluate(f"window.__display.showPage({name!r}, {number})")
            problems += [f"{where} {name} page {number + 1}/{pages}: {p}" for p in page.evaluate(GEOMETRY)]
        page.evaluate(f"window.__display.showPage({name!r}, 0)")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("services", "long_names"), [(1, False), (5, False), (12, True)], ids=["1-service", "demo", "12-long"]
)
def test_every_row_of_the_display_fits_the_screen_at_every_resolution(
    live, chromium, screenshots, services, long_names
):
    stress_catalogue(live, services, long_names)
    images = compliance_content(live, long_names)
    # A TV whose browser forbids sound shows its button: it must cover nothing either.
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    try:
        page = context.new_page()
        page.goto(f"{live.url}/display")
        expect(page.locator(".screen")).to_have_attribute("data-state", "live", timeout=10_000)
        expect(page.locator("[data-queues] .queue-row")).to_have_count(services)
        expect(page.locator("[data-queues] .queue-quota").first).to_be_visible()
        expect(page.locator("[data-info-slide]")).not_to_have_attribute("data-count", "0")
        page.evaluate("document.querySelector('[data-enable-sound]').hidden = false")
        for width, height in SCREENS:
            page.set_viewport_size({"width": width, "height": height})
            page.evaluate("window.dispatchEvent(new Event('resize'))")
            where = f"{width}×{height}"
            check_every_page(page, where)
            # Every service is on some page, and every counter.
            codes = page.locator("[data-queues] .queue-row").evaluate_all("rows => rows.map(r => r.dataset.page)")
            assert len(codes) == services and all(p is not None for p in codes)
            shown = page.locator("[data-recent] .recent-row").count()
            assert shown >= (5 if height < width else 6), where  # the recent calls are not squeezed out
            page.screenshot(path=str(screenshots / f"display-{width}x{height}-{services}-services.png"))
    finally:
        context.close()
        for image in images:
            image.unlink(missing_ok=True)
