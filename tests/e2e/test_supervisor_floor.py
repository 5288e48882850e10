"""The supervisor's floor in Chromium against a real server: a busy morning, alerts, live changes,
and the supervisor's actions (move a waiting ticket, close a counter, reopen a no-show)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from servicedesk.domain.model import Ticket, TicketStatus
from servicedesk.extensions import db
from servicedesk.services import tickets
from servicedesk.web.context import unit_of_work

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class PastClock:
    """Runs the in-process helper app's use cases at chosen moments of the morning."""

    def __init__(self, live):
        self.live = live
        self.start = datetime.now(UTC) - timedelta(minutes=45)

    def at(self, minutes: float, use_case, **kwargs):
        moment = self.start + timedelta(minutes=minutes)
        app = self.live.app
        app.config["CLOCK"] = lambda: moment
        try:
            with app.app_context():
                result = use_case(unit_of_work(), **kwargs)
                return getattr(result, "ticket", result).id
        finally:
            app.config.pop("CLOCK")
            app.config["CLOCK"] = lambda: datetime.now(UTC)


def _one_day(start: datetime, zone: str) -> bool:
    local = ZoneInfo(zone)
    return start.astimezone(local).date() == (start + timedelta(minutes=60)).astimezone(local).date()


def busy_morning(live) -> dict:
    """Forty-five minutes of a morning, replayed in order: tickets served, one served for long, one
    skipped, people waiting past the standard time, a counter on a break. Returns ticket ids by number."""
    office = live.office
    clock = PastClock(live)
    # The morning must lie within one service day: run between 00:00 and 00:45 in Jakarta, its first
    # tickets would be yesterday's (never called today). Then the office keeps a clock where it does.
    zone = next(z for z in ("Asia/Jakarta", "UTC", "America/New_York") if _one_day(clock.start, z))
    if zone != "Asia/Jakarta":
        office.configure(time_zone=zone)
    users, counters, services = office.users, office.counters, office.services
    ids: dict[str, int] = {}

    def issue(code, priority=False):
        def run(minute):
            ticket_id = clock.at(minute, tickets.issue_ticket, service_id=services[code], priority=priority)
            with live.app.app_context():
                ids[db.session.get(Ticket, ticket_id).number] = ticket_id

        return run

    def counter(use_case, number, officer):
        return lambda minute: clock.at(minute, use_case, counter_id=counters[number], user_id=users[officer])

    def ticket(use_case, number, officer):
        return lambda minute: clock.at(minute, use_case, ticket_id=ids[number], user_id=users[officer])

    timeline = [
        (0, issue("A")),  # A001
        (1, counter(tickets.open_counter, 1, "siti")),
        (1, counter(tickets.open_counter, 2, "budi")),
        (1, counter(tickets.open_counter, 3, "agus")),
        (1, counter(tickets.open_counter, 4, "dewi")),
        (2, issue("E")),  # E001
        (3, counter(tickets.call_next, 1, "siti")),  # A001
        (4, issue("B", priority=True)),  # B001
        (4, ticket(tickets.start, "A001", "siti")),
        (5, counter(tickets.call_next, 2, "budi")),  # E001
        (6, ticket(tickets.start, "E001", "budi")),
        (6, issue("C")),  # C001
        (8, counter(tickets.call_next, 3, "agus")),  # C001
        (9, issue("A")),  # A002
        (11, ticket(tickets.no_show, "C001", "agus")),
        (12, issue("D")),  # D001
        (13, counter(tickets.call_next, 3, "agus")),  # D001
        (13, ticket(tickets.finish, "E001", "budi")),  # 7 minutes against 10
        (14, issue("A")),  # A003
        (14, counter(tickets.call_next, 2, "budi")),  # A002
        (14, ticket(tickets.start, "D001", "agus")),
        (15, ticket(tickets.start, "A002", "budi")),
        (16, ticket(tickets.finish, "A001", "siti")),  # 12 minutes against 15
        (17, counter(tickets.call_next, 1, "siti")),  # B001, priority
        (18, ticket(tickets.start, "B001", "siti")),  # still served at the end: 27 minutes against 20
        (20, issue("E")),  # E002: waits 25 minutes against 10
        (25, issue("A")),  # A004: waits 20 minutes against 15
        (30, ticket(tickets.finish, "D001", "agus")),
        (33, ticket(tickets.finish, "A002", "budi")),  # 18 minutes against 15
        (35, counter(tickets.pause_counter, 4, "dewi")),
        (38, issue("B", priority=True)),  # B002
        (41, issue("E")),  # E003
        (42, counter(tickets.call_next, 2, "budi")),  # A003
        (43, ticket(tickets.start, "A003", "budi")),
    ]
    for minute, step in timeline:
        step(minute)
    return ids


def log_in(page, url: str, username: str, path: str) -> None:
    page.goto(f"{url}{path}")
    page.fill("#username", username)
    page.fill("#password", "demo12345")
    page.press("#password", "Enter")
    expect(page.locator("#live")).to_have_class(re.compile("live--on"), timeout=10_000)


def test_the_floor_shows_counters_queues_alerts_and_figures_of_a_busy_morning(live, page, screenshots):
    ids = busy_morning(live)
    log_in(page, live.url, "supervisor", "/supervisor/")
    expect(page.locator('[data-counter="1"] .counter__number')).to_have_text("B001")
    expect(page.locator('[data-counter="1"] .counter__timer')).to_have_class(re.compile("timer--red"))
    expect(page.locator('[data-counter="2"] .counter__number')).to_have_text("A003")
    expect(page.locator('[data-counter="2"] .counter__timer')).to_have_class(re.compile("timer--green"))
    expect(page.locator('[data-counter="4"] .badge--break')).to_be_visible()
    expect(page.locator('#queues [data-service="A"] .queues__waiting')).to_have_text("1")
    # Waiting past the standard time: A004 (20 min, A: 15), E002 (25 min, E: 10); served past it: B001.
    alerts = page.locator("#alerts-list .alert")
    expect(alerts).to_have_count(3)
    expect(page.locator(f'#alerts-list [data-ticket-id="{ids["B001"]}"]')).to_have_attribute("data-kind", "serving")
    expect(page.locator(f'#alerts-list [data-ticket-id="{ids["E002"]}"]')).to_have_attribute("data-kind", "waiting")
    budi = page.locator("#figures tr", has_text="Budi Santoso")
    expect(budi.locator("td").nth(1)).to_have_text("2")  # served
    expect(budi.locator("td").nth(3)).to_have_text("50%")  # E001 within 10 min, A002 not within 15
    expect(page.locator("#noshows li", has_text="C001")).to_be_visible()
    page.screenshot(path=str(screenshots / "supervisor-floor.png"))


def test_the_floor_follows_the_counters_live_and_the_supervisor_acts(live, page):
    office = live.office
    ids = busy_morning(live)
    log_in(page, live.url, "supervisor", "/supervisor/")
    expect(page.locator("#waiting tbody tr")).to_have_count(4)

    # An officer finishes at counter 1: the floor changes without a reload.
    siti = requests.Session()
    siti.post(f"{live.url}/api/v1/auth/login", json={"username": "siti", "password": "demo12345"})
    assert siti.post(f"{live.url}/api/v1/tickets/{ids['B001']}/finish").status_code == 200
    expect(page.locator('[data-counter="1"] .counter__number')).to_have_text("—")
    expect(page.locator(f'#alerts-list [data-ticket-id="{ids["B001"]}"]')).to_have_count(0)

    # Move a waiting ticket to another service.
    page.locator(f'#waiting tr[data-ticket-id="{ids["B002"]}"] button[data-move]').click()
    page.select_option("#move-service", str(office.service("D")))
    page.fill("#move-note", "berkas TPG, bukan mutasi")
    page.locator("#move-form button[type=submit]").click()
    expect(page.locator("#message")).to_contain_text("B002")
    expect(page.locator(f'#waiting tr[data-ticket-id="{ids["B002"]}"]')).to_contain_text("D ·")

    # Cancel the moved ticket with a reason from the office's list.
    page.locator(f'#waiting tr[data-ticket-id="{ids["B002"]}"] button[data-cancel]').click()
    page.select_option("#cancel-reason", "Salah memilih layanan")
    page.locator("#cancel-form button[value=ok]").click()
    expect(page.locator(f'#waiting tr[data-ticket-id="{ids["B002"]}"]')).to_have_count(0)

    # Reopen the no-show.
    page.locator("#noshows li", has_text="C001").get_by_role("button").click()
    expect(page.locator("#noshows li", has_text="C001")).to_have_count(0)
    expect(page.locator(f'#waiting tr[data-ticket-id="{ids["C001"]}"]')).to_be_visible()

    # Close the counter on a break.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('[data-counter="4"] button').click()
    expect(page.locator('[data-counter="4"] .badge--closed')).to_be_visible()

    with live.app.app_context():
        moved = db.session.get(Ticket, ids["B002"])
        reopened = db.session.get(Ticket, ids["C001"])
        assert (moved.service_id, moved.status, moved.transfer_note) == (
            office.service("D"),
            TicketStatus.CANCELLED,
            "berkas TPG, bukan mutasi",
        )
        assert reopened.status == TicketStatus.WAITING


def test_an_officer_is_turned_away_from_the_floor(live, page):
    page.goto(f"{live.url}/supervisor/")
    page.fill("#username", "siti")
    page.fill("#password", "demo12345")
    page.press("#password", "Enter")
    expect(page.get_by_role("alert")).to_have_text("Halaman ini untuk supervisor dan admin.")
