"""Schemathesis against /api/v1/openapi.json: no 5xx, and every answer matches the documented schema,
for an anonymous visitor and for a logged-in supervisor, on every database."""

import schemathesis
from hypothesis import HealthCheck, given, settings

from servicedesk.services import demo

BOUNDED = settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def check_every_operation(app, headers: dict | None = None) -> int:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @BOUNDED
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=headers)

        check()
        checked += 1
    return checked


def test_the_api_answers_anonymous_callers_as_documented(app, office):
    assert check_every_operation(app) >= 20


def test_the_api_answers_a_supervisor_as_documented(app, office):
    client = app.test_client()
    client.post("/api/v1/auth/login", json={"username": "supervisor", "password": demo.DEMO_PASSWORD})
    cookie = f"session={client.get_cookie('session').value}"
    assert check_every_operation(app, {"Cookie": cookie}) >= 20
