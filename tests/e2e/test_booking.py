"""Booking ahead in Chromium against a real server, on SQLite and PostgreSQL: book on the phone page,
be reminded, check in at the kiosk ("Saya sudah booking"), and be called at the slot time among walk-ins."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import update

from servicedesk.extensions import db
from servicedesk.persistence import tables
from servicedesk.persistence.bookings import BookingRepository
from servicedesk.web.context import unit_of_work
from tests.e2e.conftest import LiveOffice
from tests.e2e.test_officer_console import choose_counter_with_keyboard, log_in_with_keyboard, officer_page, press
from tests.servers import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}


@pytest.fixture(params=["sqlite", "postgresql"])
def live_booking(request):
    """The live office on each database; PostgreSQL gets a server process of its own."""
    if request.param == "sqlite":
        live = request.getfixturevalue("live")
        yield live
        return
    url = request.getfixturevalue("postgresql_url")
    env = {"RATELIMIT_ENABLED": "0", "SETTINGS_CACHE_SECONDS": "0"}
    with ServerProcess(url, env=env) as server:
        live = LiveOffice(url, server)
        live.reset()
        yield live
        with live.app.app_context():
            db.session.remove()


def enable_booking(live, code: str = "A") -> int:
    service_id = live.office.service(code)
    with live.app.app_context():
        uow = unit_of_work()
        settings = BookingRepository(uow.session).settings_or_new(service_id)
        settings.enabled, settings.online_percent = True, 60
        uow.commit()
        db.session.remove()
    return service_id


def walk_in(live, service_id: int) -> str:
    response = requests.post(f"{live.url}/api/v1/tickets", json={"service_id": service_id}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["number"]


def move_booking_to(live, code: str, slot_start: datetime) -> None:
    """The booked day has come: the booking's slot is set to a moment of today (the server's clock is real)."""
    zone = ZoneInfo("Asia/Jakarta")
    with live.app.app_context():
        db.session.execute(
            update(tables.bookings)
            .where(tables.bookings.c.code == code)
            .values(slot_start=slot_start, day=slot_start.astimezone(zone).date())
        )
        db.session.commit()
        db.session.remove()


def calls(live, counter_id: int, n: int) -> list[str]:
    session = requests.Session()
    assert session.post(f"{live.url}/api/v1/auth/login", json={"username": "siti", "password": "demo12345"}).ok
    assert session.post(f"{live.url}/api/v1/counters/{counter_id}/open", timeout=10).ok
    called = []
    for _ in range(n):
        ticket = session.post(f"{live.url}/api/v1/counters/{counter_id}/call-next", timeout=10).json()
        called.append(ticket["number"])
        session.post(f"{live.url}/api/v1/tickets/{ticket['id']}/start", json={}, timeout=10)
        session.post(f"{live.url}/api/v1/tickets/{ticket['id']}/finish", json={}, timeout=10)
    return called


def test_book_be_reminded_check_in_at_the_kiosk_and_be_called_at_the_slot_among_walk_ins(live_booking, chromium):
    live = live_booking
    service_id = enable_booking(live)
    phone = chromium.new_context(viewport=PHONE, locale="id-ID").new_page()
    tomorrow = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")) + timedelta(days=1)).date()
    phone.goto(f"{live.url}/booking?service={service_id}&day={tomorrow.isoformat()}")
    expect(phone.locator("#privacy")).to_contain_text("UU 27/2022")
    phone.locator(".b-slot:not(:has(input:disabled)) span").first.click()
    phone.fill("#name", "Siti Aminah")
    phone.fill("#phone", "0812 3456 7890")
    phone.click("#submit")
    expect(phone.locator("#code")).to_be_visible()
    code = phone.locator("#code").inner_text().strip()
    expect(phone.locator(".b-qr svg")).to_be_visible()
    # The scheduled reminder job finds it: a BookingReminderDue for the day before (notifications deliver it).
    reminded = live.app.test_cli_runner().invoke(args=["booking", "remind"])
    assert "1 reminder(s) due" in reminded.output, reminded.output

    before = walk_in(live, service_id)
    time.sleep(1.1)
    slot = datetime.now(UTC)
    time.sleep(1.1)
    after = walk_in(live, service_id)
    move_booking_to(live, code, slot)

    kiosk = chromium.new_context(viewport={"width": 1080, "height": 1920}, locale="id-ID").new_page()
    kiosk.goto(f"{live.url}/kiosk/")
    expect(kiosk.locator("#booked-entry")).to_have_text("Saya sudah booking")
    kiosk.click("#booked-entry")
    kiosk.fill("#code", code.lower())
    kiosk.click("#check-in button[type=submit]")
    expect(kiosk.locator("#on-time")).to_be_visible()
    booked_number = kiosk.locator("#ticket-number").inner_text().strip()
    expect(kiosk.locator("#who")).to_contain_text("Siti Aminah")

    assert calls(live, live.office.counter(1), 3) == [before, booked_number, after]
    phone.goto(phone.url)
    expect(phone.locator("#status")).to_contain_text("Sudah check-in")


def test_the_officer_console_shows_whom_a_called_booking_is_for(live_booking, chromium):
    """Not transferable: the console names the booking's holder and the NIK's last 4 while it is at the counter."""
    live = live_booking
    service_id = enable_booking(live)
    with live.app.app_context():
        uow = unit_of_work()
        BookingRepository(uow.session).settings(service_id).requires_identity = True
        uow.commit()
        db.session.remove()
    tomorrow = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")) + timedelta(days=1)).date()
    day = requests.get(f"{live.url}/api/v1/booking/services/{service_id}/slots?day={tomorrow}", timeout=10).json()
    start = next(s["start"] for s in day["slots"] if s["free"])
    made = requests.post(
        f"{live.url}/api/v1/bookings",
        json={
            "service_id": service_id,
            "slot_start": start,
            "name": "Siti Aminah",
            "phone": "081234567890",
            "nik": "3174055208900001",
        },
        timeout=10,
    ).json()
    move_booking_to(live, made["code"], datetime.now(UTC))
    checked = requests.post(f"{live.url}/api/v1/bookings/check-in", json={"code": made["code"]}, timeout=10)
    assert checked.status_code == 201, checked.text
    context, page = officer_page(chromium)
    try:
        log_in_with_keyboard(page, live.url, "siti")
        choose_counter_with_keyboard(page, 1)
        press(page, "n")
        expect(page.locator("#current-number")).to_have_text(checked.json()["number"])
        expect(page.locator("#current-booking")).to_contain_text("Siti Aminah")
        expect(page.locator("#current-booking")).to_contain_text("NIK ************0001")
        expect(page.locator("#current-booking")).to_contain_text(made["code"])
        page.reload()  # the snapshot a console starts from says it too
        expect(page.locator("#current-booking")).to_contain_text("Siti Aminah")
        press(page, "s")
        press(page, "f")
        expect(page.locator("#current-booking")).to_have_count(0)
    finally:
        context.close()
