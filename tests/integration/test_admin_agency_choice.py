"""Tenancy (issue 26): the agency of a new row. A site administrator chooses it in the forms of
services, counters, people, devices and holidays (empty: the site); an agency administrator's new
rows are always their agency's, whatever a forged form says; a counter calls only its agency's services."""

from __future__ import annotations

import pytest

from servicedesk.domain.model import Agency, Counter, Device, Holiday, Service, User
from servicedesk.extensions import db
from tests.builders import Auth
from tests.integration.test_authorization_matrix import IMIGRASI_ADMIN, build_scene, build_second_agency

SERVICE = {"code": "V", "name": "Visa Kunjungan", "standard_minutes": "20"}
PASSWORD = "Sandi-Agensi-2026!"


def _client(app, username: str, password: str | None = None):
    client = app.test_client()
    Auth(client).login(username, *([password] if password else []))
    return client


def _new_rows(scene: dict, chosen) -> dict[str, tuple[str, dict]]:
    """One new row of each kind, each form naming `chosen` as its agency."""
    return {
        "service": ("/admin/services/new", SERVICE | {"agency_id": chosen}),
        "counter": ("/admin/counters/new", {"number": "31", "name": "Loket Visa", "agency_id": chosen}),
        "user": (
            "/admin/users/new",
            {
                "username": "kepala.visa",
                "full_name": "Kepala Seksi Visa",
                "role": "admin",
                "password": PASSWORD,
                "password_confirm": PASSWORD,
                "agency_id": chosen,
            },
        ),
        "device": ("/admin/devices/new", {"kind": "kiosk", "name": "Kiosk Visa", "agency_id": chosen}),
        "holiday": ("/admin/holidays", {"day": "2026-12-31", "name": "Cuti Visa", "agency_id": chosen}),
    }


def _agencies_of_new_rows(app) -> dict[str, int | None]:
    with app.app_context():
        return {
            "service": db.session.query(Service).filter_by(code="V").one().agency_id,
            "counter": db.session.query(Counter).filter_by(name="Loket Visa").one().agency_id,
            "user": db.session.query(User).filter_by(username="kepala.visa").one().agency_id,
            "device": db.session.query(Device).filter_by(name="Kiosk Visa").one().agency_id,
            "holiday": db.session.query(Holiday).filter_by(name="Cuti Visa").one().agency_id,
        }


def test_a_site_administrator_chooses_the_agency_of_each_new_row(app, office):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _client(app, "admin")
    for kind, (path, form) in _new_rows(scene, str(scene["imigrasi"])).items():
        assert client.post(path, data=form).status_code in (200, 303), kind
    assert _agencies_of_new_rows(app) == dict.fromkeys(
        ("service", "counter", "user", "device", "holiday"), scene["imigrasi"]
    )
    # The new agency administrator manages that agency at once.
    assert _client(app, "kepala.visa", PASSWORD).get("/admin/services").status_code == 200


def test_a_site_administrator_s_empty_choice_is_the_site(app, office):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _client(app, "admin")
    rows = _new_rows(scene, "")
    for kind in ("user", "device", "holiday"):
        path, form = rows[kind]
        assert client.post(path, data=form).status_code in (200, 303), kind
    with app.app_context():
        assert db.session.query(User).filter_by(username="kepala.visa").one().agency_id is None
        assert db.session.query(Device).filter_by(name="Kiosk Visa").one().agency_id is None
        assert db.session.query(Holiday).filter_by(name="Cuti Visa").one().agency_id is None


@pytest.mark.parametrize("forged", ["disdik", "", "999999"], ids=["another agency", "the site", "unknown"])
def test_an_agency_administrator_s_forged_agency_is_ignored_their_rows_stay_their_agency_s(app, office, forged):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _client(app, IMIGRASI_ADMIN)
    forged = str(office.agency) if forged == "disdik" else forged
    for kind, (path, form) in _new_rows(scene, forged).items():
        assert client.post(path, data=form).status_code in (200, 303), kind
    kinds = ("service", "counter", "user", "device", "holiday")
    assert _agencies_of_new_rows(app) == dict.fromkeys(kinds, scene["imigrasi"])


@pytest.mark.parametrize("chosen", ["999999", "imigrasi", "not-a-number"])
def test_a_site_administrator_cannot_choose_an_unknown_or_inactive_agency(app, office, chosen):
    scene = build_second_agency(app, office, build_scene(app, office))
    if chosen == "imigrasi":
        with app.app_context():
            db.session.get(Agency, scene["imigrasi"]).deactivate()
            db.session.commit()
        chosen = str(scene["imigrasi"])
    client = _client(app, "admin")
    for kind, (path, form) in _new_rows(scene, chosen).items():
        response = client.post(f"{path}?lang=en", data=form)
        assert response.status_code == 400, (kind, response.status_code)
        assert "choose an active agency, or the site" in response.get_data(as_text=True), kind
    with app.app_context():
        assert db.session.query(Service).filter_by(code="V").first() is None
        assert db.session.query(User).filter_by(username="kepala.visa").first() is None


def test_a_counter_calls_only_services_of_its_own_agency(app, office):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _client(app, "admin")
    form = {
        "number": "31",
        "name": "Loket Visa",
        "agency_id": str(scene["imigrasi"]),
        f"order_{scene['service_m']}": "1",
        f"order_{scene['service_a']}": "2",  # Disdik's
    }
    response = client.post("/admin/counters/new?lang=en", data=form)
    assert response.status_code == 400
    assert "a counter serves only services of its own agency: A belong to another" in response.get_data(as_text=True)
    assert client.post("/admin/counters/new", data=form | {f"order_{scene['service_a']}": ""}).status_code == 303
    # Nor may an existing counter take another agency's service.
    with app.app_context():
        counter = db.session.query(Counter).filter_by(name="Loket Visa").one().id
    edit = {"number": "31", "name": "Loket Visa", f"order_{scene['service_a']}": "1"}
    assert client.post(f"/admin/counters/{counter}", data=edit).status_code == 400


def test_only_a_site_administrator_of_several_agencies_sees_the_agency_select(app, office):
    scene = build_scene(app, office)
    pages = ("/admin/services/new", "/admin/counters/new", "/admin/users/new", "/admin/devices/new", "/admin/settings")
    single = _client(app, "admin")  # one agency: nothing to choose, the rows keep their defaults
    assert not [page for page in pages if 'name="agency_id"' in single.get(page).get_data(as_text=True)]
    build_second_agency(app, office, scene)
    site, agency, supervisor = _client(app, "admin"), _client(app, IMIGRASI_ADMIN), _client(app, "supervisor")
    for page in pages:
        assert 'name="agency_id"' in site.get(page).get_data(as_text=True), page
        assert 'name="agency_id"' not in agency.get(page).get_data(as_text=True), page
        assert 'name="agency_id"' not in supervisor.get(page).get_data(as_text=True), page


def test_a_site_administrator_makes_an_agency_s_auditor_in_the_user_form(app, office):
    scene = build_second_agency(app, office, build_scene(app, office))
    client = _client(app, "admin")
    assert 'value="auditor"' in client.get("/admin/users/new").get_data(as_text=True)
    form = {
        "username": "inspektorat.imigrasi",
        "full_name": "Inspektorat Imigrasi",
        "role": "auditor",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "agency_id": str(scene["imigrasi"]),
    }
    assert client.post("/admin/users/new", data=form).status_code == 303
    auditor = _client(app, "inspektorat.imigrasi", PASSWORD)
    report = auditor.get("/reports/")
    assert report.status_code == 200 and "Paspor Baru" in report.get_data(as_text=True)
    assert "Legalisir Ijazah" not in report.get_data(as_text=True)
    assert auditor.get("/admin/users").status_code == 403
