"""The staff login page and the officer console's page routes: who gets in, and what the forms refuse."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

import pytest
from werkzeug.security import generate_password_hash

from servicedesk.domain.model import Counter, CounterStatus, User
from servicedesk.extensions import db

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(client, path: str) -> str:
    page = client.get(path)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def page_login(client, username: str, password: str = "demo12345", **extra):
    token = csrf_from(client, "/login")
    return client.post("/login", data={"csrf_token": token, "username": username, "password": password, **extra})


def console_data(response) -> dict:
    html = response.get_data(as_text=True)
    match = re.search(r'<script type="application/json" id="console-data">(.*?)</script>', html, re.S)
    assert match, "no console data on the page"
    return json.loads(match.group(1))


def counter_row(app, counter_id: int) -> Counter:
    with app.app_context():
        counter = db.session.get(Counter, counter_id)
        db.session.expunge(counter)
        return counter


def open_by_form(client, counter_id: int, token: str | None = None):
    token = token if token is not None else csrf_from(client, "/officer/")
    return client.post("/officer/counter", data={"csrf_token": token, "counter_id": counter_id})


# --- logging in ---


def test_the_console_sends_an_anonymous_visitor_to_the_login_page_and_back(client, office):
    response = client.get("/officer/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login?next=/officer/")
    login = page_login(client, "budi", next="/officer/")
    assert login.status_code == 303 and login.headers["Location"] == "/officer/"
    assert client.get("/officer/").status_code == 200


def test_the_login_page_speaks_indonesian_by_default(client, office):
    html = client.get("/login").get_data(as_text=True)
    assert "Masuk petugas" in html and 'name="csrf_token"' in html


def test_each_role_lands_on_its_own_screen(client, office):
    assert page_login(client, "siti").headers["Location"] == "/officer/"
    client.post("/logout", data={"csrf_token": csrf_from(client, "/officer/")})
    assert page_login(client, "supervisor").headers["Location"] == "/supervisor/"


@pytest.mark.parametrize(("username", "password"), [("siti", "wrong-password"), ("nobody", "demo12345")])
def test_a_wrong_username_or_password_is_refused(client, office, username, password):
    response = page_login(client, username, password)
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)
    assert client.get("/officer/").status_code == 302


def test_a_deactivated_officer_cannot_log_in(app, client, office):
    with app.app_context():
        db.session.get(User, office.users["agus"]).active = False
        db.session.commit()
    assert page_login(client, "agus").status_code == 401


def test_the_login_form_needs_its_csrf_token(client, office):
    response = client.post("/login", data={"username": "siti", "password": "demo12345"})
    assert response.status_code == 400
    assert client.get("/officer/").status_code == 302


def test_a_login_link_never_sends_the_officer_to_another_site(client, office):
    response = page_login(client, "siti", next="//evil.example/officer")
    assert response.headers["Location"] == "/officer/"


def test_the_page_session_is_permanent_with_the_configured_lifetime(app, client, office):
    response = page_login(client, "siti")
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=240)


def test_an_idle_session_expires_and_the_console_asks_for_a_login_again(app, client, office):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=1)
    page_login(client, "siti")
    assert client.get("/officer/").status_code == 200
    time.sleep(2.1)
    response = client.get("/officer/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logging_out_needs_the_csrf_token_and_ends_the_session(client, office):
    page_login(client, "siti")
    assert client.post("/logout").status_code == 400
    assert client.get("/officer/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_from(client, "/officer/")})
    assert client.get("/officer/").status_code == 302
    assert client.get("/api/v1/auth/me").status_code == 401


@pytest.fixture
def limited(limited_app):
    """The app with the login limits on (the `app` fixture turns limits off)."""
    return limited_app


def test_failed_logins_are_limited_per_username_even_with_the_right_password_afterwards(limited):
    from tests.builders import OfficeBuilder

    OfficeBuilder(limited)
    client = limited.test_client()
    for _ in range(5):
        assert page_login(client, "siti", "wrong-password").status_code == 401
    blocked = page_login(client, "siti")
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan gagal" in blocked.get_data(as_text=True)
    assert page_login(client, "budi").status_code == 303  # another name is not locked out


def test_successful_logins_do_not_use_up_the_limit(limited):
    from tests.builders import OfficeBuilder

    OfficeBuilder(limited)
    for _ in range(12):
        assert page_login(limited.test_client(), "siti").status_code == 303  # a new browser each time


def test_failed_logins_are_limited_per_address(limited):
    from tests.builders import OfficeBuilder

    OfficeBuilder(limited)
    client = limited.test_client()
    for attempt in range(10):
        assert page_login(client, f"guess{attempt}", "x").status_code == 401
    assert page_login(client, "siti").status_code == 429


# --- choosing the counter ---


def test_an_officer_without_a_counter_chooses_one_among_those_they_can_serve(client, office):
    page_login(client, "budi")  # A and E
    html = client.get("/officer/").get_data(as_text=True)
    assert "Di loket mana Anda bertugas hari ini?" in html
    buttons = dict(re.findall(r'data-counter="(\d)"\s*(disabled)?', html))
    assert buttons == {"1": "", "2": "", "3": "disabled", "4": ""}  # counter 3 serves C and D only


def test_choosing_a_counter_opens_it_for_the_officer_and_shows_the_console(app, client, office):
    page_login(client, "budi")
    response = open_by_form(client, office.counter(2))
    assert response.status_code == 303 and response.headers["Location"] == "/officer/"
    counter = counter_row(app, office.counter(2))
    assert (counter.status, counter.officer_id) == (CounterStatus.OPEN, office.users["budi"])
    console = client.get("/officer/")
    html = console.get_data(as_text=True)
    assert "Loket 2" in html and "Panggil berikutnya" in html
    data = console_data(console)
    assert data["counter"]["number"] == 2 and data["counter_service_ids"] == [office.service("A"), office.service("E")]
    assert data["competences"] == sorted([office.service("A"), office.service("E")])
    assert data["snapshot"]["kind"] == "staff"


def test_the_console_has_the_sop_of_every_service_and_the_tickets_waiting(client, office):
    client.post("/api/v1/tickets", json={"service_id": office.service("E")})
    page_login(client, "budi")
    open_by_form(client, office.counter(2))
    console = client.get("/officer/")
    html = console.get_data(as_text=True)
    assert "SOP/ULT/005/2024" in html and "Pencatatan pengaduan" in html and "Ijazah asli" in html
    waiting = [t["number"] for t in console_data(console)["snapshot"]["tickets"] if t["status"] == "waiting"]
    assert waiting == ["E001"]


def test_a_counter_taken_by_another_officer_cannot_be_chosen(app, client, office, auth):
    auth.at_counter("siti", office.counter(1))
    auth.logout()
    page_login(client, "budi")
    response = open_by_form(client, office.counter(1))
    assert response.status_code == 409
    assert "already opened by another officer" in response.get_data(as_text=True)
    assert counter_row(app, office.counter(1)).officer_id == office.users["siti"]


def test_choosing_a_counter_needs_the_csrf_token(app, client, office):
    page_login(client, "budi")
    assert open_by_form(client, office.counter(2), token="forged").status_code == 400
    assert counter_row(app, office.counter(2)).status == CounterStatus.CLOSED


def test_choosing_an_unknown_counter_is_a_404(client, office):
    page_login(client, "budi")
    assert open_by_form(client, 999).status_code == 404


def test_choosing_a_counter_needs_a_login(client, office):
    response = client.post("/officer/counter", data={"counter_id": office.counter(2)})
    assert response.status_code in (302, 400)  # no session: no CSRF token, and no officer either


def test_a_counter_on_break_shows_the_banner_and_comes_back_with_the_form(app, client, office):
    page_login(client, "budi")
    open_by_form(client, office.counter(2))
    assert client.post(f"/api/v1/counters/{office.counter(2)}/break").status_code == 200
    html = client.get("/officer/").get_data(as_text=True)
    assert re.search(r'<p id="break-banner" class="notice notice--warn"\s*>', html)
    assert open_by_form(client, office.counter(2)).status_code == 303
    assert counter_row(app, office.counter(2)).status == CounterStatus.OPEN


def test_a_supervisor_closing_the_counter_sends_the_officer_back_to_the_choice(client, office, auth):
    page_login(client, "budi")
    open_by_form(client, office.counter(2))
    other = client.application.test_client()
    Auth = type(auth)
    Auth(other).login("supervisor")
    assert other.post(f"/api/v1/counters/{office.counter(2)}/close").status_code == 200
    assert "Di loket mana Anda bertugas hari ini?" in client.get("/officer/").get_data(as_text=True)


# --- the supervisor's floor is for supervisors ---


def test_the_floor_sends_an_anonymous_visitor_to_the_login_page(client, office):
    response = client.get("/supervisor/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login?next=/supervisor/")


def test_an_officer_gets_403_on_the_floor(client, office):
    page_login(client, "siti")
    response = client.get("/supervisor/")
    assert response.status_code == 403
    assert "Halaman ini untuk supervisor dan admin." in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["supervisor", "admin"])
def test_supervisors_and_admins_see_the_floor(client, office, username):
    page_login(client, username)
    response = client.get("/supervisor/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Pemantauan supervisor" in html and 'id="floor-data"' in html


def test_a_new_password_hash_works_on_the_page_login(app, client, office):
    with app.app_context():
        db.session.get(User, office.users["dewi"]).password_hash = generate_password_hash(
            "baru-sekali-123", method="pbkdf2:sha256:1000"
        )
        db.session.commit()
    assert page_login(client, "dewi").status_code == 401
    assert page_login(client, "dewi", "baru-sekali-123").status_code == 303
