"""Failed logins share one limit across the page and the API, per account and address, with a lock per address."""

from __future__ import annotations

import pytest

from tests.builders import OfficeBuilder
from tests.integration.test_officer_pages import page_login


@pytest.fixture
def limited(limited_app):
    OfficeBuilder(limited_app)
    return limited_app


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def api_login(client, username: str, password: str = "demo12345"):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_the_page_and_the_api_count_failures_of_one_account_together(limited):
    guesser = from_address(limited, "10.0.0.9")
    for _ in range(3):
        assert page_login(guesser, "siti", "wrong-password").status_code == 401
    for _ in range(2):
        assert api_login(guesser, "siti", "wrong-password").status_code == 401
    refused = api_login(guesser, "siti")
    assert refused.status_code == 429 and refused.json["error"]["code"] == "rate_limited"
    assert page_login(guesser, "siti").status_code == 429


def test_a_stranger_guessing_a_known_username_cannot_lock_the_officer_out(limited):
    stranger = from_address(limited, "10.0.0.66")
    for _ in range(5):
        assert api_login(stranger, "siti", "wrong-password").status_code == 401
    assert api_login(stranger, "siti").status_code == 429
    assert page_login(from_address(limited, "10.0.0.21"), "siti").status_code == 303  # siti's own PC


def test_an_address_that_guesses_many_accounts_is_locked(limited):
    guesser = from_address(limited, "10.0.0.77")
    for attempt in range(10):
        assert api_login(guesser, f"guess{attempt}", "x").status_code == 401
    assert page_login(guesser, "budi").status_code == 429
    assert api_login(from_address(limited, "10.0.0.22"), "budi").status_code == 200


def test_the_limits_grow_stricter_the_longer_the_guessing_goes_on(limited):
    assert limited.config.get("LOGIN_USER_RATE_LIMIT") is None  # the defaults below apply
    from servicedesk.web.login_limits import ACCOUNT_LIMIT

    assert ACCOUNT_LIMIT.split(";") == ["5 per minute", "20 per hour", "50 per day"]
