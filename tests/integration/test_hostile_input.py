"""Input built to break the server gets a clear 4xx in the house format and writes nothing.

The API answers {"error": {"code", "message"}}; a page answers a readable page. Each case gave a
500 (or a plain-text answer) before; they run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from servicedesk.domain.model import AuditEntry, Service, Ticket
from servicedesk.extensions import db
from tests.builders import refused
from tests.integration.admin_pages import AdminPages
from tests.integration.test_admin_services import VALID

HUGE = "9" * 40


@pytest.fixture
def pages(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def set_up_changes(app) -> int:
    """Audit rows of changes to the set-up (the admin's own login is recorded too, as a session row)."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity != "session"))


def readable_page(response, status: int) -> str:
    assert response.status_code == status, response.status_code
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


# --- JSON ---


def test_json_nested_five_thousand_deep_is_a_400_not_a_recursion_error(app, client, office):
    body = '{"service_id": ' + "[" * 5000 + "]" * 5000 + "}"
    response = client.post("/api/v1/tickets", data=body, content_type="application/json")
    assert refused(response, 400, "malformed_json")
    assert "nested" in response.json["error"]["message"]
    assert count(app, Ticket) == 0


def test_json_nested_a_little_is_still_read_and_refused_by_the_schema(client, office):
    response = client.post("/api/v1/tickets", json={"service_id": [[[1]]]})
    assert refused(response, 422, "validation_error")


@pytest.mark.parametrize("escaped", [r"\ud800", r"\udfff", r"x\uDBFFy"])
def test_a_lone_surrogate_in_a_text_field_is_a_400_not_an_encoding_error(app, client, office, auth, escaped):
    body = '{"username": "siti' + escaped + '", "password": "x"}'
    response = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert refused(response, 400, "malformed_json")
    auth.at_counter("siti", office.counter(1))
    ticket = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    body = '{"reason": "Salah memilih layanan", "note": "' + escaped + '"}'
    response = client.post(f"/api/v1/tickets/{ticket['id']}/cancel", data=body, content_type="application/json")
    assert refused(response, 400, "malformed_json")
    assert count(app, Ticket) == 1
    with app.app_context():
        assert db.session.get(Ticket, ticket["id"]).status.value == "waiting"


def test_a_surrogate_pair_is_a_real_character_and_is_accepted(client, office, auth):
    auth.at_counter("siti", office.counter(1))
    ticket = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    body = '{"reason": "Salah memilih layanan", "note": "salah layanan \\ud83d\\ude4f"}'
    response = client.post(f"/api/v1/tickets/{ticket['id']}/cancel", data=body, content_type="application/json")
    assert response.status_code == 200, response.json


# --- huge numbers ---


@pytest.mark.parametrize("field", ["standard_minutes", "daily_quota", "alert_wait_minutes"])
def test_a_huge_number_in_the_service_form_is_refused_on_its_field(pages, app, field):
    html = readable_page(pages.post("/admin/services/new?lang=en", {**VALID, field: HUGE}), 400)
    assert "must be at most" in html
    assert count(app, Service) == 5 and set_up_changes(app) == 0


def test_a_huge_number_in_the_counter_form_is_refused(pages, app):
    response = pages.post("/admin/counters/new?lang=en", {"number": HUGE, "name": "Loket Besar"})
    assert response.status_code == 400
    assert set_up_changes(app) == 0


def test_a_huge_id_in_an_api_path_is_a_json_404(client, office, auth):
    auth.at_counter("siti", office.counter(1))
    assert refused(client.post(f"/api/v1/tickets/{HUGE}/finish", json={}), 404, "not_found")
    assert refused(client.post(f"/api/v1/counters/{HUGE}/call-next"), 404, "not_found")


def test_a_huge_id_in_a_page_path_is_a_readable_404(pages):
    readable_page(pages.client.get(f"/admin/services/{HUGE}"), 404)
    readable_page(pages.client.get(f"/admin/users/{HUGE}"), 404)


# --- NUL in the address ---


def test_a_nul_byte_in_a_query_is_a_readable_400(pages):
    html = readable_page(pages.client.get("/admin/audit?source=events&number=A%00"), 400)
    assert "NUL" in html or "tidak boleh" in html


def test_a_nul_byte_in_an_api_address_is_a_json_400(client, office):
    assert refused(client.get("/api/v1/tickets/abc%00def"), 400, "invalid_text")
    assert refused(client.get("/api/v1/services?x=%00"), 400, "invalid_text")


def test_a_nul_byte_in_a_visitor_link_is_a_readable_400(client, office):
    readable_page(client.get("/t/abc%00def"), 400)


def test_a_nul_byte_in_a_form_is_refused_and_writes_nothing(pages, app):
    readable_page(pages.post("/admin/services/new", {**VALID, "name": "Nama\x00"}), 400)
    assert count(app, Service) == 5 and set_up_changes(app) == 0


# --- the YAML import ---


def upload(pages, text: str):
    data = {"file": (io.BytesIO(text.encode()), "catalogue.yaml")}
    return pages.post("/admin/services/import?lang=en", data, content_type="multipart/form-data")


def test_a_bad_date_in_the_yaml_import_is_reported_readably(pages, app):
    text = "services:\n  - code: KK\n    name: Kartu Keluarga\n    standard_minutes: 10\n"
    text += "    sop_effective_date: 2026-02-30\n"
    html = readable_page(upload(pages, text), 400)
    assert "day is out of range" in html
    assert count(app, Service) == 5


BILLION_LAUGHS = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
services: [*i]
"""


def test_a_yaml_alias_bomb_is_refused_before_it_is_expanded(pages, app):
    from servicedesk.domain.catalogue import CatalogueInvalid
    from servicedesk.services import catalogue

    with pytest.raises(CatalogueInvalid) as refused_bomb:
        catalogue.read_rows(BILLION_LAUGHS, "yaml")
    # Refused at the first alias, on line 3: nothing was composed past it, let alone expanded.
    [error] = refused_bomb.value.errors
    assert error.line == 3 and "alias" in error.message
    html = readable_page(upload(pages, BILLION_LAUGHS), 400)
    assert "alias" in html
    assert count(app, Service) == 5
