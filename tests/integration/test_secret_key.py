"""Production refuses a SECRET_KEY that others may know, and a cookie signed with the old default gets nobody in."""

from __future__ import annotations

import secrets
import stat

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from servicedesk import create_app
from servicedesk.signing_key import InsecureSecretKey, instance_key
from tests.conftest import close_app


def production_app(database_url: str, key: str | None):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SERVICEDESK_ENV": "production",
            "PUBLIC_URL": "https://antrean.example.go.id",
            "SECRET_KEY": key,
            "SOCKETIO_ASYNC_MODE": "threading",
            "REDIS_URL": None,
            "RATELIMIT_ENABLED": False,
        }
    )


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "dev-only-change-me",
        "change-me-to-a-long-random-string",
        "please-change-me-before-going-live-0123456789",
        "0123456789abcdef0123456789abcde",  # 31 bytes
        "a" * 64,
    ],
)
def test_production_refuses_to_start_with_a_missing_default_placeholder_or_short_key(sqlite_url, key):
    with pytest.raises(InsecureSecretKey) as refused:
        production_app(sqlite_url, key)
    assert "secrets.token_hex(32)" in str(refused.value)


def test_production_starts_with_a_random_key_of_32_bytes(sqlite_url):
    app = production_app(sqlite_url, secrets.token_hex(32))
    assert app.config["SERVICEDESK_ENV"] == "production"


def test_a_session_cookie_forged_with_the_old_default_key_gets_nobody_in(database_url):
    from tests.builders import OfficeBuilder

    app = production_app(database_url, secrets.token_hex(32))
    try:
        office = OfficeBuilder(app)
        forger = Flask("forger")
        forger.secret_key = "dev-only-change-me"
        serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
        forged = serializer.dumps({"_user_id": str(office.users["admin"]), "_fresh": True})
        client = app.test_client()
        client.set_cookie("session", forged)
        assert client.get("/api/v1/auth/me").status_code == 401
        assert client.get("/admin/").status_code == 302  # to the login page
    finally:
        close_app(app, database_url)


def test_a_development_install_keeps_a_key_of_its_own_readable_by_its_owner_only(tmp_path):
    key = instance_key(tmp_path)
    assert len(key) == 64
    assert instance_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
