"""The kiosk's accessible mode: one touch away, large text and high contrast that keep every take button
in view, WCAG 2.2 AA contrast in both modes, and each step said aloud with the display's recorded voice."""

from __future__ import annotations

import pytest

from tests.e2e.test_kiosk import kiosk_page, wait_until
from tests.e2e.test_kiosk_screens import SCREENS, assert_in_view_and_on_top, stress_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The contrast ratio of WCAG 2.x (relative luminance of sRGB), for the text of an element against what
#: is painted behind it: the nearest ancestor's background colour, or the colours of a gradient. Colours
#: with alpha and the opacity of the element and its ancestors are blended over that background.
CONTRAST = """(selector) => {
  const parse = (text) => (text.match(/rgba?\\([^)]*\\)/g) || []).map((c) => {
    const [r, g, b, a] = c.replace(/rgba?\\(|\\)/g, "").split(",").map(Number);
    return { r, g, b, a: a === undefined ? 1 : a };
  });
  const channel = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const blend = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1 });
  const ratio = (x, y) => { const [l1, l2] = [luminance(x), luminance(y)].sort((a, b) => b - a);
    return (l1 + 0.05) / (l2 + 0.05); };
  const results = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!element.getClientRects().length || !element.textContent.trim()) continue;
    const style = getComputedStyle(element);
    let opacity = 1;
    let backgrounds = null;
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const s = getComputedStyle(node);
      opacity *= Number(s.opacity);
      const colour = parse(s.backgroundColor)[0];
      const gradient = s.backgroundImage !== "none" ? parse(s.backgroundImage) : [];
      if (gradient.length) { backgrounds = gradient; break; }
      if (colour && colour.a === 1) { backgrounds = [colour]; break; }
    }
    backgrounds = backgrounds || [{ r: 255, g: 255, b: 255, a: 1 }];
    const text = parse(style.color)[0];
    text.a *= opacity;
    const worst = Math.min(...backgrounds.map((bg) => ratio(blend(text, bg), bg)));
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    results.push({ selector, text: element.textContent.trim().slice(0, 40), ratio: worst, needed: large ? 3 : 4.5 });
  }
  return results;
}"""

START = [
    ".office-name", ".office-address", ".clock-time", ".clock-date", ".lang", "#access-toggle", ".prompt",
    ".service-name", ".service-description", ".service-queue .count", ".service-queue .wait", ".code-badge",
    ".service-refusal", ".kiosk-footer p",
]  # fmt: skip
DETAIL = [
    "#detail-name", "#detail-code", ".detail-description", ".detail-lead", ".component h2", ".component li",
    ".component p", "#take", "#detail-back", ".priority-text strong", ".priority-text small",
]  # fmt: skip


def low_contrast(page, selectors: list[str]) -> list[dict]:
    found = [result for selector in selectors for result in page.evaluate(CONTRAST, selector)]
    assert {r["selector"] for r in found} == set(selectors), "every element was measured"
    return [r for r in found if r["ratio"] < r["needed"]]


@pytest.mark.parametrize("mode", ["standard", "accessible"])
def test_text_and_background_meet_wcag_aa_contrast_in_both_modes(live, chromium, screenshots, mode):
    live.office.update_service("C", daily_quota=0)  # a greyed tile with its reason
    context, kiosk = kiosk_page(chromium, SCREENS["portrait"])
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('.service[data-code="A"]').wait_for()
        if mode == "accessible":
            kiosk.locator("#access-toggle").click()
            assert kiosk.get_attribute("#access-toggle", "aria-pressed") == "true"
        assert low_contrast(kiosk, START) == []
        kiosk.screenshot(path=str(screenshots / f"kiosk-{mode}-start.png"))
        kiosk.locator('.service[data-code="A"]').click()
        kiosk.locator("#screen-detail").wait_for(state="visible")
        assert low_contrast(kiosk, DETAIL) == []
        kiosk.screenshot(path=str(screenshots / f"kiosk-{mode}-detail.png"))
    finally:
        context.close()


@pytest.mark.parametrize("catalogue", ["demo", "stress"])
def test_in_the_accessible_mode_the_take_button_stays_in_view_on_every_screen(live, chromium, screenshots, catalogue):
    if catalogue == "stress":
        stress_catalogue(live.office)
    for name, viewport in SCREENS.items():
        context, kiosk = kiosk_page(chromium, viewport)
        try:
            kiosk.goto(f"{live.url}/kiosk/")
            kiosk.locator('.service[data-code="A"]').wait_for()
            assert_apart(kiosk, HEADER)
            kiosk.locator("#access-toggle").click()
            assert_apart(kiosk, HEADER)
            font = kiosk.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
            assert font == pytest.approx(min(viewport.values()) * 0.025, abs=0.1)  # a quarter larger than 2vmin
            for code in sorted(live.office.services):
                kiosk.locator(f'.service[data-code="{code}"]').click()
                kiosk.locator("#screen-detail").wait_for(state="visible")
                assert_in_view_and_on_top(kiosk, "#take", "#detail-back", "#priority-choice", "#access-toggle")
                if code == "C":
                    kiosk.screenshot(path=str(screenshots / f"kiosk-accessible-{catalogue}-C-{name}.png"))
                kiosk.locator("#detail-back").click()
                kiosk.locator("#screen-start").wait_for(state="visible")
            assert kiosk.get_attribute("#access-toggle", "aria-pressed") == "true"  # kept while the visitor goes back
        finally:
            context.close()


def assert_apart(page, selectors: list[str]) -> None:
    """No two of the elements overlap (the header's parts with large text, on a narrow screen)."""
    boxes = {selector: page.locator(selector).bounding_box() for selector in selectors}
    for i, a in enumerate(selectors):
        for b in selectors[i + 1 :]:
            x, y = boxes[a], boxes[b]
            apart = (
                x["x"] + x["width"] <= y["x"] + 0.5
                or y["x"] + y["width"] <= x["x"] + 0.5
                or x["y"] + x["height"] <= y["y"] + 0.5
                or y["y"] + y["height"] <= x["y"] + 0.5
            )
            assert apart, (a, b, x, y)


HEADER = [".logo", ".office", ".clock", "#access-toggle", ".languages"]


def spoken(page) -> list[dict]:
    return page.evaluate("window.__kioskSpoken")


def test_the_accessible_mode_says_each_step_with_the_displays_recorded_voice(live, chromium):
    context, kiosk = kiosk_page(chromium, SCREENS["portrait"])
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator('.service[data-code="A"]').wait_for()
        assert spoken(kiosk) == []  # the standard mode is silent
        kiosk.locator("#access-toggle").click()
        wait_until(kiosk, "window.__kioskSpoken.length === 1 && window.__kioskSpoken[0].finished === true", 15)
        [start] = spoken(kiosk)
        assert start["step"] == "start" and start["text"].startswith("Silakan pilih jenis layanan")
        assert start["clips"] == ["/display/clips/id/kiosk-start"] and start["played"] == 1

        kiosk.locator('.service[data-code="A"]').click()
        wait_until(kiosk, "window.__kioskSpoken.length === 2 && window.__kioskSpoken[1].finished === true", 15)
        assert spoken(kiosk)[1]["step"] == "detail"

        kiosk.locator("#take").click()
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        wait_until(kiosk, "window.__kioskSpoken.length === 3 && window.__kioskSpoken[2].finished === true", 20)
        ticket = spoken(kiosk)[2]
        assert ticket["step"] == "ticket" and ticket["text"].startswith("Nomor antrean A satu.")
        assert ticket["clips"] == [
            "/display/clips/id/nomor-antrean", "/display/clips/id/letter-a", "/display/clips/id/satu",
            "/display/clips/id/kiosk-ticket",
        ]  # fmt: skip
        assert ticket["played"] == 4

        kiosk.locator("#ticket-done").click()  # the next visitor starts in the standard mode
        kiosk.locator("#screen-start").wait_for(state="visible")
        assert kiosk.get_attribute("#access-toggle", "aria-pressed") == "false"
        assert kiosk.evaluate("document.body.classList.contains('accessible')") is False
    finally:
        context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_in_the_accessible_mode_the_whole_ticket_fits_between_the_header_and_the_footer(
    live, chromium, screenshots, screen
):
    context, kiosk = kiosk_page(chromium, SCREENS[screen])
    try:
        kiosk.goto(f"{live.url}/kiosk/")
        kiosk.locator("#access-toggle").click()
        kiosk.locator('.service[data-code="A"]').click()
        kiosk.locator("#take").click()
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        wait_until(kiosk, "document.getElementById('ticket-qr').naturalWidth > 0")
        kiosk.screenshot(path=str(screenshots / f"kiosk-accessible-ticket-{screen}.png"))
        bar = kiosk.locator(".kiosk-bar").bounding_box()
        footer_top = kiosk.locator(".kiosk-footer").bounding_box()["y"]
        for part in ("#ticket-number", "#ticket-qr", "#ticket-done", "#ticket-reprint"):
            box = kiosk.locator(f"#screen-ticket {part}").bounding_box()
            assert bar["y"] + bar["height"] <= box["y"] and box["y"] + box["height"] <= footer_top, (part, box)
        assert_in_view_and_on_top(kiosk, "#ticket-done")
    finally:
        context.close()
