"""A hall of two agencies, in Chromium (issue 26): the entrance kiosk asks for the agency first, then its
services, and its ticket names the agency; the hall's TV shows and says each call with the counter's agency
("... silakan menuju loket sembilan Imigrasi"), heard through the clip player's own log; each agency's own
TV shows and says its agency's calls only."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import select

from servicedesk.domain.model import Agency, Counter, Role, Service, User
from servicedesk.extensions import db
from servicedesk.persistence import tables as t
from servicedesk.services import admin
from servicedesk.web.context import unit_of_work
from servicedesk.web.voice import record_agency_voices
from tests.builders import FAST_HASH
from tests.e2e.conftest import generate_clips
from tests.e2e.test_display import issue, officer, open_display, spoken_calls, spoken_count
from tests.e2e.test_kiosk import kiosk_page, take_ticket
from tests.e2e.test_kiosk_screens import SCREENS, assert_in_view_and_on_top

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def clips():
    generate_clips()


def second_agency(live) -> dict:
    """Next to the demo's Dinas Pendidikan: the immigration office (service M, counter 9, officer rina),
    a TV of each agency, and both agencies' names recorded for the hall's voice."""
    app = live.app
    with app.app_context():
        uow = unit_of_work()
        imigrasi = Agency("IMIGRASI", "Kantor Imigrasi", "Imigrasi")
        uow.repo.add(imigrasi)
        uow.session.flush()
        passport = Service("M", "Paspor Baru", agency_id=imigrasi.id, standard_minutes=20)
        counter = Counter(9, "Loket Paspor", agency_id=imigrasi.id)
        rina = User("rina", "Rina Imigrasi", Role.OFFICER, FAST_HASH)
        rina.agency_id = imigrasi.id
        rina.competences = [passport]
        for row in (passport, counter, rina):
            uow.repo.add(row)
        uow.session.flush()
        uow.repo.set_counter_services(counter, [passport.id])
        uow.commit()
        scene = {"service_m": passport.id, "counter_9": counter.id}
        disdik = db.session.get(Agency, live.office.agency)
        for key, agency_id in (("tv_imigrasi", imigrasi.id), ("tv_disdik", disdik.id)):
            _, scene[key] = admin.register_device(
                unit_of_work(), actor_id=None, data={"kind": "display", "name": key, "agency_id": agency_id}
            )
        record_agency_voices([("IMIGRASI", "Imigrasi"), (disdik.code, disdik.short_name)])
        scene["disdik"] = disdik.short_name
        db.session.remove()
    return scene


def screen(browser_context, url: str):
    page = browser_context.new_page()
    page.goto(url)
    page.evaluate("localStorage.setItem('servicedesk.display.sound', 'on')")
    open_display(page, url)
    return page


def played(page) -> list[str]:
    return [entry["clip"] for entry in page.evaluate("window.__voiceLog") if entry["type"] == "clip"]


def test_the_hall_tv_says_the_agency_s_counter_and_each_agency_s_tv_only_its_own_calls(live, browser_context):
    scene = second_agency(live)
    tv_context = browser_context.browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    hall = screen(tv_context, f"{live.url}/display")  # the hall's TV at its own size
    tv_imigrasi = screen(browser_context, f"{live.url}/display?device={scene['tv_imigrasi']}")
    tv_disdik = screen(browser_context, f"{live.url}/display?device={scene['tv_disdik']}")
    expect(tv_imigrasi.locator("[data-office-name]")).to_have_text("Kantor Imigrasi")
    expect(tv_imigrasi.locator("[data-counters] .counter-tile")).to_have_count(1)

    rina = officer(live.url, scene["counter_9"], "rina")
    number = take_at_the_kiosk(browser_context.browser, live.url, "IMIGRASI", "M")
    assert rina.post(f"{live.url}/api/v1/counters/{scene['counter_9']}/call-next").status_code == 200

    spoken_count(hall, 1, timeout=15_000)
    expect(hall.locator("body")).to_have_attribute("data-voice", "idle", timeout=20_000)
    said = spoken_calls(hall)[0]
    assert said["numbers"] == [number]
    assert said["text"] == "Nomor antrean M satu, silakan menuju loket sembilan Imigrasi"
    assert played(hall)[-2:] == ["id/sembilan", "id/agency-imigrasi"]  # the recorded name, not the fallback
    expect(hall.locator("[data-now-counter]")).to_contain_text("Loket 9")
    expect(hall.locator("[data-now-counter] .now-agency")).to_have_text("Imigrasi")
    assert_in_view_and_on_top(hall, "[data-now-counter] .now-agency")
    panel, counter = (hall.locator(selector).bounding_box() for selector in (".now", "[data-now-counter]"))
    assert counter["y"] + counter["height"] <= panel["y"] + panel["height"]  # the agency does not push it out

    spoken_count(tv_imigrasi, 1, timeout=15_000)
    assert spoken_calls(tv_imigrasi)[0]["text"] == "Nomor antrean M satu, silakan menuju loket sembilan"
    expect(tv_imigrasi.locator("[data-now-number]")).to_have_text(number)

    siti = officer(live.url, live.office.counter(1), "siti")
    a_number = issue(live.url, live.office.service("A"))
    assert siti.post(f"{live.url}/api/v1/counters/{live.office.counter(1)}/call-next").status_code == 200
    spoken_count(hall, 2, timeout=15_000)
    spoken_count(tv_disdik, 1, timeout=15_000)
    assert spoken_calls(hall)[1]["text"].endswith(f"silakan menuju loket satu {scene['disdik']}")
    assert [call["numbers"] for call in spoken_calls(tv_disdik)] == [[a_number]]  # never immigration's
    assert [call["numbers"] for call in spoken_calls(tv_imigrasi)] == [[number]]  # never Disdik's
    expect(tv_disdik.locator("[data-now-number]")).to_have_text(a_number)
    tiles = tv_disdik.locator("[data-counters] .counter-tile").all_inner_texts()
    assert tiles and not [tile for tile in tiles if "Paspor" in tile]
    tv_context.close()


def take_at_the_kiosk(chromium, base_url: str, agency: str, code: str, screen: str = "portrait", shots=None) -> str:
    """Agency, then service, then the ticket, on the entrance kiosk; the number it shows."""
    context, kiosk = kiosk_page(chromium, SCREENS[screen])
    try:
        kiosk.goto(f"{base_url}/kiosk/?lang=id")
        kiosk.locator(f'.service.agency[data-agency="{agency}"]').wait_for()
        assert kiosk.inner_text("#start-prompt") == "Silakan pilih instansi"
        assert not kiosk.locator('.service[data-code="A"]').count()  # services come after the agency
        assert_in_view_and_on_top(kiosk, *(f'.service.agency[data-agency="{a}"]' for a in ("IMIGRASI", agency)))
        if shots:
            kiosk.screenshot(path=str(shots / f"kiosk-hall-agencies-{screen}.png"))
        kiosk.locator(f'.service.agency[data-agency="{agency}"]').click()
        kiosk.locator(f'.service[data-code="{code}"]').wait_for()
        assert kiosk.locator(".service:not(.agency)").count() == 1  # only this agency's services
        assert_in_view_and_on_top(kiosk, "#agency-back", f'.service[data-code="{code}"]')
        if shots:
            kiosk.screenshot(path=str(shots / f"kiosk-hall-services-{screen}.png"))
        take_ticket(kiosk, code)
        kiosk.locator("#screen-ticket").wait_for(state="visible")
        assert kiosk.inner_text("#ticket-agency") == "Kantor Imigrasi"
        return kiosk.inner_text("#ticket-number")
    finally:
        context.close()


@pytest.mark.parametrize("screen", ["portrait", "landscape"])
def test_the_hall_kiosk_asks_for_the_agency_first_and_its_slip_names_the_agency(live, chromium, screenshots, screen):
    second_agency(live)
    number = take_at_the_kiosk(chromium, live.url, "IMIGRASI", "M", screen, screenshots)
    assert number == "M001"
    with live.app.app_context():
        token = db.session.execute(select(t.tickets.c.token).where(t.tickets.c.number == number)).scalar_one()
        db.session.remove()
    slip = requests.get(f"{live.url}/kiosk/tickets/{token}/slip", timeout=5).text
    assert "Kantor Imigrasi" in slip and "Paspor Baru" in slip
    phone = requests.get(f"{live.url}/t/{token}", timeout=5).text  # the visitor's page names it too
    assert '<p class="v-agency" id="agency">Kantor Imigrasi</p>' in phone
