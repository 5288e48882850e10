"""The report page in Chromium against a real server: login, charts drawn, print layout, a download.

The office is the hand-computed Makassar month of tests/integration/test_reports.py, plus a few
weeks of generated visits so the charts and the heat map have something to show."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import FakeClock
from tests.integration.test_reports import Office, build, local

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MONTH = "?period=month&date=2026-11-01"


def busier_month(player: Office, visits: int = 120) -> None:
    """Generated visits on working days from 9 to 27 November: called, served, most of them rated."""
    rng = random.Random(7)
    plan = []
    for _ in range(visits):
        day = rng.choice([d for d in range(9, 28) if datetime(2026, 11, d).weekday() < 5])
        hour = rng.choices(range(8, 16), weights=[6, 9, 8, 5, 2, 5, 4, 2])[0]
        code, who, counter = rng.choice([("A", "siti", 1), ("A", "budi", 2), ("B", "siti", 1), ("E", "budi", 2)])
        plan.append((local(day, f"{hour:02d}:{rng.randrange(60):02d}"), code, who, counter))
    plan.sort()
    standard = {"A": 15, "B": 20, "E": 10}
    for n, (issued, code, who, counter) in enumerate(plan):
        name = f"G{n}"
        player.at(issued).issue(name, code)
        called = issued + timedelta(minutes=rng.randint(1, 35))
        player.at(called).call(who, counter, name)
        player.act(who, "start", name)
        done = called + timedelta(minutes=max(2, round(rng.gauss(standard[code] * 0.85, 4))))
        player.at(done).act(who, "finish", name)
        if rng.random() < 0.6:
            answers = tuple(rng.choices([2, 3, 3, 4, 4], k=9))
            comment = rng.choice([None, None, None, "Terima kasih, petugas sangat membantu."])
            player.at(done + timedelta(minutes=2)).answer(name, answers, comment)


@pytest.fixture(scope="module")
def reported(live_server):
    """The live server's office with the Makassar month, built at past moments by a fake clock.

    Built once for the module: its tests only read the month (and log in), and building it through the
    use cases is the slowest setup of the browser tests."""
    live_server.reset()
    clock = FakeClock(datetime(2026, 11, 1, tzinfo=UTC))
    live_server.app.config["CLOCK"] = clock
    try:
        player = build(live_server.app, live_server.office, clock)
        busier_month(player)
    finally:
        live_server.app.config["CLOCK"] = lambda: datetime.now(UTC)
    yield live_server
    live_server.clear()


def log_in(page, live, path: str, username: str = "supervisor") -> None:
    page.goto(live.url + path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo12345")
    page.click("button[type=submit]")


def test_a_supervisor_reads_the_month_with_charts_and_prints_it_on_a4(page, reported, screenshots):
    log_in(page, reported, "/reports/" + MONTH)
    expect(page.locator("h1")).to_contain_text("Laporan pelayanan")
    expect(page.locator(".report-head__period")).to_contain_text("November 2026")
    # 12 hand-computed tickets + 120 generated ones; T11 (1 Dec 00:10 WITA) stays out.
    expect(page.locator("#kpi-issued")).to_have_text("132")
    # The figures are in the HTML; the charts come once the page's scripts have run (the server-rendered
    # numbers can be there first on a busy machine): wait for every chart to be drawn.
    charts = ["chart-within", "chart-times", "chart-hours", "chart-nrr"]
    charts += ["chart-trend-times", "chart-trend-scores", "chart-group-waits"]  # the management review's
    page.wait_for_function(
        "ids => window.Chart !== undefined && ids.every(id => Chart.getChart(document.getElementById(id)))", arg=charts
    )
    expect(page.locator("#table-arrivals tbody tr")).to_have_count(7)
    page.screenshot(path=str(screenshots / "reports.png"), full_page=True)

    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    expect(page.locator(".filters")).to_be_hidden()
    page.screenshot(path=str(screenshots / "reports-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 2


def test_the_period_selector_and_a_csv_download(page, reported):
    log_in(page, reported, "/reports/" + MONTH + "&lang=en")
    page.select_option("#period-kind", "day")
    page.fill("input[name=date]", "2026-11-03")
    page.click("button[type=submit]:has-text('Show')")
    expect(page.locator("#kpi-issued")).to_have_text("9")
    expect(page.locator("#kpi-ikm")).to_have_text("75.69")
    page.select_option("#period-kind", "custom")
    expect(page.locator("input[name=from]")).to_be_visible()
    expect(page.locator("input[name=date]")).to_be_hidden()
    with page.expect_download() as download:
        page.click("#services-title a:has-text('CSV')")
    assert download.value.suggested_filename == "report-services-2026-11-03-2026-11-03.csv"


def test_an_officer_is_refused_and_sees_no_figures(page, reported):
    log_in(page, reported, "/reports/" + MONTH, username="siti")
    response = page.goto(reported.url + "/reports/" + MONTH)
    assert response.status == 403
    assert page.locator("#kpi-issued").count() == 0
