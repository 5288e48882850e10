"""Every error path of the API answers JSON {"error": {"code", "message"}} with the right status."""

import pytest

from servicedesk.config import database_url as normalized_url
from servicedesk.config import engine_options
from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.builders import OfficeBuilder
from tests.conftest import close_app, make_app


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.data[:300])
    assert response.is_json, response.data[:200]
    error = response.json["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('{"service_id": ', "malformed_json"),
        ("null", "validation_error"),
        ("[1, 2]", "validation_error"),
        ('"text"', "validation_error"),
        ("{}", "validation_error"),
        ('{"service_id": "1"}', "validation_error"),
        ('{"service_id": 1.5}', "validation_error"),
        ('{"service_id": true}', "validation_error"),
        ('{"service_id": -3}', "validation_error"),
        ('{"service_id": 99999999999999999999}', "validation_error"),
        ('{"service_id": 1, "priority": "yes please"}', "validation_error"),
        ('{"service_id": 1, "colour": "red"}', "validation_error"),
    ],
)
def test_bad_ticket_bodies_are_refused_with_a_json_error(client, office, body, code):
    response = client.post("/api/v1/tickets", data=body, content_type="application/json")
    assert_error(response, 400 if code == "malformed_json" else 422, code)
    with client.application.app_context():
        assert db.session.query(tables.tickets).count() == 0


def test_a_validation_error_names_the_field(client, office):
    error = assert_error(client.post("/api/v1/tickets", json={"service_id": "x"}), 422, "validation_error")
    assert "service_id" in error["message"]
    assert "service_id" in error["details"]["fields"]


def test_an_oversized_body_is_413(client, office):
    response = client.post("/api/v1/tickets", data="{" + " " * 70_000 + "}", content_type="application/json")
    assert_error(response, 413, "payload_too_large")


def test_a_form_encoded_body_is_refused(client, office):
    response = client.post("/api/v1/tickets", data={"service_id": office.service("A")})
    assert_error(response, 415, "unsupported_media_type")


def test_an_unknown_service_is_404(client, office):
    assert_error(client.post("/api/v1/tickets", json={"service_id": 424242}), 404, "not_found")


def test_an_unknown_route_under_the_api_is_a_json_404(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")


def test_a_wrong_method_is_a_json_405(client):
    assert_error(client.delete("/api/v1/services"), 405, "method_not_allowed")


def test_an_unknown_ticket_token_is_404(client, office):
    assert_error(client.get("/api/v1/tickets/doesnotexist"), 404, "not_found")


def test_an_unknown_counter_is_404_for_an_officer(client, office, auth):
    auth.login("siti")
    assert_error(client.post("/api/v1/counters/9999/open"), 404, "not_found")
    assert_error(client.post("/api/v1/counters/9999/call-next"), 404, "not_found")


def test_a_wrong_password_is_401_and_says_nothing_about_which_part(client, office):
    wrong_password = client.post("/api/v1/auth/login", json={"username": "siti", "password": "nope"})
    unknown_user = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "nope"})
    assert assert_error(wrong_password, 401, "unauthorized") == assert_error(unknown_user, 401, "unauthorized")


def test_a_deactivated_officer_cannot_log_in(client, office):
    with client.application.app_context():
        db.session.execute(tables.users.update().where(tables.users.c.username == "siti").values(active=False))
        db.session.commit()
    response = client.post("/api/v1/auth/login", json={"username": "siti", "password": "demo12345"})
    assert_error(response, 401, "unauthorized")


def test_a_transfer_without_a_target_is_422(client, office, auth):
    auth.login("supervisor")
    ticket = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    assert_error(client.post(f"/api/v1/tickets/{ticket['id']}/transfer", json={}), 422, "validation_error")
    assert_error(client.post(f"/api/v1/tickets/{ticket['id']}/transfer", json={"to_service_id": 777}), 404, "not_found")


def test_the_openapi_document_describes_the_api(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/v1/services",
        "/api/v1/tickets",
        "/api/v1/tickets/{token}",
        "/api/v1/auth/login",
        "/api/v1/counters/{counter_id}/call-next",
        "/api/v1/tickets/{ticket_id}/finish",
        "/api/v1/queue",
    ):
        assert path in paths, path
    issue = paths["/api/v1/tickets"]["post"]
    assert "201" in issue["responses"] and "409" in issue["responses"]
    assert any(p["name"] == "Idempotency-Key" for p in issue.get("parameters", []))
    assert "Error" in str(spec["components"]["schemas"]) or "ErrorSchema" in spec["components"]["schemas"]


def test_failed_api_logins_are_limited_per_username_with_a_json_429(limited_app):
    from tests.builders import OfficeBuilder

    OfficeBuilder(limited_app)
    client = limited_app.test_client()
    for _ in range(5):
        assert client.post("/api/v1/auth/login", json={"username": "siti", "password": "wrong"}).status_code == 401
    blocked = client.post("/api/v1/auth/login", json={"username": "siti", "password": "demo12345"})
    error = assert_error(blocked, 429, "rate_limited")
    assert "Retry-After" in blocked.headers or error["message"]
    other = client.post("/api/v1/auth/login", json={"username": "budi", "password": "demo12345"})
    assert other.status_code == 200  # the limit is per username, and successes do not count


def test_a_nul_character_in_a_body_is_refused_by_validation_before_the_database(client, office):
    response = client.post("/api/v1/auth/login", json={"username": "siti\x00", "password": "x"})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_error"
    assert response.json["error"]["details"]["fields"] == {"username": ["Must not contain a NUL character."]}


@pytest.fixture
def one_connection_app(database_url, clock):
    """An app whose pool holds one connection and waits a fifth of a second for it."""
    options = engine_options(normalized_url(database_url)) | {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2}
    app = make_app(database_url, clock, SQLALCHEMY_ENGINE_OPTIONS=options)
    yield app
    close_app(app, database_url)


def test_a_request_that_finds_no_free_database_connection_is_a_503_that_writes_nothing(one_connection_app):
    office = OfficeBuilder(one_connection_app)
    client = one_connection_app.test_client()
    body = {"service_id": office.service("A")}
    with one_connection_app.app_context():
        held = db.engine.connect()  # a long report, say, holds the pool's only connection
        try:
            error = assert_error(client.post("/api/v1/tickets", json=body), 503, "busy")
            assert "try again" in error["message"]
        finally:
            held.close()
        assert db.session.query(tables.tickets).count() == 0
        db.session.remove()
    assert client.post("/api/v1/tickets", json=body).json["number"] == "A001"
