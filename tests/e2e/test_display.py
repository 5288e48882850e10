"""The waiting-room display in Chromium against a real server: live calls, the spoken clip chain,
silent reloads, a server that dies and comes back, and the 1920×1080 screenshot."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from servicedesk.domain import spoken
from servicedesk.services import devices, tickets
from servicedesk.web.context import unit_of_work
from tests.builders import OfficeBuilder, helper_app
from tests.conftest import _migrate, need_espeak
from tests.e2e.conftest import CHROMIUM, generate_clips
from tests.servers import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def clips():
    """`make clips` records them at build time; a bare pytest run records whatever is missing."""
    need_espeak()
    generate_clips()


def officer(base_url: str, counter_id: int, username: str = "siti") -> requests.Session:
    session = requests.Session()
    login = session.post(f"{base_url}/api/v1/auth/login", json={"username": username, "password": "demo12345"})
    assert login.status_code == 200, login.text
    assert session.post(f"{base_url}/api/v1/counters/{counter_id}/open").status_code == 200
    return session


def issue(base_url: str, service_id: int) -> str:
    response = requests.post(f"{base_url}/api/v1/tickets", json={"service_id": service_id})
    assert response.status_code == 201, response.text
    return response.json()["number"]


def open_display(page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".screen")).to_have_attribute("data-state", "live", timeout=10_000)


def spoken_count(page, count: int, timeout: float = 5000) -> None:
    """Wait until the display has begun speaking its `count`th call (the page's CSP forbids wait_for_function)."""
    expect(page.locator("body")).to_have_attribute("data-spoken", str(count), timeout=timeout)


def spoken_calls(page) -> list[dict]:
    return page.evaluate("window.__spoken")


def pull_the_plug(server: ServerProcess) -> None:
    """Kill the server as a power cut would: the gunicorn master and its worker at once."""
    server.stop(kill=True)


def clip_urls(number: str, counter: int, **options) -> list[str]:
    return [f"/display/clips/{name}" for name in spoken.call(number, counter, **options).clip_names]


def test_the_enable_sound_button_covers_nothing_on_the_board_of_a_full_hd_tv(live, chromium):
    # Only a browser that forbids sound shows the button.
    muted = chromium.browser_type.launch(
        executable_path=str(CHROMIUM), args=["--no-sandbox", "--autoplay-policy=document-user-activation-required"]
    )
    try:
        page = muted.new_page(viewport={"width": 1920, "height": 1080}, locale="id-ID")
        open_display(page, f"{live.url}/display")
        button = page.get_by_role("button", name="Aktifkan suara")
        expect(button).to_be_visible()
        pressed, board = button.bounding_box(), page.locator(".board").bounding_box()
        assert pressed["y"] + pressed["height"] <= board["y"]  # in the masthead, above every number and count
    finally:
        muted.close()


def test_a_call_appears_within_a_second_is_spoken_as_clips_and_a_reload_says_nothing(live, page):
    office = live.office
    fetched: list[tuple[str, int]] = []
    page.on("response", lambda r: "/display/" in r.url and fetched.append((r.url.split(live.url)[1], r.status)))
    open_display(page, f"{live.url}/display")
    # This Chromium is started as deploy/ starts the TV's: sound without a click.
    expect(page.locator("body")).to_have_attribute("data-sound", "on")
    expect(page.get_by_role("button", name="Aktifkan suara")).to_be_hidden()

    siti = officer(live.url, office.counter(1))
    for _ in range(3):
        issue(live.url, office.service("A"))
    expect(page.locator('[data-service="A"] .queue-count')).to_contain_text("3", timeout=1000)

    called = siti.post(f"{live.url}/api/v1/counters/{office.counter(1)}/call-next")
    assert called.status_code == 200
    assert called.json()["number"] == "A001"
    expect(page.locator("[data-now-number]")).to_have_text("A001", timeout=1000)
    expect(page.locator("[data-now-counter]")).to_have_text("Loket 1", timeout=1000)
    expect(page.locator('[data-counter="1"] .counter-current')).to_have_text("A001")
    expect(page.locator('[data-service="A"] .queue-count')).to_contain_text("2")

    spoken_count(page, 1)
    (said,) = spoken_calls(page)
    assert said["text"] == "Nomor antrean A satu, silakan menuju loket satu"
    assert said["clips"] == [
        "/display/clips/bell",
        "/display/clips/id/nomor-antrean",
        "/display/clips/id/letter-a",
        "/display/clips/id/satu",
        "/display/clips/id/silakan-menuju-loket",
        "/display/clips/id/satu",
    ]
    # Every clip was really served (the build recorded it), none fell back to speech synthesis.
    page.wait_for_timeout(300)  # the last response event
    served = {url: status for url, status in fetched if url.startswith("/display/clips/")}
    # (the page also fetched the common clips ahead of the first call, so that it starts at once)
    assert set(said["clips"]) <= set(served) and set(served.values()) == {200}

    # A recall is announced again, and a second call queues behind it rather than talking over it.
    ticket_id = called.json()["id"]
    assert siti.post(f"{live.url}/api/v1/tickets/{ticket_id}/recall").status_code == 200
    expect(page.locator("[data-now-recall]")).to_be_visible(timeout=1000)
    spoken_count(page, 2, timeout=15_000)
    first, again = spoken_calls(page)
    assert again["clips"] == said["clips"]
    assert again["started"] >= first["finished"] > first["started"]

    fetched.clear()
    page.reload()
    expect(page.locator(".screen")).to_have_attribute("data-state", "live", timeout=10_000)
    expect(page.locator("[data-now-number]")).to_have_text("A001")
    expect(page.locator('[data-counter="1"] .counter-current')).to_have_text("A001")
    expect(page.locator('[data-service="A"] .queue-count')).to_contain_text("2")
    expect(page.get_by_role("button", name="Aktifkan suara")).to_be_hidden()
    page.wait_for_timeout(1500)
    assert spoken_calls(page) == []
    # Only the warm-up of the common clips, never the announcement of a call.
    announced = [url for url, _ in fetched if url.startswith("/display/announcement")]
    assert announced == ["/display/announcement?number=A1234567890&counter=1"]


def test_the_office_settings_choose_digit_reading_and_english(live, page):
    office = live.office
    office.configure(number_reading="digits", language="en")
    page.goto(f"{live.url}/display")
    page.evaluate("localStorage.setItem('servicedesk.display.sound', 'on')")
    open_display(page, f"{live.url}/display")
    budi = officer(live.url, office.counter(2), "budi")
    issue(live.url, office.service("E"))
    assert budi.post(f"{live.url}/api/v1/counters/{office.counter(2)}/call-next").json()["number"] == "E001"
    spoken_count(page, 1)
    (said,) = spoken_calls(page)
    assert said["text"] == "Number E zero zero one, please go to counter two"
    assert said["clips"] == clip_urls("E001", 2, language="en", reading="digits")


def test_a_display_limited_to_an_area_hears_only_calls_there(live, page):
    office = live.office
    page.goto(f"{live.url}/display")
    page.evaluate("localStorage.setItem('servicedesk.display.sound', 'on')")
    open_display(page, f"{live.url}/display?area=Lantai%202")
    expect(page.locator("[data-counters] .counter-tile")).to_have_count(0)  # every demo counter is on Lantai 1
    siti = officer(live.url, office.counter(1))
    issue(live.url, office.service("A"))
    assert siti.post(f"{live.url}/api/v1/counters/{office.counter(1)}/call-next").status_code == 200
    page.wait_for_timeout(1000)
    expect(page.locator("[data-now-number]")).to_have_text("—")
    assert spoken_calls(page) == []


def test_a_registered_display_keeps_its_token_and_shows_only_its_services(live, page):
    office = live.office
    with live.app.app_context():
        _, token = devices.register_device(
            unit_of_work(), kind="display", name="TV Pengaduan", service_ids=[office.service("E")]
        )
    page.goto(f"{live.url}/display?device={token}")
    expect(page.locator(".screen")).to_have_attribute("data-state", "live", timeout=10_000)
    assert "device=" not in page.url  # not left in the address bar
    assert page.evaluate("localStorage.getItem('servicedesk.display.device')") == token
    expect(page.locator("[data-queues] .queue-row")).to_have_count(1)
    expect(page.locator('[data-service="E"]')).to_be_visible()
    page.evaluate("localStorage.setItem('servicedesk.display.sound', 'on')")

    siti, budi = officer(live.url, office.counter(1)), officer(live.url, office.counter(2), "budi")
    issue(live.url, office.service("A"))
    issue(live.url, office.service("E"))
    assert siti.post(f"{live.url}/api/v1/counters/{office.counter(1)}/call-next").json()["number"] == "A001"
    assert budi.post(f"{live.url}/api/v1/counters/{office.counter(2)}/call-next").json()["number"] == "E001"
    expect(page.locator("[data-now-number]")).to_have_text("E001", timeout=1000)
    expect(page.locator('[data-recent] [data-number="A001"]')).to_have_count(0)

    page.goto(f"{live.url}/display")  # the token is remembered
    expect(page.locator(".screen")).to_have_attribute("data-state", "live", timeout=10_000)
    expect(page.locator("[data-queues] .queue-row")).to_have_count(1)
    expect(page.locator("[data-now-number]")).to_have_text("E001")


def test_a_display_with_an_unknown_token_says_it_is_not_registered(live, page):
    page.goto(f"{live.url}/display?device=not-a-real-token")
    expect(page.locator("[data-notice]")).to_have_text(
        "Layar ini belum terdaftar. Mintalah tautan layar kepada administrator.", timeout=10_000
    )
    expect(page.locator(".screen")).to_have_attribute("data-state", "refused")


def test_a_display_back_after_the_server_is_killed_shows_what_it_missed_and_says_the_fresh_call(tmp_path, chromium):
    url = f"sqlite:///{tmp_path / 'restart.db'}"
    _migrate(url)
    office = OfficeBuilder(helper_app(url))
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    server = ServerProcess(url).start()
    try:
        page = context.new_page()
        page.goto(f"{server.url}/display")
        page.evaluate("localStorage.setItem('servicedesk.display.sound', 'on')")
        open_display(page, f"{server.url}/display")
        sockets = []
        page.on("websocket", lambda ws: sockets.append(ws))

        siti = officer(server.url, office.counter(1))
        issue(server.url, office.service("A"))
        first = siti.post(f"{server.url}/api/v1/counters/{office.counter(1)}/call-next").json()
        assert first["number"] == "A001"
        expect(page.locator("[data-now-number]")).to_have_text("A001", timeout=1000)

        pull_the_plug(server)
        expect(page.locator("[data-connection]")).to_have_text("menghubungkan ulang…", timeout=5000)

        # While the server is away, the office moves on: two more tickets, and budi calls one at counter 2.
        with office.app.app_context():
            for _ in range(3):
                tickets.issue_ticket(unit_of_work(), service_id=office.service("A"))
            tickets.open_counter(unit_of_work(), counter_id=office.counter(2), user_id=office.users["budi"])
            missed = tickets.call_next(unit_of_work(), counter_id=office.counter(2), user_id=office.users["budi"])
        assert missed.number == "A002"

        server = ServerProcess(url, port=server.port).start()
        expect(page.locator("[data-connection]")).to_be_hidden(timeout=10_000)
        expect(page.locator(".screen")).to_have_attribute("data-state", "live")
        expect(page.locator("[data-now-number]")).to_have_text("A002")
        expect(page.locator("[data-now-counter]")).to_have_text("Loket 2")
        expect(page.locator('[data-counter="2"] .counter-current')).to_have_text("A002")
        expect(page.locator('[data-service="A"] .queue-count')).to_contain_text("2")
        # The call missed while the server was away is still fresh and still at its counter: it is said.
        spoken_count(page, 2, timeout=15_000)
        assert [call["numbers"] for call in spoken_calls(page)] == [["A001"], ["A002"]]

        # A call after the restart is live and spoken (siti's login survived the restart).
        for step in ("start", "finish"):
            assert siti.post(f"{server.url}/api/v1/tickets/{first['id']}/{step}").status_code == 200
        assert siti.post(f"{server.url}/api/v1/counters/{office.counter(1)}/call-next").json()["number"] == "A003"
        expect(page.locator("[data-now-number]")).to_have_text("A003", timeout=1000)
        spoken_count(page, 3, timeout=15_000)
        assert spoken_calls(page)[2]["clips"] == clip_urls("A003", 1)
        assert page.evaluate("window.__displaySocket.connected") is True
        # Reconnecting took a few attempts; one socket is open, never a second alongside it.
        assert len([ws for ws in sockets if not ws.is_closed()]) == 1
    finally:
        context.close()
        server.stop()


def test_screenshot_of_the_display_on_a_1920_by_1080_tv(live, chromium, screenshots):
    office = live.office
    office.configure(
        name="Unit Layanan Terpadu Dinas Pendidikan Provinsi",
        running_text=(
            "Layanan legalisir ijazah gratis, tidak dipungut biaya. "
            "Tolak gratifikasi. Pengaduan: SMS/WA 0811-0000-1234 atau lapor.go.id"
        ),
    )
    with live.app.app_context():
        for code, count in (("A", 14), ("B", 5), ("C", 2), ("D", 6), ("E", 3)):
            for _ in range(count):
                tickets.issue_ticket(unit_of_work(), service_id=office.service(code))
        for number, user in ((1, "siti"), (2, "budi"), (3, "agus"), (4, "dewi")):
            tickets.open_counter(unit_of_work(), counter_id=office.counter(number), user_id=office.users[user])
        at_counter: dict[int, int] = {}
        people = {1: "siti", 2: "budi", 3: "agus", 4: "dewi"}
        for number in (1, 2, 3, 4, 1, 2, 4, 3):
            user = office.users[people[number]]
            if number in at_counter:  # the visitor before is served first
                tickets.start(unit_of_work(), ticket_id=at_counter[number], user_id=user)
                tickets.finish(unit_of_work(), ticket_id=at_counter[number], user_id=user)
            at_counter[number] = tickets.call_next(unit_of_work(), counter_id=office.counter(number), user_id=user).id
        tickets.start(unit_of_work(), ticket_id=at_counter[4], user_id=office.users["dewi"])
        tickets.finish(unit_of_work(), ticket_id=at_counter[4], user_id=office.users["dewi"])
        tickets.pause_counter(unit_of_work(), counter_id=office.counter(4), user_id=office.users["dewi"])
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    try:
        page = context.new_page()
        page.goto(f"{live.url}/display")
        page.evaluate("localStorage.setItem('servicedesk.display.sound', 'on')")
        open_display(page, f"{live.url}/display")
        page.wait_for_timeout(200)
        path = screenshots / "display.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 20_000
        expect(page.locator("[data-now-number]")).to_have_text("C002")
        expect(page.locator("[data-recent] .recent-row")).to_have_count(6)
    finally:
        context.close()
