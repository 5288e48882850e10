"""Helpers that set up an office and act as its people, through the same use cases the app runs."""

from __future__ import annotations

from werkzeug.security import generate_password_hash

from servicedesk.domain.model import Counter, Service, User
from servicedesk.extensions import db
from servicedesk.services import demo
from servicedesk.web.context import unit_of_work

# A cheap hash for the tests' logins; production uses Werkzeug's default (scrypt).
FAST_HASH = generate_password_hash(demo.DEMO_PASSWORD, method="pbkdf2:sha256:1000")


def helper_app(database_url: str, **config):
    """An in-process app on a live server's database, for setup and checks. It keeps no connection
    open between uses (NullPool), so a server process or a dropped test database never waits on it."""
    from sqlalchemy.pool import NullPool

    from servicedesk import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": NullPool},
            "SECRET_KEY": "e2e-secret",
            "REDIS_URL": None,
            "PUBLISH_COALESCE_SECONDS": 0,
            **config,
        }
    )


class OfficeBuilder:
    """The demo office, seeded open around the clock unless a test sets its hours."""

    def __init__(self, app, *, always_open: bool = True):
        self.app = app
        with app.app_context():
            demo.seed(unit_of_work(), always_open=always_open, password_hash=FAST_HASH)
            self.services = {s.code: s.id for s in db.session.query(Service)}
            self.counters = {c.number: c.id for c in db.session.query(Counter)}
            self.users = {u.username: u.id for u in db.session.query(User)}
            self.agency = db.session.query(Service).first().agency_id  # the demo's one agency

    def service(self, code: str) -> int:
        return self.services[code]

    def counter(self, number: int) -> int:
        return self.counters[number]

    def configure(self, **settings) -> None:
        """Change office settings, e.g. configure(priority_max_in_a_row=2)."""
        with self.app.app_context():
            uow = unit_of_work()
            office = uow.repo.office()
            for key, value in settings.items():
                setattr(office, key, value)
            uow.commit()

    def update_service(self, code: str, **fields) -> None:
        with self.app.app_context():
            uow = unit_of_work()
            service = uow.repo.service_by_code(code)
            for key, value in fields.items():
                setattr(service, key, value)
            uow.commit()


class Auth:
    """Logs the test client in as a demo person."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = demo.DEMO_PASSWORD):
        response = self.client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.json
        return response

    def logout(self):
        return self.client.post("/api/v1/auth/logout")

    def at_counter(self, username: str, counter_id: int):
        """Log in and open a counter, as an officer starting the day."""
        self.login(username)
        response = self.client.post(f"/api/v1/counters/{counter_id}/open")
        assert response.status_code == 200, response.json
        return response


# --- acting through the API, as the tests of the desk do ---


def issue(client, office: OfficeBuilder, code: str, **body) -> dict:
    """Take a ticket for a service by its code; it must be issued."""
    response = client.post("/api/v1/tickets", json={"service_id": office.service(code), **body})
    assert response.status_code == 201, response.json
    return response.json


def call_next(client, counter_id: int):
    return client.post(f"/api/v1/counters/{counter_id}/call-next")


def act(client, ticket_id: int, action: str, **body):
    return client.post(f"/api/v1/tickets/{ticket_id}/{action}", json=body)


def refused(response, status: int, code: str) -> bool:
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code, response.json
    return True
