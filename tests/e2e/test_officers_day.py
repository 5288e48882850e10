"""An officer's whole day in Chromium, on SQLite and on PostgreSQL: open the counter, call, recall,
hold and resume, transfer, cancel with a reason, a no-show who comes back late, and close."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from servicedesk.domain.model import EventKind, Ticket, TicketStatus
from servicedesk.extensions import db
from tests.conftest import wipe
from tests.e2e.conftest import LiveOffice
from tests.servers import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(params=["sqlite", "postgresql"])
def day_office(request):
    url = request.getfixturevalue(f"{request.param}_url")
    with ServerProcess(url, env={"RATELIMIT_ENABLED": "0", "SETTINGS_CACHE_SECONDS": "0"}) as server:
        live = LiveOffice(url, server)
        live.reset()
        yield live
        with live.app.app_context():
            db.session.remove()
        wipe(url)


def issue(live, code: str) -> str:
    response = requests.post(f"{live.url}/api/v1/tickets", json={"service_id": live.office.service(code)})
    assert response.status_code == 201, response.text
    return response.json()["number"]


def press(page, key: str) -> None:
    expect(page.locator(f'button[data-key="{key}"]')).to_be_enabled()
    page.keyboard.press(key)


def stored(live, number: str) -> Ticket:
    with live.app.app_context():
        ticket = db.session.query(Ticket).filter_by(number=number).one()
        ticket.events  # noqa: B018 - loaded before the session closes
        db.session.expunge(ticket)
        return ticket


def test_an_officers_whole_day(day_office, chromium):
    live = day_office
    for _ in range(5):
        issue(live, "A")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the close counter's confirmation
    page.goto(f"{live.url}/officer/")
    page.fill("#username", "siti")
    page.fill("#password", "demo12345")
    page.press("#password", "Enter")
    page.locator('[data-counter="1"]').click()  # open the counter
    expect(page.locator("#counter-name")).to_have_text("Loket 1")
    expect(page.locator("#live")).to_have_class(re.compile("live--on"), timeout=10_000)

    press(page, "n")  # A001: call, recall, serve, hold, resume, finish
    expect(page.locator("#current-number")).to_have_text("A001")
    press(page, "r")
    press(page, "s")
    expect(page.locator("#current-status")).to_have_text("Dilayani")
    press(page, "h")
    expect(page.locator("#held-list")).to_contain_text("A001")
    press(page, "h")
    expect(page.locator("#current-status")).to_have_text("Dilayani")
    press(page, "f")
    expect(page.locator("#current .current__none")).to_be_visible()

    press(page, "n")  # A002: transferred to C
    expect(page.locator("#current-number")).to_have_text("A002")
    press(page, "t")
    page.select_option("#transfer-service", str(live.office.service("C")))  # not served here
    page.fill("#transfer-note", "legalisir juga")
    page.locator("#transfer-form button[value=ok]").click()
    expect(page.locator("#current .current__none")).to_be_visible()

    press(page, "n")  # A003: cancelled with a reason from the office's list
    expect(page.locator("#current-number")).to_have_text("A003")
    press(page, "c")
    expect(page.locator("#cancel-dialog")).to_be_visible()
    page.select_option("#cancel-reason", "Berkas persyaratan tidak lengkap")
    page.fill("#cancel-note", "KK tertinggal")
    page.locator("#cancel-form button[value=ok]").click()
    expect(page.locator("#message")).to_contain_text("A003")
    expect(page.locator("#current .current__none")).to_be_visible()

    press(page, "n")  # A004: no-show, then back late
    expect(page.locator("#current-number")).to_have_text("A004")
    press(page, "x")
    expect(page.locator('#noshow-list [data-late="A004"]')).to_be_visible()
    page.locator('#noshow-list [data-late="A004"]').click()
    expect(page.locator("#message")).to_contain_text("A004")
    expect(page.locator('#noshow-list [data-late="A004"]')).to_have_count(0)

    press(page, "n")  # the late visitor keeps the original place: called before A005
    expect(page.locator("#current-number")).to_have_text("A004")
    press(page, "s")
    press(page, "f")
    expect(page.locator("#current .current__none")).to_be_visible()

    page.locator('[data-action="close"]').click()  # close the counter for today
    expect(page.locator(".choose")).to_be_visible()
    context.close()

    assert stored(live, "A001").status == TicketStatus.DONE
    moved = stored(live, "A002")
    assert (moved.status, moved.service_id) == (TicketStatus.WAITING, live.office.service("C"))
    cancelled = stored(live, "A003")
    assert cancelled.status == TicketStatus.CANCELLED
    assert cancelled.last_event(EventKind.CANCELLED).note == "Berkas persyaratan tidak lengkap — KK tertinggal"
    late = stored(live, "A004")
    assert late.status == TicketStatus.DONE
    assert [e.kind for e in late.events].count(EventKind.REQUEUED) == 1
    assert stored(live, "A005").status == TicketStatus.WAITING
    with live.app.app_context():
        from servicedesk.domain.model import Counter

        assert db.session.get(Counter, live.office.counter(1)).status.value == "closed"
