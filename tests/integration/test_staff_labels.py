"""Every staff page, in both languages, says codes in words: no snake_case word of the enums (ticket
states, events, audit actions, reasons) in what a person reads. The pages' JSON for their scripts
and attribute values are not read."""

from __future__ import annotations

import re

import pytest

from servicedesk.domain.model import DAY_END_REASON, EventKind, TicketStatus
from tests.builders import act, call_next, issue

CODES = {
    *(s.value for s in TicketStatus if "_" in s.value),
    *(k.value for k in EventKind if "_" in k.value),
    DAY_END_REASON,
    "rotate_token",
    "reset_password",
    "late_return",
    "take_over",
    "priority_max_in_a_row",
    "no_show_window_minutes",
    "cancel_reasons",
    "call_order",
}
PAGES = [
    "/officer/",
    "/supervisor/",
    "/admin/",
    "/admin/counters",
    "/admin/settings",
    "/admin/desk/",
    "/admin/audit",
    "/admin/audit?source=events",
    "/reports/?period=day&date=2026-11-02",
]


def visible_text(html: str) -> str:
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<style\b.*?</style>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)  # tags with their attributes


@pytest.fixture
def busy_day(client, office, auth, clock):
    """A day with a no-show, a cancel, a late return, a take-over and a settings change."""
    for _ in range(3):
        issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    late = call_next(client, office.counter(1)).json
    act(client, late["id"], "no-show")
    act(client, late["id"], "requeue")
    called = call_next(client, office.counter(1)).json
    act(client, called["id"], "cancel", reason="Salah memilih layanan")
    call_next(client, office.counter(1))
    auth.logout()
    client.application.test_cli_runner().invoke(args=["close-day"])
    return office


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_staff_page_shows_a_snake_case_code(client, auth, busy_day, lang):
    found = {}
    for username, pages in (("siti", PAGES[:1]), ("admin", PAGES[1:])):
        auth.login(username)
        for path in pages:
            joiner = "&" if "?" in path else "?"
            response = client.get(f"{path}{joiner}lang={lang}")
            assert response.status_code == 200, path
            words = set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", visible_text(response.get_data(as_text=True))))
            if words & CODES:
                found[path] = sorted(words & CODES)
        auth.logout()
    assert found == {}


@pytest.mark.parametrize("path", ["/officer/", "/supervisor/"])
def test_the_officer_and_supervisor_pages_switch_language(client, office, auth, path):
    auth.login("supervisor")
    indonesian = client.get(path).get_data(as_text=True)
    assert 'id="lang-switch"' in indonesian and ">English<" in indonesian
    english = client.get(f"{path}?lang=en").get_data(as_text=True)
    assert 'lang="en"' in english and ">Bahasa Indonesia<" in english


def test_numbers_are_written_in_the_pages_locale(app, office):
    from servicedesk.web.labels import number

    with app.test_request_context("/reports/?lang=id"):
        assert number(1234.5) == "1.234,5" and number(None) == "–"
    with app.test_request_context("/reports/?lang=en"):
        assert number(1234.5) == "1,234.5" and number(7) == "7"
