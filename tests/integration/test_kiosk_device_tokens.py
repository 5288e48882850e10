"""In production only registered kiosks issue tickets (REQUIRE_DEVICE_TOKEN, on by default there):
anyone else on the network could otherwise drain the day's quota from a browser."""

from __future__ import annotations

import secrets

import pytest

from servicedesk.config import Config, SettingInvalid
from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.builders import OfficeBuilder
from tests.conftest import close_app, make_app
from tests.integration.test_kiosk import issue, kiosk_config, kiosk_says, kiosk_token

PRODUCTION = {
    "SERVICEDESK_ENV": "production",
    "SECRET_KEY": secrets.token_hex(32),
    "PUBLIC_URL": "https://antrean.example.go.id",
}


@pytest.fixture
def production(database_url, clock):
    app = make_app(database_url, clock, **PRODUCTION)
    yield app
    close_app(app, database_url)


def test_production_refuses_a_kiosk_without_a_device_token_and_writes_nothing(production):
    office, client = OfficeBuilder(production), production.test_client()
    assert production.config["REQUIRE_DEVICE_TOKEN"] is True
    response = issue(client, office.service("A"))
    assert response.status_code == 403
    assert response.json == {
        "error": {"code": "device_token_required", "message": "Tickets are issued only by a registered kiosk."}
    }
    assert kiosk_says(client, response) == "Anjungan ini belum terdaftar. Silakan minta bantuan petugas."
    with production.app_context():
        assert db.session.query(tables.tickets).count() == 0


def test_in_production_the_unregistered_kiosk_page_says_it_needs_setting_up(production):
    OfficeBuilder(production)
    config = kiosk_config(production.test_client())
    assert config["require_device_token"] is True  # the kiosk shows its set-up banner
    assert "belum terdaftar" in config["refusals"]["device_token_required"]


def test_in_production_a_registered_kiosk_issues(production):
    office, client = OfficeBuilder(production), production.test_client()
    response = issue(client, office.service("A"), headers={"X-Device-Token": kiosk_token(production)})
    assert response.status_code == 201 and response.json["number"] == "A001"


def test_production_may_turn_the_requirement_off_and_leave_it_to_the_office_setting(database_url, clock):
    app = make_app(database_url, clock, **PRODUCTION, REQUIRE_DEVICE_TOKEN="0")
    try:
        office, client = OfficeBuilder(app), app.test_client()
        assert issue(client, office.service("A")).status_code == 201
        office.configure(require_device_token=True)
        assert issue(client, office.service("A")).status_code == 403
    finally:
        close_app(app, database_url)


def test_development_and_tests_issue_from_a_plain_browser_unless_told_otherwise(client, office):
    assert client.application.config["REQUIRE_DEVICE_TOKEN"] is False
    assert issue(client, office.service("A")).status_code == 201
    development = Config({"SERVICEDESK_ENV": "development", "SECRET_KEY": PRODUCTION["SECRET_KEY"]})
    assert development.REQUIRE_DEVICE_TOKEN is False
    assert Config({"SERVICEDESK_ENV": "testing", "REQUIRE_DEVICE_TOKEN": "1"}).REQUIRE_DEVICE_TOKEN is True
    with pytest.raises(SettingInvalid):
        Config({"SERVICEDESK_ENV": "testing", "REQUIRE_DEVICE_TOKEN": "maybe"})


def test_the_settings_page_says_when_the_server_requires_registered_kiosks(production):
    from tests.builders import Auth
    from tests.integration.admin_pages import AdminPages

    OfficeBuilder(production)
    client = production.test_client()
    pages = AdminPages(client, Auth(client), production)
    pages.login("admin")
    assert "REQUIRE_DEVICE_TOKEN" in pages.html("/admin/settings?lang=en")
