"""A refused admin form names the wrong field in the page's language: Indonesian first, English on ?lang=en.

Two kinds of refusal reach the same place: what the page's form checks (WTForms) and what the
office's rules refuse (a coded error from the use case); both are translated from their code.
"""

from __future__ import annotations

import pytest

from tests.integration.admin_pages import AdminPages, field_error


@pytest.fixture
def pages(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


COUNTER = {"number": "7", "name": "Loket Tujuh", "area": "", "call_order": "oldest"}


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "loket 1 sudah ada"), ("?lang=en", "counter 1 exists already")],
)
def test_a_counter_number_in_use_is_refused_next_to_the_number_in_the_pages_language(pages, query, message):
    response = pages.post(f"/admin/counters/new{query}", {**COUNTER, "number": "1"})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "f-number") == message


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "paling banyak 100 karakter"), ("?lang=en", "at most 100 characters")],
)
def test_a_name_too_long_for_the_form_is_refused_next_to_the_name_in_the_pages_language(pages, query, message):
    response = pages.post(f"/admin/counters/new{query}", {**COUNTER, "name": "L" * 101})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "f-name") == message


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "harus antara 1 dan 20"), ("?lang=en", "must be between 1 and 20")],
)
def test_a_number_out_of_range_is_refused_with_its_bounds_in_the_pages_language(pages, query, message):
    settings = pages.html("/admin/settings")
    assert "priority_max_in_a_row" in settings
    response = pages.post(f"/admin/settings{query}", {"name": "ULT", "priority_max_in_a_row": "40"})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "f-priority_max_in_a_row") == message
