"""Issuing keeps the office, holidays and services for a moment; a change must still take effect."""

import time
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from servicedesk.domain.model import Holiday
from servicedesk.extensions import db
from servicedesk.persistence.settings_cache import SettingsCache
from servicedesk.web.context import unit_of_work
from tests.builders import OfficeBuilder, issue, refused
from tests.conftest import close_app, make_app


@pytest.fixture
def keeping_app(database_url, clock):
    """Settings kept for a whole minute, longer than any test here runs."""
    app = make_app(database_url, clock, SETTINGS_CACHE_SECONDS=60)
    yield app
    close_app(app, database_url)


def another_process(database_url: str, statement: str) -> None:
    """A change the app's process did not make (another server, a CLI command, a DBA)."""
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def take(client, office, code="A"):
    return client.post("/api/v1/tickets", json={"service_id": office.service(code)})


def test_a_service_closed_by_this_process_refuses_the_next_ticket_at_once(keeping_app):
    office = OfficeBuilder(keeping_app)
    client = keeping_app.test_client()
    issue(client, office, "A")  # the service is now kept
    office.update_service("A", active=False)
    assert refused(take(client, office), 409, "service_inactive")


def test_office_settings_changed_by_this_process_apply_to_the_next_ticket(keeping_app):
    office = OfficeBuilder(keeping_app)
    client = keeping_app.test_client()
    issue(client, office, "A")
    office.configure(require_device_token=True)
    assert refused(take(client, office), 403, "device_token_required")


def test_a_holiday_added_by_this_process_closes_issuing_at_once(keeping_app, clock):
    office = OfficeBuilder(keeping_app, always_open=False)
    client = keeping_app.test_client()
    issue(client, office, "A")  # Monday morning: open
    with keeping_app.app_context():
        uow = unit_of_work()
        uow.repo.add(Holiday(day=date(2026, 11, 2), name="Libur"))
        uow.commit()
    assert refused(take(client, office), 409, "holiday")


def test_a_change_that_is_rolled_back_leaves_the_kept_settings_alone(keeping_app):
    office = OfficeBuilder(keeping_app)
    client = keeping_app.test_client()
    issue(client, office, "A")
    with keeping_app.app_context():
        uow = unit_of_work()
        uow.repo.service(office.service("A")).active = False
        db.session.flush()
        uow.rollback()
    issue(client, office, "A")


def test_a_change_by_another_process_applies_once_the_kept_copy_expires(database_url, clock):
    app = make_app(database_url, clock, SETTINGS_CACHE_SECONDS=0.5)
    try:
        office = OfficeBuilder(app)
        client = app.test_client()
        issue(client, office, "B")
        another_process(database_url, f"UPDATE services SET active = false WHERE id = {office.service('B')}")
        time.sleep(0.6)
        assert refused(take(client, office, "B"), 409, "service_inactive")
    finally:
        close_app(app, database_url)


def test_the_cache_reads_once_within_its_time_and_again_after_it():
    cache, loads = SettingsCache(0.2), []
    load = lambda: loads.append(1) or len(loads)  # noqa: E731
    assert cache.get("office", load) == 1
    assert cache.get("office", load) == 1
    time.sleep(0.25)
    assert cache.get("office", load) == 2
    cache.clear()
    assert cache.get("office", load) == 3
    assert SettingsCache(0).get("office", load) == 4  # 0: no keeping at all


def test_opening_hours_changed_by_this_process_apply_to_the_next_ticket(keeping_app):
    office = OfficeBuilder(keeping_app)
    client = keeping_app.test_client()
    issue(client, office, "A")  # the office's calendar, parsed, is now kept
    office.configure(opening_hours={})  # closed every day
    assert refused(take(client, office), 409, "closed_today")


def test_opening_hours_changed_by_another_process_apply_once_the_kept_office_expires(database_url, clock):
    app = make_app(database_url, clock, SETTINGS_CACHE_SECONDS=0.5)
    try:
        office = OfficeBuilder(app)
        client = app.test_client()
        issue(client, office, "B")
        another_process(database_url, "UPDATE office SET opening_hours = '{}'")
        time.sleep(0.6)
        assert refused(take(client, office, "B"), 409, "closed_today")
    finally:
        close_app(app, database_url)


def test_a_value_derived_from_kept_ones_is_built_again_when_one_of_them_is_reloaded():
    cache, built = SettingsCache(60), []
    build = lambda: built.append(1) or len(built)  # noqa: E731
    office = cache.get("office", lambda: object())
    assert cache.derived("policy", (cache.kept("office"),), build) == 1
    assert cache.derived("policy", (office,), build) == 1
    cache.clear()
    reloaded = cache.get("office", lambda: object())
    assert cache.derived("policy", (reloaded,), build) == 2
    assert cache.derived("policy", (None,), build) == 3  # nothing kept: built every time
    assert cache.derived("policy", (None,), build) == 4


def test_while_one_request_loads_an_expired_setting_again_the_others_keep_the_old_copy():
    cache = SettingsCache(0.05)
    cache.get("office", lambda: "old")
    time.sleep(0.06)
    meanwhile = []

    def load():  # another request asks while this one loads
        meanwhile.append(cache.get("office", lambda: "loaded twice"))
        return "new"

    assert cache.get("office", load) == "new"
    assert meanwhile == ["old"]
    assert cache.get("office", lambda: "loaded twice") == "new"
    cache.clear()
    assert cache.get("office", lambda: "after a change") == "after a change"  # a change is never waited out


def statements_of(app, request, *, created: bool = False) -> list[str]:
    """The SQL one request sends, lower-cased."""
    from sqlalchemy import event

    sent: list[str] = []

    def note(conn, cursor, statement, *_):
        sent.append(statement.lower())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        response = request()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == (201 if created else 200), response.status_code
    return sent


@pytest.mark.parametrize("path", ["/api/v1/services", "/api/v1/services/{A}"])
def test_the_kiosks_service_list_reads_the_office_and_holidays_as_kept_not_per_request(keeping_app, path):
    office = OfficeBuilder(keeping_app)
    client = keeping_app.test_client()
    url = path.format(A=office.service("A"))
    statements_of(keeping_app, lambda: client.get(url))  # the first request keeps them
    again = statements_of(keeping_app, lambda: client.get(url))
    assert not [s for s in again if "from office" in s or "from holidays" in s], again


def test_issuing_and_the_line_it_publishes_read_the_office_as_kept_not_per_ticket(keeping_app):
    office = OfficeBuilder(keeping_app)
    client = keeping_app.test_client()
    service_id = office.service("A")
    issue(client, office, "A")  # the first ticket keeps the settings
    sent = statements_of(
        keeping_app, lambda: client.post("/api/v1/tickets", json={"service_id": service_id}), created=True
    )
    assert not [s for s in sent if "from office" in s or "from holidays" in s or "from services" in s], sent


def test_a_holiday_added_by_this_process_shows_on_the_kiosks_start_screen_at_once(keeping_app):
    OfficeBuilder(keeping_app)
    client = keeping_app.test_client()
    assert all(s["refusal"] is None for s in client.get("/api/v1/services").json)
    with keeping_app.app_context():
        uow = unit_of_work()
        uow.repo.add(Holiday(day=date(2026, 11, 2), name="Libur"))
        uow.commit()
    assert {s["refusal"]["code"] for s in client.get("/api/v1/services").json} == {"holiday"}


@pytest.mark.parametrize("path", ["/display/announcement?number=A001&counter=1", "/display/info"])
def test_what_every_display_asks_for_reads_the_office_as_kept(keeping_app, path):
    OfficeBuilder(keeping_app)
    client = keeping_app.test_client()
    statements_of(keeping_app, lambda: client.get(path))
    again = statements_of(keeping_app, lambda: client.get(path))
    assert not [s for s in again if "from office" in s], again
