"""Counters and people on the administration pages: valid saves, refusals with their messages, roles, audit."""

from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash

from servicedesk.domain.model import Counter, CounterStatus, Role, User
from servicedesk.extensions import db
from tests.integration.admin_pages import AdminPages, field_error


@pytest.fixture
def pages(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    return pages


def counter_by_number(app, number: int) -> tuple[Counter | None, list[str]]:
    with app.app_context():
        counter = db.session.query(Counter).filter_by(number=number).first()
        if counter is None:
            return None, []
        codes = [s.code for s in counter.services]
        db.session.expunge(counter)
        return counter, codes


def user_named(app, username: str) -> tuple[User | None, list[str]]:
    with app.app_context():
        user = db.session.query(User).filter_by(username=username).first()
        if user is None:
            return None, []
        codes = [s.code for s in user.competences]
        db.session.expunge(user)
        return user, codes


# --- counters ---


def test_an_admin_creates_a_counter_with_its_services_in_calling_order(pages, app, office):
    data = {
        "number": "5",
        "name": "Loket Prioritas",
        "area": "Lantai 1",
        f"order_{office.service('E')}": "1",
        f"order_{office.service('A')}": "2",
    }
    assert pages.post("/admin/counters/new", data).status_code == 303
    counter, codes = counter_by_number(app, 5)
    assert counter.name == "Loket Prioritas" and counter.area == "Lantai 1" and codes == ["E", "A"]
    assert counter.status == CounterStatus.CLOSED
    [entry] = pages.audit("counter")
    assert entry.action == "create" and entry.after == {
        "number": 5,
        "name": "Loket Prioritas",
        "area": "Lantai 1",
        "services": ["E", "A"],
        "call_order": "oldest",
    }


def test_a_counter_without_a_name_is_called_loket_and_its_number(pages, app):
    pages.post("/admin/counters/new", {"number": "7"})
    counter, codes = counter_by_number(app, 7)
    assert counter.name == "Loket 7" and codes == []


def test_editing_a_counter_reorders_its_services_and_records_before_and_after(pages, app, office):
    data = {
        "number": "1",
        "name": "Loket 1",
        "area": "",
        f"order_{office.service('B')}": "1",
        f"order_{office.service('A')}": "2",
        f"order_{office.service('C')}": "3",
    }
    assert pages.post(f"/admin/counters/{office.counter(1)}", data).status_code == 303
    _, codes = counter_by_number(app, 1)
    assert codes == ["B", "A", "C"]
    [entry] = pages.audit("counter")
    assert entry.action == "update" and entry.before["services"] == ["A", "B"]
    assert entry.after["services"] == ["B", "A", "C"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"number": "2"}, "number", "counter 2 exists already"),
        ({"number": "x"}, "number", "must be a whole number"),
        ({"number": "0"}, "number", "must be between 1 and 999"),
        ({"number": ""}, "number", "is required"),
        ({"number": "9", "name": "L" * 101}, "name", "at most 100 characters"),
        ({"number": "9", "order_SERVICE_A": "first"}, "services", "order numbers are whole numbers from 1"),
        ({"number": "9", "order_SERVICE_A": "1", "order_SERVICE_B": "1"}, "services", "each order number"),
    ],
)
def test_each_invalid_counter_input_is_refused_with_its_message(pages, app, office, data, field, message):
    data = {
        k.replace("SERVICE_A", str(office.service("A"))).replace("SERVICE_B", str(office.service("B"))): v
        for k, v in data.items()
    }
    response = pages.post("/admin/counters/new?lang=en", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    shown = field_error(html, f"f-{field}")
    assert message in shown
    assert counter_by_number(app, 9)[0] is None and pages.audit("counter") == []


def test_a_supervisor_reads_counters_but_cannot_change_them(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    assert "Loket 1" in pages.html("/admin/counters")
    assert pages.post("/admin/counters/new", {"number": "8"}).status_code == 403
    assert pages.post(f"/admin/counters/{office.counter(1)}", {"number": "11"}).status_code == 403
    assert counter_by_number(app, 8)[0] is None and counter_by_number(app, 1)[0] is not None


# --- people ---

NEW_OFFICER = {
    "username": "rina",
    "full_name": "Rina Marlina",
    "role": "officer",
    "password": "rahasia-rina",
    "password_confirm": "rahasia-rina",
}


def test_an_admin_creates_an_officer_who_can_then_log_in(pages, app, office):
    data = {**NEW_OFFICER, "competences": [str(office.service("A")), str(office.service("C"))]}
    assert pages.post("/admin/users/new", data).status_code == 303
    user, codes = user_named(app, "rina")
    assert user.full_name == "Rina Marlina" and user.role == Role.OFFICER and codes == ["A", "C"]
    assert check_password_hash(user.password_hash, "rahasia-rina")
    [entry] = pages.audit("user")
    assert entry.action == "create" and entry.after["competences"] == ["A", "C"]
    assert "password" not in entry.after and "rahasia" not in str(entry.after)
    pages.auth.logout()
    assert (
        pages.client.post("/api/v1/auth/login", json={"username": "rina", "password": "rahasia-rina"}).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "siti", "this username is taken"),
        ("username", "R", "3 to 64 characters"),
        ("username", "rina marlina", "3 to 64 characters"),
        ("full_name", "", "is required"),
        ("full_name", "R" * 201, "at most 200 characters"),
        ("role", "boss", "choose one of the options"),
        ("password", "short", "at least 8 characters"),
        ("password", "password", "too common or too easy to guess"),
        ("password", "12345678", "too common or too easy to guess"),
        ("password_confirm", "rahasia-lain", "the two passwords differ"),
    ],
)
def test_each_invalid_user_input_is_refused_with_its_message(pages, app, field, value, message):
    response = pages.post("/admin/users/new?lang=en", {**NEW_OFFICER, field: value})
    assert response.status_code == 400
    assert message in field_error(response.get_data(as_text=True), f"f-{field}")
    assert pages.audit("user") == []
    if field != "username":
        assert user_named(app, "rina")[0] is None


def test_a_refused_form_never_sends_the_password_back(pages):
    html = pages.post("/admin/users/new", {**NEW_OFFICER, "full_name": ""}).get_data(as_text=True)
    assert "rahasia-rina" not in html


def test_an_admin_changes_role_and_competences_and_the_audit_row_shows_both(pages, app, office):
    data = {"full_name": "Siti Aminah", "role": "supervisor", "competences": [str(office.service("E"))]}
    assert pages.post(f"/admin/users/{office.users['siti']}", data).status_code == 303
    user, codes = user_named(app, "siti")
    assert user.role == Role.SUPERVISOR and codes == ["E"]
    [entry] = pages.audit("user")
    assert entry.before["role"] == "officer" and entry.after["role"] == "supervisor"
    assert entry.before["competences"] == ["A", "B"] and entry.after["competences"] == ["E"]


def test_a_deactivated_officer_cannot_log_in_but_keeps_their_history(pages, app, office, client):
    response = pages.post(f"/admin/users/{office.users['budi']}/active", {"active": "0"})
    assert response.status_code == 303
    user, _ = user_named(app, "budi")
    assert user is not None and user.active is False
    [entry] = pages.audit("user")
    assert entry.action == "deactivate" and entry.before["active"] is True and entry.after["active"] is False
    assert client.post("/api/v1/auth/login", json={"username": "budi", "password": "demo12345"}).status_code == 401


def test_deactivating_an_officer_closes_the_counter_they_sit_at(client, auth, app, office):
    auth.at_counter("agus", office.counter(3))
    auth.logout()
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    pages.post(f"/admin/users/{office.users['agus']}/active", {"active": "0"})
    counter, _ = counter_by_number(app, 3)
    assert counter.status == CounterStatus.CLOSED and counter.officer_id is None


def test_an_admin_cannot_deactivate_themselves_or_demote_the_last_admin(pages, app, office):
    pages.post(f"/admin/users/{office.users['admin']}/active", {"active": "0"})
    assert user_named(app, "admin")[0].active
    response = pages.post(
        f"/admin/users/{office.users['admin']}?lang=en", {"full_name": "Administrator", "role": "officer"}
    )
    assert response.status_code == 400
    assert "at least one active admin" in field_error(response.get_data(as_text=True), "f-role")
    assert user_named(app, "admin")[0].role == Role.ADMIN and pages.audit("user") == []


def test_resetting_a_password_lets_the_person_log_in_with_the_new_one_and_is_audited(pages, app, office, client):
    response = pages.post(
        f"/admin/users/{office.users['dewi']}/password",
        {"password": "baru-sekali", "password_confirm": "baru-sekali"},
    )
    assert response.status_code == 303
    user, _ = user_named(app, "dewi")
    assert check_password_hash(user.password_hash, "baru-sekali")
    [entry] = pages.audit("user")
    assert entry.action == "reset_password" and "baru-sekali" not in str(entry.before) + str(entry.after)
    refused = pages.post(
        f"/admin/users/{office.users['dewi']}/password?lang=en", {"password": "pendek", "password_confirm": "pendek"}
    )
    assert refused.status_code == 400
    assert "at least 8 characters" in field_error(refused.get_data(as_text=True), "f-password")


def test_a_reset_to_a_common_password_or_the_username_is_refused_in_indonesian(pages, app, office):
    path = f"/admin/users/{office.users['dewi']}/password"
    common = pages.post(path, {"password": "password1", "password_confirm": "password1"})
    assert common.status_code == 400
    assert "terlalu umum" in field_error(common.get_data(as_text=True), "f-password")
    pages.post(path, {"password": "dewidewi", "password_confirm": "dewidewi"})
    assert pages.audit("user") == []


def test_a_supervisor_may_not_create_users_or_reset_passwords(client, auth, app, office):
    pages = AdminPages(client, auth, app)
    pages.login("supervisor")
    assert "siti" in pages.html("/admin/users")
    assert pages.post("/admin/users/new", NEW_OFFICER).status_code == 403
    assert client.get(f"/admin/users/{office.users['siti']}/password").status_code == 403
    assert pages.post(f"/admin/users/{office.users['siti']}/active", {"active": "0"}).status_code == 403
    assert user_named(app, "rina")[0] is None and user_named(app, "siti")[0].active and pages.audit() == []
