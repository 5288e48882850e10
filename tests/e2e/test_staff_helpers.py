"""The staff pages' shared helpers (staff.js), run in Chromium itself: the officer's timer colour."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]

STAFF_JS = Path(__file__).resolve().parents[2] / "servicedesk" / "web" / "static" / "officer" / "staff.js"


@pytest.fixture
def staff(page):
    page.set_content("<!doctype html><title>staff.js</title>")
    page.add_script_tag(path=str(STAFF_JS))
    return page


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [(0, "green"), (11.9, "green"), (12, "amber"), (15, "amber"), (15.01, "red"), (60, "red")],
)
def test_the_timer_turns_amber_near_the_standard_time_and_red_past_it(staff, elapsed, expected):
    assert staff.evaluate("([e, s, a]) => Staff.timerState(e, s, a)", [elapsed, 15, 0.8]) == expected


def test_the_amber_share_comes_from_the_server(staff):
    assert staff.evaluate("() => Staff.timerState(5, 10, 0.5)") == "amber"
    assert staff.evaluate("() => Staff.timerState(4.9, 10, 0.5)") == "green"


@pytest.mark.parametrize(("lang", "expected"), [("id", "1.234,5"), ("en", "1,234.5")])
def test_numbers_are_written_in_the_pages_language(staff, lang, expected):
    staff.evaluate("(lang) => { document.documentElement.lang = lang; }", lang)
    assert staff.evaluate("() => Staff.number(1234.5)") == expected
    assert staff.evaluate("() => Staff.number(null)") == "—"
