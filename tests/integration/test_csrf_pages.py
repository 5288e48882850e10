"""Form tokens live for the working session; a stale one gets a readable page that leads back, never a raw 400."""

from __future__ import annotations

from datetime import timedelta

from servicedesk.web.csrf_page import back_path
from tests.integration.test_officer_pages import csrf_from, page_login


def test_a_form_token_has_no_time_limit_of_its_own(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_a_console_open_all_day_can_still_log_out(app, client, office, clock):
    page_login(client, "siti")
    token = csrf_from(client, "/officer/")
    clock.advance(hours=9)  # the console's page stays open; requests keep the session alive
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=12)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303


def test_a_form_from_before_the_logout_gets_an_indonesian_page_leading_back(app, client, office):
    page_login(client, "siti")
    stale = csrf_from(client, "/officer/")
    client.post("/logout", data={"csrf_token": stale})
    page_login(client, "siti")
    response = client.post(
        "/officer/counter",
        data={"csrf_token": stale, "counter_id": office.counter(1)},
        headers={"Referer": "http://localhost/officer/?tab=queue"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Halaman sudah kedaluwarsa" in html
    assert 'href="/officer/?tab=queue"' in html


def test_a_missing_token_on_the_admin_pages_gets_the_same_page(client, auth, office):
    auth.login("admin")
    response = client.post(f"/admin/services/{office.service('C')}/active", data={"active": "0"})
    assert response.status_code == 400
    assert "Halaman sudah kedaluwarsa" in response.get_data(as_text=True)


def test_the_way_back_stays_on_this_site():
    assert back_path("http://loket.local/officer/", "loket.local") == "/officer/"
    assert back_path("https://evil.example/officer/", "loket.local") == "/"
    assert back_path("http://loket.local//evil.example/", "loket.local") == "/"
    assert back_path("javascript:alert(1)", "loket.local") == "/"
    assert back_path(None, "loket.local") == "/"


def test_the_api_answers_a_failed_token_in_its_json_format(app):
    from flask_wtf.csrf import CSRFError

    from servicedesk.web.csrf_page import form_expired

    with app.test_request_context("/api/v1/counters/1/open", method="POST"):
        response = form_expired(CSRFError("The CSRF token is missing."))
    assert response.status_code == 400 and response.json["error"]["code"] == "csrf_failed"
