"""An agency's own TV in its agency's language, in Chromium (issue 26): in a hall whose site speaks Indonesian,
the immigration office (English) has its TV drawn in English (words and date), says its call in English from
the English clips, heard through the clip player's own log, and shows its own service standards only; a TV
reloaded by hand, without its ?device=, is drawn in English again; the hall's TV stays Indonesian."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from servicedesk.domain.model import Agency, Service
from servicedesk.extensions import db
from tests.e2e.conftest import generate_clips
from tests.e2e.test_display import issue, officer, spoken_calls, spoken_count
from tests.e2e.test_hall_tv import played, screen, second_agency

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ENGLISH_DAYS = re.compile(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
INDONESIAN_DAYS = re.compile(r"Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu")


@pytest.fixture(scope="module", autouse=True)
def clips():
    generate_clips()


def standards_shown(page) -> list[str]:
    """The titles of the service standards the TV's information panel shows in turn."""
    titles = []
    for index in range(int(page.get_attribute("[data-info-slide]", "data-count") or 0)):
        page.evaluate(f"window.__display.showSlide({index})")
        if page.get_attribute("[data-info-slide]", "data-slide") == "standard":
            titles.append(page.inner_text("[data-info-slide] .info-title"))
    return titles


def english_imigrasi(live) -> dict:
    """The hall of test_hall_tv (Disdik, and Imigrasi with service M, counter 9 and a TV of its own), with
    Imigrasi speaking English; the site stays Indonesian."""
    scene = second_agency(live)
    with live.app.app_context():
        db.session.get(Agency, db.session.get(Service, scene["service_m"]).agency_id).language = "en"
        db.session.commit()
        db.session.remove()
    return scene


def test_an_english_speaking_agency_s_tv_shows_and_says_its_calls_in_english_and_the_hall_tv_in_indonesian(
    live, browser_context
):
    scene = english_imigrasi(live)
    hall = screen(browser_context, f"{live.url}/display")
    own = screen(browser_context, f"{live.url}/display?device={scene['tv_imigrasi']}")
    assert own.get_attribute("html", "lang") == "en" and hall.get_attribute("html", "lang") == "id"
    expect(own.locator(".recent .label")).to_have_text("Recent calls")
    expect(hall.locator(".recent .label")).to_have_text("Panggilan terakhir")
    expect(own.locator("[data-date]")).to_have_text(ENGLISH_DAYS)
    expect(hall.locator("[data-date]")).to_have_text(INDONESIAN_DAYS)
    expect(own.locator("[data-office-name]")).to_have_text("Kantor Imigrasi")
    own.locator("[data-info-slide]").wait_for(state="attached")
    expect(own.locator("[data-info-slide]")).not_to_have_attribute("data-count", "0")
    assert standards_shown(own) == ["M · Paspor Baru"]  # only its agency's, as /display/info sent them

    rina = officer(live.url, scene["counter_9"], "rina")
    number = issue(live.url, scene["service_m"])
    assert rina.post(f"{live.url}/api/v1/counters/{scene['counter_9']}/call-next").status_code == 200

    spoken_count(own, 1, timeout=15_000)
    expect(own.locator("body")).to_have_attribute("data-voice", "idle", timeout=20_000)
    said = spoken_calls(own)[0]
    assert said["numbers"] == [number]
    assert said["text"] == "Number M one, please go to counter nine"
    assert said["clips"][:3] == ["/display/clips/bell", "/display/clips/en/number", "/display/clips/en/letter-m"]
    clips = played(own)
    assert clips[0] == "bell" and clips[1:] and all(clip.startswith("en/") for clip in clips[1:])  # recorded, not read
    expect(own.locator("[data-now-counter]")).to_have_text("Counter 9")

    spoken_count(hall, 1, timeout=15_000)
    assert spoken_calls(hall)[0]["text"] == "Nomor antrean M satu, silakan menuju loket sembilan Imigrasi"
    expect(hall.locator("[data-now-counter]")).to_contain_text("Loket 9")

    # Reloaded by hand, the address has lost the token: drawn in the site's language, then again in its own.
    assert "device=" not in own.url
    own.reload()
    expect(own.locator("html")).to_have_attribute("lang", "en", timeout=10_000)
    expect(own.locator(".screen")).to_have_attribute("data-state", "live", timeout=10_000)
    expect(own.locator(".recent .label")).to_have_text("Recent calls")
    assert "device=" not in own.url
