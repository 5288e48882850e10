"""Sound on a TV nobody touches: in a Chromium started with deploy/chromium/display.sh's flags the
first call is spoken without a click; where the browser forbids sound, the screen says so and the
supervisor's floor lists the display until someone unlocks it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from playwright.sync_api import expect

from servicedesk.services import devices
from servicedesk.web.context import unit_of_work
from tests.e2e.conftest import CHROMIUM, generate_clips
from tests.e2e.test_display import issue, officer, spoken_calls, spoken_count
from tests.e2e.test_supervisor_floor import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAUNCHER = Path(__file__).resolve().parents[2] / "deploy" / "chromium" / "display.sh"


@pytest.fixture(scope="module", autouse=True)
def clips():
    generate_clips()


def deploy_flags() -> list[str]:
    """The Chromium flags of the deployment's launcher, read from the script itself."""
    words = shlex.split(LAUNCHER.read_text().replace("\\\n", " "), comments=True)
    return [word for word in words if word.startswith("--")]


def launch(chromium, flags: list[str]):
    """Another Chromium from the session's Playwright, started with `flags` (no user gesture ever)."""
    return chromium.browser_type.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", *flags])


def register_display(live, name: str) -> str:
    with live.app.app_context():
        _, token = devices.register_device(unit_of_work(), kind="display", name=name, area="Lantai 1")
    return token


def test_the_launcher_allows_sound_without_a_gesture():
    assert "--autoplay-policy=no-user-gesture-required" in deploy_flags()
    assert "--kiosk" in deploy_flags()


def test_a_tv_nobody_touches_speaks_its_first_call_in_chromium_started_as_deploy_starts_it(live, chromium):
    office = live.office
    token = register_display(live, "TV Lobi")
    browser = launch(chromium, deploy_flags())
    try:
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="id-ID")
        page.goto(f"{live.url}/display?device={token}")  # as the launcher opens it; nobody clicks
        expect(page.locator(".screen")).to_have_attribute("data-state", "live", timeout=10_000)
        expect(page.locator("body")).to_have_attribute("data-sound", "on", timeout=5000)
        expect(page.get_by_role("button", name="Aktifkan suara")).to_be_hidden()
        expect(page.locator("[data-sound-notice]")).to_be_hidden()

        siti = officer(live.url, office.counter(1))
        issue(live.url, office.service("A"))
        assert siti.post(f"{live.url}/api/v1/counters/{office.counter(1)}/call-next").json()["number"] == "A001"
        spoken_count(page, 1)
        assert [said["numbers"] for said in spoken_calls(page)] == [["A001"]]
    finally:
        browser.close()


def test_a_tv_whose_browser_forbids_sound_says_so_and_the_floor_lists_it_until_unlocked(live, page, chromium):
    office = live.office
    token = register_display(live, "TV Ruang Tunggu")
    log_in(page, live.url, "supervisor", "/supervisor")
    expect(page.locator("#muted-displays")).to_contain_text("Semua layar bersuara.")

    browser = launch(chromium, ["--autoplay-policy=document-user-activation-required"])
    try:
        tv = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="id-ID")
        tv.goto(f"{live.url}/display?device={token}")
        expect(tv.locator(".screen")).to_have_attribute("data-state", "live", timeout=10_000)
        expect(tv.locator("body")).to_have_attribute("data-sound", "muted", timeout=5000)
        notice = tv.locator("[data-sound-notice]")
        expect(notice).to_have_text("Suara mati: browser ini memblokir audio. Sentuh layar atau tekan Aktifkan suara.")
        expect(tv.get_by_role("button", name="Aktifkan suara")).to_be_visible()
        # The notice takes the running text's place: it covers no row.
        box, board = notice.bounding_box(), tv.locator(".board").bounding_box()
        assert box["y"] >= board["y"] + board["height"]

        expect(page.locator('#muted-displays [data-display^="device:"]')).to_contain_text("TV Ruang Tunggu")
        expect(page.locator("#muted-count")).to_have_text("1")

        # A call while muted is shown, not saved up to burst out later.
        siti = officer(live.url, office.counter(1))
        issue(live.url, office.service("A"))
        assert siti.post(f"{live.url}/api/v1/counters/{office.counter(1)}/call-next").status_code == 200
        expect(tv.locator("[data-now-number]")).to_have_text("A001", timeout=2000)
        log = tv.evaluate("window.__voiceLog")
        assert [(e["type"], e.get("reason")) for e in log if e["numbers"] == ["A001"]] == [("dropped", "muted")]

        tv.get_by_role("button", name="Aktifkan suara").click()
        expect(tv.locator("body")).to_have_attribute("data-sound", "on", timeout=5000)
        expect(notice).to_be_hidden()
        expect(page.locator("#muted-displays")).to_contain_text("Semua layar bersuara.")
        assert spoken_calls(tv) == []
        assert re.search("TV Ruang Tunggu", page.locator("#muted-displays").inner_text()) is None
    finally:
        browser.close()
