"""Every link that leaves the building starts with PUBLIC_URL, whatever host the kiosk asked through."""

import secrets

import pytest

from servicedesk import create_app
from servicedesk.config import SettingInvalid
from tests.builders import OfficeBuilder
from tests.conftest import close_app, make_app

PUBLIC = "https://antrean.example.go.id"


@pytest.fixture
def public_app(database_url, clock):
    app = make_app(database_url, clock, PUBLIC_URL=PUBLIC + "/")
    yield app
    close_app(app, database_url)


def test_the_slip_and_the_issuing_answer_link_to_the_public_address(public_app):
    office = OfficeBuilder(public_app)
    client = public_app.test_client()
    # The kiosk reaches the server by its LAN name; the phone outside must get the public address.
    issued = client.post(
        "/api/v1/tickets", json={"service_id": office.service("A")}, base_url="http://mini-pc.lan:8000"
    ).json
    assert issued["status_url"] == f"{PUBLIC}/api/v1/tickets/{issued['token']}"
    slip = client.get(f"/kiosk/tickets/{issued['token']}/slip", base_url="http://mini-pc.lan:8000").get_data(
        as_text=True
    )
    assert f"{PUBLIC}/t/{issued['token']}" in slip
    assert "mini-pc.lan" not in slip


def test_without_a_public_url_development_uses_the_requests_host(client, office):
    issued = client.post(
        "/api/v1/tickets", json={"service_id": office.service("A")}, base_url="http://mini-pc.lan:8000"
    ).json
    assert issued["status_url"] == f"http://mini-pc.lan:8000/api/v1/tickets/{issued['token']}"


def test_production_refuses_to_start_without_a_valid_public_url(database_url):
    with pytest.raises(SettingInvalid, match="required in production"):
        create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database_url,
                "SERVICEDESK_ENV": "production",
                "SECRET_KEY": secrets.token_hex(32),
            }
        )
    with pytest.raises(SettingInvalid, match="absolute http"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "PUBLIC_URL": "antrean.example.go.id"})
