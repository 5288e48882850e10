"""Every session of a person dies at logout, password reset and deactivation, and stays dead at reactivation:
page cookies, API cookies and live Socket.IO connections alike."""

from __future__ import annotations

import pytest

from servicedesk.extensions import socketio
from tests.builders import Auth
from tests.integration.admin_pages import AdminPages
from tests.integration.test_officer_pages import csrf_from, page_login

NEW_PASSWORD = "kopi-tubruk-pagi-hari"


@pytest.fixture
def admin_pages(app, office):
    client = app.test_client()
    pages = AdminPages(client, Auth(client), app)
    pages.login("admin")
    return pages


def api_session(app, username: str):
    client = app.test_client()
    Auth(client).login(username)
    return client


def page_session(app, username: str):
    client = app.test_client()
    assert page_login(client, username).status_code == 303
    return client


def signed_in(client) -> bool:
    return client.get("/api/v1/auth/me").status_code == 200


def test_logging_out_on_one_device_ends_the_persons_sessions_on_every_device(app, office):
    console, phone = page_session(app, "siti"), api_session(app, "siti")
    other = api_session(app, "budi")
    console.post("/logout", data={"csrf_token": csrf_from(console, "/officer/")})
    assert not signed_in(phone)
    assert console.get("/officer/").status_code == 302
    assert signed_in(other)


def test_logging_out_through_the_api_ends_the_page_session_too(app, office):
    console, api = page_session(app, "siti"), api_session(app, "siti")
    assert api.post("/api/v1/auth/logout").status_code == 200
    assert console.get("/officer/").status_code == 302
    assert signed_in(page_session(app, "siti"))  # logging in again works


def test_a_password_reset_ends_every_session_of_that_person(app, office, admin_pages):
    console, api = page_session(app, "siti"), api_session(app, "siti")
    data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert admin_pages.post(f"/admin/users/{office.users['siti']}/password", data).status_code == 303
    assert not signed_in(api)
    assert console.get("/officer/").status_code == 302
    assert signed_in(admin_pages.client)  # the admin's own session goes on


def test_an_admin_resetting_their_own_password_keeps_this_session_and_ends_the_others(app, office, admin_pages):
    elsewhere = api_session(app, "admin")
    data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert admin_pages.post(f"/admin/users/{office.users['admin']}/password", data).status_code == 303
    assert signed_in(admin_pages.client)
    assert not signed_in(elsewhere)


def test_deactivation_ends_the_sessions_and_reactivation_does_not_revive_them(app, office, admin_pages):
    console, api = page_session(app, "budi"), api_session(app, "budi")
    path = f"/admin/users/{office.users['budi']}/active"
    assert admin_pages.post(path, {"active": "0"}).status_code == 303
    assert not signed_in(api)
    assert admin_pages.post(path, {"active": "1"}).status_code == 303
    assert not signed_in(api)
    assert console.get("/officer/").status_code == 302
    assert signed_in(api_session(app, "budi"))  # a new login works again


def test_a_cookie_without_the_session_generation_is_refused(app, office):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(office.users["admin"])  # the form of cookies before generations
        session["_fresh"] = True
    assert not signed_in(client)


def staff_socket(app, client):
    connection = socketio.test_client(app, flask_test_client=client)
    assert connection.is_connected()
    return connection


def test_a_staff_socket_is_dropped_at_logout_and_cannot_reconnect(app, office):
    client = api_session(app, "supervisor")
    connection = staff_socket(app, client)
    other = staff_socket(app, api_session(app, "siti"))
    copy = client.get_cookie("session").value
    client.post("/api/v1/auth/logout")
    assert not connection.is_connected()
    assert other.is_connected()
    client.set_cookie("session", copy)  # the cookie from before the logout, sent again
    assert not socketio.test_client(app, flask_test_client=client).is_connected()


def test_a_staff_socket_is_dropped_at_deactivation(app, office, admin_pages):
    connection = staff_socket(app, api_session(app, "agus"))
    admin_pages.post(f"/admin/users/{office.users['agus']}/active", {"active": "0"})
    assert not connection.is_connected()


def test_a_staff_socket_is_dropped_at_a_password_reset(app, office, admin_pages):
    connection = staff_socket(app, page_session(app, "dewi"))
    data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    admin_pages.post(f"/admin/users/{office.users['dewi']}/password", data)
    assert not connection.is_connected()


# --- the audit trail ---


def session_rows(app):
    return [(row.action, (row.after or {}).get("username")) for row in AdminPages(None, None, app).audit("session")]


def test_logins_failed_logins_and_logouts_are_in_the_audit_trail_without_any_password(app, office):
    client = app.test_client()
    Auth(client).login("siti")
    client.post("/api/v1/auth/logout")
    assert client.post("/api/v1/auth/login", json={"username": "siti", "password": "salah-sekali"}).status_code == 401
    assert client.post("/api/v1/auth/login", json={"username": "demo12345", "password": "x"}).status_code == 401
    assert session_rows(app) == [
        ("login", "siti"),
        ("logout", "siti"),
        ("login_failed", "siti"),
        ("login_failed", None),  # what was typed as an unknown username is not kept: it may be a password
    ]
    rows = AdminPages(None, None, app).audit("session")
    assert "salah-sekali" not in str([(r.before, r.after) for r in rows])
    assert all(r.after["address"] == "127.0.0.1" for r in rows)


def test_opening_and_closing_a_counter_is_in_the_audit_trail(app, client, office, auth):
    auth.at_counter("siti", office.counter(1))
    assert client.post(f"/api/v1/counters/{office.counter(1)}/close").status_code == 200
    rows = AdminPages(None, None, app).audit("counter")
    assert [(r.action, r.after["officer"], r.entity_id) for r in rows] == [
        ("open", "siti", office.counter(1)),
        ("close", "siti", office.counter(1)),
    ]


def test_the_audit_page_names_the_actions_in_indonesian(app, office, admin_pages):
    html = admin_pages.html("/admin/audit")
    assert "Masuk" in html  # the admin's own login
