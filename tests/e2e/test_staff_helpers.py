"""The staff pages' helpers, run in Chromium itself as the ES modules the pages import: the officer's
timer colour (officer/staff.js) and numbers in the page's language (common/format.js)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


@pytest.fixture
def modules(page, live_server):
    """A page of the app, so the modules load from its origin under its Content-Security-Policy."""
    page.goto(f"{live_server.url}/login")
    return page


def timer_state(page, *arguments) -> str:
    return page.evaluate("async (a) => (await import('/static/officer/staff.js')).timerState(...a)", list(arguments))


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [(0, "green"), (11.9, "green"), (12, "amber"), (15, "amber"), (15.01, "red"), (60, "red")],
)
def test_the_timer_turns_amber_near_the_standard_time_and_red_past_it(modules, elapsed, expected):
    assert timer_state(modules, elapsed, 15, 0.8) == expected


def test_the_amber_share_comes_from_the_server(modules):
    assert timer_state(modules, 5, 10, 0.5) == "amber"
    assert timer_state(modules, 4.9, 10, 0.5) == "green"


@pytest.mark.parametrize(("lang", "expected"), [("id", "1.234,5"), ("en", "1,234.5")])
def test_numbers_are_written_in_the_pages_language(modules, lang, expected):
    modules.evaluate("(lang) => { document.documentElement.lang = lang; }", lang)
    written = "async (value) => (await import('/static/common/format.js')).number(value)"
    assert modules.evaluate(written, 1234.5) == expected
    assert modules.evaluate(written, None) == "—"
