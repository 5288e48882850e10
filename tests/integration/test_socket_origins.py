"""Socket.IO accepts connections only from the configured public origin(s), or by default from the
page's own origin: a page on another site cannot open a socket with an officer's cookie."""

from __future__ import annotations

import pytest

from servicedesk.config import origin_list
from tests.conftest import close_app, make_app

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def handshake(client, origin: str | None, **headers):
    if origin:
        headers["Origin"] = origin
    return client.get(HANDSHAKE, headers=headers)


def accepted(response) -> bool:
    return response.status_code == 200 and b'"sid"' in response.data


@pytest.fixture
def public_app(database_url, clock):
    app = make_app(database_url, clock, ALLOWED_ORIGINS="https://antrean.example.go.id/, https://mpp.example.go.id")
    yield app
    close_app(app, database_url)


def test_by_default_only_the_pages_own_origin_connects(client):
    assert accepted(handshake(client, "http://localhost"))
    refused = handshake(client, "https://evil.example")
    assert refused.status_code == 400 and b"Not an accepted origin" in refused.data


def test_a_client_without_an_origin_is_no_browser_page_and_connects(client):
    assert accepted(handshake(client, None))


def test_the_configured_public_origins_connect_and_no_other(public_app):
    client = public_app.test_client()
    assert accepted(handshake(client, "https://antrean.example.go.id"))
    assert accepted(handshake(client, "https://mpp.example.go.id"))
    assert handshake(client, "https://evil.example").status_code == 400
    # The Host header (or X-Forwarded-Host) no longer decides: only the list does.
    assert handshake(client, "https://evil.example", Host="evil.example").status_code == 400
    assert handshake(client, "http://localhost").status_code == 400


def test_origins_are_read_from_a_comma_separated_setting():
    assert origin_list(" https://a.example/ ,https://b.example:8443,") == [
        "https://a.example",
        "https://b.example:8443",
    ]
    assert origin_list("") == [] and origin_list(None) == []
