"""Cancelling a ticket: a required reason from the office's own list (plus free text), from the
console and the floor, audited and counted in the reports; the admin edits the list."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from servicedesk.domain.model import TicketEvent
from servicedesk.extensions import db
from servicedesk.persistence import reports
from servicedesk.persistence import tables as t
from tests.builders import act, call_next, issue, refused
from tests.integration.admin_pages import AdminPages, field_error

WRONG_SERVICE = "Salah memilih layanan"
INCOMPLETE = "Berkas persyaratan tidak lengkap"


@pytest.fixture
def pages(client, auth, app, office):
    return AdminPages(client, auth, app)


def cancel_notes(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(TicketEvent.note).where(t.ticket_events.c.kind == "cancelled")))


def test_the_api_refuses_a_cancel_without_a_reason(client, office, auth):
    ticket = issue(client, office, "A")
    auth.login("supervisor")
    for body in ({}, {"reason": ""}, {"note": "pergi"}):
        response = act(client, ticket["id"], "cancel", **body)
        assert response.status_code == 422, body
    assert client.get(f"/api/v1/tickets/{ticket['token']}").json["status"] == "waiting"


def test_the_api_refuses_a_reason_that_is_not_on_the_offices_list(client, office, auth):
    ticket = issue(client, office, "A")
    auth.login("supervisor")
    assert refused(act(client, ticket["id"], "cancel", reason="pulang"), 409, "unknown_reason")


def test_an_officer_cancels_the_called_ticket_with_a_reason_and_own_words_audited(client, office, auth, pages):
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    called = call_next(client, office.counter(1)).json
    response = act(client, called["id"], "cancel", reason=INCOMPLETE, note="KK belum dibawa")
    assert response.status_code == 200 and response.json["status"] == "cancelled"
    assert cancel_notes(client.application) == [f"{INCOMPLETE} — KK belum dibawa"]
    [entry] = pages.audit("ticket")
    assert entry.action == "cancel" and entry.entity_id == called["id"] and entry.user_id == office.users["siti"]
    assert entry.before["status"] == "called"
    assert entry.after == {"number": "A001", "status": "cancelled", "reason": INCOMPLETE, "note": "KK belum dibawa"}


def test_a_supervisor_cancels_a_waiting_ticket_from_the_floor(client, office, auth):
    ticket = issue(client, office, "C")
    auth.login("supervisor")
    assert act(client, ticket["id"], "cancel", reason=WRONG_SERVICE).json["status"] == "cancelled"
    assert cancel_notes(client.application) == [WRONG_SERVICE]


def test_the_console_and_the_floor_offer_the_offices_reasons(client, office, auth):
    auth.at_counter("siti", office.counter(1))
    console = client.get("/officer/").get_data(as_text=True)
    assert 'id="cancel-dialog"' in console and f'<option value="{WRONG_SERVICE}">' in console
    assert 'data-action="cancel"' in console
    auth.login("supervisor")
    floor = client.get("/supervisor/").get_data(as_text=True)
    assert 'id="cancel-dialog"' in floor and f'<option value="{INCOMPLETE}">' in floor


def test_the_reports_count_cancellations_by_reason_and_the_days_close_apart(client, office, auth, clock):
    first, second, third, fourth = (issue(client, office, "A") for _ in range(4))
    auth.login("supervisor")
    act(client, first["id"], "cancel", reason=WRONG_SERVICE)
    act(client, second["id"], "cancel", reason=WRONG_SERVICE, note="mau legalisir")
    act(client, third["id"], "cancel", reason=INCOMPLETE)
    client.application.test_cli_runner().invoke(args=["close-day"])  # fourth: closed_at_day_end
    with client.application.app_context():
        counts = reports.cancel_reasons(
            db.session,
            reports.Filters(),
            datetime(2026, 11, 1, tzinfo=UTC),
            datetime(2026, 11, 30, tzinfo=UTC),
        )
    assert counts == {WRONG_SERVICE: 2, INCOMPLETE: 1, "closed_at_day_end": 1}
    page = client.get("/reports/", query_string={"period": "day", "date": "2026-11-02"}).get_data(as_text=True)
    assert 'id="cancel-reasons"' in page and WRONG_SERVICE in page
    assert "closed_at_day_end" not in page  # said in words
    assert fourth["number"] == "A004"
    query = {"period": "day", "date": "2026-11-02", "lang": "en"}
    exported = client.get("/reports/export/cancel_reasons.csv", query_string=query).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    counted = {row[0]: row[1] for row in rows if len(row) >= 2}
    assert counted[WRONG_SERVICE] == "2" and counted[INCOMPLETE] == "1"
    assert counted["Closed at the end of the day, not served"] == "1"
    assert counted["Total"] == "4"


def test_an_admin_edits_the_reasons_and_officers_choose_from_the_new_list(client, office, auth, pages):
    pages.login("admin")
    form = {
        "day_closes_at": "16:30",
        "no_show_return_position": "original",
        "cancel_reasons": "Pindah loket\n\n Tidak membawa KTP  \nPindah loket",
    }
    assert pages.post("/admin/desk/", form).status_code == 303
    html = pages.html("/admin/desk/")
    assert "Pindah loket\nTidak membawa KTP</textarea>" in html and 'value="16:30"' in html
    [entry] = [e for e in pages.audit("office") if "cancel_reasons" in (e.after or {})]
    assert entry.after["cancel_reasons"] == ["Pindah loket", "Tidak membawa KTP"]
    assert entry.after["day_closes_at"] == "16:30" and entry.after["no_show_return_position"] == "original"
    ticket = issue(client, office, "A")
    assert refused(act(client, ticket["id"], "cancel", reason=WRONG_SERVICE), 409, "unknown_reason")
    assert act(client, ticket["id"], "cancel", reason="Tidak membawa KTP").status_code == 200
    assert client.get("/api/v1/cancel-reasons").json == {"reasons": ["Pindah loket", "Tidak membawa KTP"]}


def test_the_desk_rules_form_names_each_wrong_field(pages):
    pages.login("admin")
    response = pages.post(
        "/admin/desk/", {"day_closes_at": "25:00", "no_show_return_position": "x", "cancel_reasons": " "}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for field in ("f-day_closes_at", "f-no_show_return_position", "f-cancel_reasons"):
        assert field_error(html, field), field


def test_a_supervisor_reads_the_desk_rules_but_may_not_change_them(pages):
    pages.login("supervisor")
    assert "disabled" in pages.html("/admin/desk/")
    form = {"day_closes_at": "16:00", "no_show_return_position": "end", "cancel_reasons": "x"}
    assert pages.post("/admin/desk/", form).status_code == 403
