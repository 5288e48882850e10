"""The visitor says which priority group; the ticket keeps it; the reports count per group."""

from __future__ import annotations

import csv
import io
import json
import re

from sqlalchemy import select

from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.integration.admin_pages import AdminPages


def issue(client, office, code="A", **body):
    return client.post("/api/v1/tickets", json={"service_id": office.service(code), **body})


def stored(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(tables.tickets.c.number, tables.tickets.c.priority, tables.tickets.c.priority_group).order_by(
                tables.tickets.c.id
            )
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def test_the_ticket_keeps_the_group_the_visitor_chose(app, client, office):
    assert issue(client, office, priority_group="lansia").status_code == 201
    assert issue(client, office, priority=True).status_code == 201  # the group unsaid, as before
    assert issue(client, office).status_code == 201
    assert stored(app) == [("A001", True, "lansia"), ("A002", True, None), ("A003", False, None)]


def test_a_group_not_in_the_offices_list_is_refused_in_words(app, client, office):
    response = issue(client, office, priority_group="veteran")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "priority_group_unknown"
    assert stored(app) == []
    html = client.get("/kiosk/").get_data(as_text=True)
    assert "Kelompok prioritas ini tidak lagi tersedia" in html


def test_a_service_without_a_priority_line_refuses_a_group(client, office):
    office.update_service("B", priority_allowed=False)
    assert issue(client, office, "B", priority_group="lansia").json["error"]["code"] == "priority_not_allowed"


def test_the_kiosk_offers_the_offices_groups_in_its_language(client, office):
    def groups(lang):
        html = client.get(f"/kiosk/?lang={lang}").get_data(as_text=True)
        config = json.loads(re.search(r'id="kiosk-config">(.*?)</script>', html, re.S).group(1))
        return config["priority_groups"]

    assert groups("id")[1] == {"key": "lansia", "label": "Lanjut usia"}
    assert groups("en")[1] == {"key": "lansia", "label": "Elderly"}


def test_the_slip_names_the_group(client, office):
    ticket = issue(client, office, priority_group="ibu_hamil").json
    assert "PRIORITAS · Ibu hamil" in client.get(f"/kiosk/tickets/{ticket['token']}/slip").get_data(as_text=True)


def test_an_admin_edits_the_list_and_the_change_is_audited(app, client, office, auth):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    assert "lansia | Lanjut usia | Elderly" in pages.html("/admin/priority-groups/")
    response = pages.post("/admin/priority-groups/", {"groups": "lansia | Lanjut usia | Elderly\nbumil | Ibu hamil"})
    assert response.status_code == 303
    assert issue(client, office, priority_group="bumil").status_code == 201
    assert issue(client, office, priority_group="anak").status_code == 409
    [entry] = pages.audit("office")
    assert [g["key"] for g in entry.after["priority_groups"]] == ["lansia", "bumil"]
    wrong = pages.post("/admin/priority-groups/", {"groups": "Lansia Tua | x"})
    assert wrong.status_code == 400 and "baris 1: kunci berisi 1 sampai 40 huruf kecil" in wrong.get_data(as_text=True)
    wrong = pages.post("/admin/priority-groups/?lang=en", {"groups": "Lansia Tua | x"})
    assert wrong.status_code == 400 and "line 1: the key is 1 to 40 small letters" in wrong.get_data(as_text=True)


def test_a_supervisor_reads_the_list_but_may_not_change_it(app, client, office, auth):
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    assert "lansia" in pages.html("/admin/priority-groups/")
    assert pages.post("/admin/priority-groups/", {"groups": "x | y"}).status_code == 403


def test_the_report_counts_priority_tickets_per_group_and_exports_them(client, office, auth):
    for group in ("lansia", "lansia", "anak"):
        issue(client, office, priority_group=group)
    issue(client, office, priority=True)
    issue(client, office)
    auth.login("supervisor")
    page = client.get("/reports/", query_string={"period": "day", "date": "2026-11-02"}).get_data(as_text=True)
    assert "Nomor antrean prioritas per kelompok" in page
    response = client.get("/reports/export/priority_groups.csv", query_string={"period": "day", "date": "2026-11-02"})
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8")[1:])))
    counts = {row[0]: row[1] for row in rows[1:]}
    assert counts["Lanjut usia"] == "2" and counts["Anak-anak"] == "1" and counts["Ibu hamil"] == "0"
    assert counts["Kelompok tidak tercatat"] == "1"
    assert rows[-1][:2] == ["Jumlah", "4"]
