"""The officer console in Chromium against a real server, driven with the keyboard alone: log in,
choose the counter, call, serve, finish; a second officer's browser sees the waiting list change."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from servicedesk.domain.model import EventKind, Ticket, TicketStatus
from servicedesk.extensions import db
from servicedesk.services import tickets
from tests.e2e.test_supervisor_floor import PastClock, busy_morning, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def press(page, key: str) -> None:
    """Press an action's key once its button is enabled: a key pressed while the previous answer is
    still on its way is ignored by the console on purpose (no double actions)."""
    expect(page.locator(f'button[data-key="{key}"]')).to_be_enabled()
    page.keyboard.press(key)


def issue(live, code: str, priority: bool = False) -> str:
    response = requests.post(
        f"{live.url}/api/v1/tickets", json={"service_id": live.office.service(code), "priority": priority}
    )
    assert response.status_code == 201, response.text
    return response.json()["number"]


def officer_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    return context, context.new_page()


def log_in_with_keyboard(page, url: str, username: str) -> None:
    page.goto(f"{url}/officer/")
    expect(page.locator("#username")).to_be_focused()  # autofocus: type straight away
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("demo12345")
    page.keyboard.press("Enter")


def choose_counter_with_keyboard(page, number: int) -> None:
    page.locator(f'[data-counter="{number}"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#counter-name")).to_have_text(f"Loket {number}")
    expect(page.locator("#live")).to_have_class(re.compile("live--on"), timeout=10_000)


def waiting_numbers(page):
    return page.locator("#waiting-list tbody [data-number]")


def stored(live, number: str) -> Ticket:
    with live.app.app_context():
        ticket = db.session.query(Ticket).filter_by(number=number).one()
        db.session.expunge(ticket)
        return ticket


def test_an_officer_calls_serves_and_finishes_with_the_keyboard_while_another_sees_the_list_live(
    live, chromium, screenshots
):
    for code in ("A", "A", "E", "A"):
        issue(live, code)
    issue(live, "E", priority=True)
    budi_context, budi = officer_page(chromium)
    siti_context, siti = officer_page(chromium)
    try:
        log_in_with_keyboard(budi, live.url, "budi")
        expect(budi.get_by_role("heading", level=1)).to_have_text("Di loket mana Anda bertugas hari ini?")
        budi.screenshot(path=str(screenshots / "officer-choose-counter.png"))
        choose_counter_with_keyboard(budi, 2)  # A and E
        log_in_with_keyboard(siti, live.url, "siti")
        choose_counter_with_keyboard(siti, 1)  # A and B
        expect(waiting_numbers(siti)).to_have_text(["A001", "A002", "A003"])
        expect(waiting_numbers(budi)).to_have_text(["E002", "A001", "A002", "E001", "A003"])  # priority first
        expect(budi.locator("#waiting-counts [data-service-id] .counts__n")).to_have_text(["3", "2"])

        press(budi, "n")  # call next: the priority visitor
        expect(budi.locator("#current-number")).to_have_text("E002")
        expect(budi.locator("#current .badge--priority")).to_be_visible()
        budi.keyboard.press("f")  # not allowed before the service starts: nothing happens
        expect(budi.locator("#current-status")).to_have_text("Dipanggil")
        press(budi, "s")
        expect(budi.locator("#current-status")).to_have_text("Dilayani")
        press(budi, "f")
        expect(budi.locator("#current .current__none")).to_be_visible()

        press(budi, "n")
        expect(budi.locator("#current-number")).to_have_text("A001")
        expect(budi.locator("#current-status")).to_have_text("Dipanggil")
        expect(budi.locator("#timer")).to_have_class(re.compile("timer--called"))
        expect(budi.locator(f'.sop__panel[data-service-id="{live.office.service("A")}"]')).to_be_visible()
        expect(budi.locator(".sop__panel:visible")).to_contain_text("Ijazah asli")
        # siti's console drops A001 from her list without a reload.
        expect(waiting_numbers(siti)).to_have_text(["A002", "A003"])

        press(budi, "s")
        expect(budi.locator("#current-status")).to_have_text("Dilayani")
        expect(budi.locator("#timer")).to_have_class(re.compile("timer--green"))
        expect(budi.locator("#timer-label")).to_contain_text("standar 15 mnt")

        press(budi, "f")
        expect(budi.locator("#current .current__none")).to_be_visible()
        expect(budi.locator('[data-figure="served"]')).to_have_text("2")
        expect(budi.locator('[data-figure="within_standard_share"]')).to_have_text("100%")

        issue(live, "A")  # a new visitor: both consoles show A004 without reloading
        expect(waiting_numbers(siti)).to_have_text(["A002", "A003", "A004"])
        expect(waiting_numbers(budi)).to_contain_text(["A004"])
    finally:
        budi_context.close()
        siti_context.close()

    done = stored(live, "A001")
    assert (done.status, done.counter_id, done.officer_id) == (
        TicketStatus.DONE,
        live.office.counter(2),
        live.office.users["budi"],
    )


def test_call_a_number_hold_resume_transfer_and_no_show_from_the_keyboard(live, page):
    for code in ("A", "E", "E", "A"):
        issue(live, code)
    log_in_with_keyboard(page, live.url, "budi")
    choose_counter_with_keyboard(page, 2)

    press(page, "p")  # call a specific number, with a reason
    expect(page.locator("#call-dialog")).to_be_visible()
    expect(page.locator("#call-ticket")).to_be_focused()
    page.keyboard.press("ArrowDown")  # A001, E001, [E002], A002: call order
    page.keyboard.press("ArrowDown")
    expect(page.locator("#call-ticket option:checked")).to_have_text(re.compile("^E002"))
    page.keyboard.press("Tab")
    page.keyboard.type("lansia, berkas sudah lengkap")
    page.keyboard.press("Enter")
    expect(page.locator("#current-number")).to_have_text("E002")

    press(page, "s")
    expect(page.locator("#current-status")).to_have_text("Dilayani")
    press(page, "h")  # hold: the visitor fetches a document
    expect(page.locator("#held-list")).to_contain_text("E002")
    expect(page.locator("#hold-label")).to_have_text("Lanjutkan")
    press(page, "h")  # resume
    expect(page.locator("#current-number")).to_have_text("E002")
    expect(page.locator("#current-status")).to_have_text("Dilayani")

    press(page, "t")  # transfer to another service, with a note
    expect(page.locator("#transfer-dialog")).to_be_visible()
    page.select_option("#transfer-service", str(live.office.service("D")))
    page.keyboard.press("Tab")
    page.keyboard.type("juga urus tunjangan profesi")
    page.keyboard.press("Enter")
    expect(page.locator("#current .current__none")).to_be_visible()
    expect(page.locator("#message")).to_contain_text("E002")

    press(page, "n")
    expect(page.locator("#current-number")).to_have_text("A001")
    press(page, "x")  # no-show
    expect(page.locator("#current .current__none")).to_be_visible()
    expect(page.locator('[data-figure="no_shows"]')).to_have_text("1")

    page.keyboard.press("b")  # break: calling stops until the officer comes back
    expect(page.locator("#break-banner")).to_be_visible()
    expect(page.locator('[data-action="call-next"]')).to_be_disabled()
    page.keyboard.press("b")
    expect(page.locator("#break-banner")).to_be_hidden()
    expect(page.locator('[data-action="call-next"]')).to_be_enabled()

    moved, skipped = stored(live, "E002"), stored(live, "A001")
    assert (moved.status, moved.service_id, moved.transfer_note) == (
        TicketStatus.WAITING,
        live.office.service("D"),
        "juga urus tunjangan profesi",
    )
    assert skipped.status == TicketStatus.NO_SHOW
    with live.app.app_context():
        called = db.session.get(Ticket, moved.id).last_event(EventKind.CALLED)
        assert called.note == "lansia, berkas sudah lengkap"


def serving_at_counter_2(live, *, called: int, started: int):
    """Budi at counter 2 calls A001 and starts serving it, `called` and `started` minutes into a clock
    set 45 minutes back."""
    office, budi = live.office, live.office.users["budi"]
    clock = PastClock(live)
    clock.at(called, tickets.issue_ticket, service_id=office.service("A"))
    clock.at(called, tickets.open_counter, counter_id=office.counter(2), user_id=budi)
    ticket_id = clock.at(called, tickets.call_next, counter_id=office.counter(2), user_id=budi)
    clock.at(started, tickets.start, ticket_id=ticket_id, user_id=budi)
    return clock, ticket_id


def test_the_service_timer_turns_amber_near_the_standard_time_and_red_past_it(live, chromium):
    serving_at_counter_2(live, called=31, started=32)  # started 13 minutes ago
    context, page = officer_page(chromium)
    try:
        page.clock.install()
        log_in_with_keyboard(page, live.url, "budi")
        expect(page.locator("#current-number")).to_have_text("A001")
        expect(page.locator("#timer")).to_have_class(re.compile("timer--amber"))  # 13 of 15 minutes
        page.clock.fast_forward("03:00")
        expect(page.locator("#timer")).to_have_class(re.compile("timer--red"))
    finally:
        context.close()


def test_after_a_hold_the_timers_show_the_minutes_served_not_the_minutes_since_the_start(live, chromium):
    clock, ticket_id = serving_at_counter_2(live, called=14, started=15)  # started 30 minutes ago
    budi = live.office.users["budi"]
    clock.at(17, tickets.hold, ticket_id=ticket_id, user_id=budi)  # 2 minutes served
    clock.at(42, tickets.resume, ticket_id=ticket_id, user_id=budi)  # 3 minutes ago
    # Served 2 + 3 = 5 minutes of A's 15: green and about 5:00. Counted from the start it would be
    # 30 minutes, red.
    served = re.compile(r"^5:\d\d")
    context, page = officer_page(chromium)
    try:
        log_in_with_keyboard(page, live.url, "budi")
        expect(page.locator("#current-number")).to_have_text("A001")
        expect(page.locator("#current-status")).to_have_text("Dilayani")
        expect(page.locator("#timer")).to_have_class(re.compile("timer--green"))
        expect(page.locator("#timer-value")).to_have_text(served)
    finally:
        context.close()
    context, page = officer_page(chromium)
    try:
        log_in(page, live.url, "supervisor", "/supervisor/")
        timer = page.locator('[data-counter="2"] .counter__timer')
        expect(timer).to_have_class(re.compile("timer--green"))
        expect(timer).to_have_text(served)
    finally:
        context.close()


def test_the_console_refuses_what_the_api_refuses_and_says_why(live, page):
    issue(live, "A")
    siti = requests.Session()
    siti.post(f"{live.url}/api/v1/auth/login", json={"username": "siti", "password": "demo12345"})
    assert siti.post(f"{live.url}/api/v1/counters/{live.office.counter(1)}/open").status_code == 200
    log_in_with_keyboard(page, live.url, "budi")
    expect(page.locator('[data-counter="1"]')).to_be_disabled()  # taken by siti
    choose_counter_with_keyboard(page, 2)
    # siti calls A001 at her counter first; budi's call finds nobody left for him.
    assert siti.post(f"{live.url}/api/v1/counters/{live.office.counter(1)}/call-next").status_code == 200
    expect(waiting_numbers(page)).to_have_count(0)
    page.locator('[data-action="call-next"]').click()
    expect(page.locator("#message")).to_have_text("Tidak ada yang menunggu untuk layanan yang Anda tangani di sini.")


def test_screenshots_of_the_console_in_the_middle_of_a_busy_morning(live, chromium, screenshots):
    busy_morning(live)
    for username, name, state in [
        ("budi", "officer-console.png", "green"),
        ("siti", "officer-console-overdue.png", "red"),
    ]:
        context, page = officer_page(chromium)
        try:
            log_in_with_keyboard(page, live.url, username)
            expect(page.locator("#live")).to_have_class(re.compile("live--on"), timeout=10_000)
            expect(page.locator("#timer")).to_have_class(re.compile(f"timer--{state}"))
            page.screenshot(path=str(screenshots / name))
        finally:
            context.close()


def test_a_console_whose_sessions_ended_elsewhere_goes_to_the_login_page(live, chromium):
    context, page = officer_page(chromium)
    try:
        log_in_with_keyboard(page, live.url, "agus")
        choose_counter_with_keyboard(page, 3)
        elsewhere = requests.Session()
        login = elsewhere.post(f"{live.url}/api/v1/auth/login", json={"username": "agus", "password": "demo12345"})
        assert login.status_code == 200, login.text
        assert elsewhere.post(f"{live.url}/api/v1/auth/logout").status_code == 200
        expect(page).to_have_url(re.compile(r"/login\?next="), timeout=10_000)
    finally:
        context.close()
