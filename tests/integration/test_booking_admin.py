"""The admin sees and edits each service's booking split (never into the walk-in reserve), and the retention."""

from __future__ import annotations

from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.integration.admin_pages import AdminPages
from tests.integration.test_booking import TUESDAY, book, bookable, wib  # noqa: F401 - the fixture

FORM = {
    "enabled": "y",
    "online_percent": "50",
    "priority_percent": "10",
    "walk_in_reserve_percent": "30",
    "early_minutes": "30",
    "late_minutes": "15",
    "change_cutoff_hours": "2",
    "horizon_days": "14",
    "per_nik_day": "1",
    "per_nik_week": "",  # empty: no weekly limit per NIK
    "per_phone_day": "1",
    "no_show_days": "30",
}


def settings_rows(app) -> list:
    with app.app_context():
        return db.session.execute(tables.booking_settings.select()).all()


def test_the_admin_makes_a_service_bookable_with_its_split_audited(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    assert 'id="booking-services"' in pages.html("/admin/booking/")
    service_id = office.service("A")
    assert pages.post(f"/admin/booking/{service_id}", FORM).status_code == 303
    [row] = settings_rows(app)
    assert (row.enabled, row.online_percent, row.per_nik_week, row.per_phone_day) == (True, 50, None, 1)
    [entry] = pages.audit("booking_settings")
    assert entry.action == "create" and entry.after["online_percent"] == 50
    assert pages.post(f"/admin/booking/{service_id}", FORM | {"online_percent": "55"}).status_code == 303
    assert [e.action for e in pages.audit("booking_settings")] == ["create", "update"]


def test_a_split_that_eats_into_the_walk_in_reserve_is_refused_and_nothing_saved(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    refused = pages.post(f"/admin/booking/{office.service('A')}", FORM | {"online_percent": "61"})
    assert refused.status_code == 400 and 'id="split-error"' in refused.get_data(as_text=True)
    assert settings_rows(app) == []


def test_a_supervisor_reads_the_booking_settings_but_cannot_change_them(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    auth.login("supervisor")
    assert client.get("/admin/booking/").status_code == 200
    assert pages.post(f"/admin/booking/{office.service('A')}", FORM).status_code == 403
    assert settings_rows(app) == []


def test_the_admin_sets_the_retention_of_personal_data_audited(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    assert pages.post("/admin/booking/retention", {"retention_days": "30"}).status_code == 303
    with app.app_context():
        assert db.session.execute(tables.booking_office.select()).one().retention_days == 30
    [entry] = pages.audit("booking_office")
    assert (entry.before, entry.after) == ({"retention_days": 90}, {"retention_days": 30})


def test_the_admin_erases_a_persons_bookings_on_their_request_audited(client, auth, app, bookable):  # noqa: F811
    book(app, bookable, wib(TUESDAY, 10))
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    exported = pages.post("/admin/booking/person/export", {"phone": "081234567890"})
    assert exported.status_code == 200 and exported.json[0]["name"] == "Siti Aminah"
    assert pages.post("/admin/booking/person/erase", {"phone": "081234567890"}).status_code == 303
    with app.app_context():
        assert db.session.execute(tables.bookings.select()).one().name is None
    assert [e.action for e in pages.audit("booking_person")] == ["export", "erase"]
    assert pages.post("/admin/booking/person/erase", {"phone": "12"}).status_code == 400


def test_the_admin_allows_same_day_booking_for_a_service(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    assert pages.post(f"/admin/booking/{office.service('A')}", FORM).status_code == 303
    assert settings_rows(app)[0].same_day is False  # off unless the admin says so
    assert pages.post(f"/admin/booking/{office.service('A')}", FORM | {"same_day": "y"}).status_code == 303
    assert settings_rows(app)[0].same_day is True
    assert pages.audit("booking_settings")[-1].after["same_day"] is True
