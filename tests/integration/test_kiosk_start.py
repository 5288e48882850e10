"""The kiosk's start screen knows, before the visitor chooses, why a ticket cannot be taken now."""

from datetime import UTC, date, datetime

from servicedesk.domain.model import DEFAULT_OPENING_HOURS, Holiday
from servicedesk.web.context import unit_of_work


def at_jakarta(hour: int, minute: int = 0, day: int = 2) -> datetime:
    """A moment of November 2026 in Jakarta (UTC+7); the 2nd is a Monday, the 6th a Friday."""
    return datetime(2026, 11, day, hour - 7, minute, tzinfo=UTC)


def refusals(client) -> dict[str, dict | None]:
    response = client.get("/api/v1/services")
    assert response.status_code == 200
    return {service["code"]: service["refusal"] for service in response.json}


def test_an_open_office_lists_every_service_as_available(client, office):
    assert set(refusals(client).values()) == {None}


def test_the_friday_prayer_break_is_known_before_the_choice(client, office, clock):
    office.configure(opening_hours=DEFAULT_OPENING_HOURS)
    clock.set(at_jakarta(12, 0, day=6))
    assert set(map(str, refusals(client).values())) == {str({"code": "on_break", "details": {"opens_at": "13:30"}})}


def test_outside_the_opening_hours_every_service_says_the_office_is_closed(client, office, clock):
    office.configure(opening_hours={**DEFAULT_OPENING_HOURS, "mon": []})
    clock.set(at_jakarta(9))
    assert {r["code"] for r in refusals(client).values()} == {"closed_today"}
    office.configure(opening_hours=DEFAULT_OPENING_HOURS)
    clock.set(at_jakarta(16))
    assert {r["code"] for r in refusals(client).values()} == {"closed_for_today"}


def test_a_holiday_is_known_before_the_choice(app, client, office, clock):
    clock.set(at_jakarta(9))
    with app.app_context():
        uow = unit_of_work()
        uow.repo.add(Holiday(date(2026, 11, 2), "Cuti bersama"))
        uow.commit()
    assert {r["code"] for r in refusals(client).values()} == {"holiday"}


def test_a_service_whose_quota_is_gone_is_marked_and_the_others_stay_available(client, office):
    office.update_service("A", daily_quota=1)
    assert refusals(client)["A"] is None
    assert client.post("/api/v1/tickets", json={"service_id": office.service("A")}).status_code == 201
    now = refusals(client)
    assert now["A"] == {"code": "quota_reached", "details": {"quota": 1}}
    assert now["B"] is None
    single = client.get(f"/api/v1/services/{office.service('A')}").json
    assert single["refusal"]["code"] == "quota_reached"


def test_the_start_screen_tells_the_counters_open_for_each_service(client, office, auth):
    assert {s["code"]: s["counters_open"] for s in client.get("/api/v1/services").json}["A"] == 0
    auth.at_counter("siti", office.counter(1))
    assert {s["code"]: s["counters_open"] for s in client.get("/api/v1/services").json}["A"] == 1


def test_with_no_counter_open_the_slip_says_so_instead_of_a_wait(client, office, auth):
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    ticket = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    slip = client.get(f"/kiosk/tickets/{ticket['token']}/slip").get_data(as_text=True)
    assert "Belum ada loket yang buka" in slip and "menit" not in slip
    auth.at_counter("siti", office.counter(1))
    slip = client.get(f"/kiosk/tickets/{ticket['token']}/slip").get_data(as_text=True)
    assert "Belum ada loket yang buka" not in slip and "± 15 menit" in slip


def test_the_kiosk_and_the_phone_have_the_sentence_for_no_counter_open(client, office):
    html = client.get("/kiosk/").get_data(as_text=True)
    assert "Belum ada loket yang buka" in html
    ticket = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    assert "Belum ada loket yang buka" in client.get(f"/t/{ticket['token']}").get_data(as_text=True)


def test_the_accessible_mode_gets_each_steps_clips_in_the_pages_language(client, office):
    said = client.get("/kiosk/guidance/ticket?number=A001&lang=en").json
    assert said["language"] == "en"
    assert [c["url"] for c in said["clips"]] == [
        "/display/clips/en/number",
        "/display/clips/en/letter-a",
        "/display/clips/en/one",
        "/display/clips/en/kiosk-ticket",
    ]
    assert client.get("/kiosk/guidance/start?lang=id").json["text"].startswith("Silakan pilih jenis layanan")
    assert client.get("/kiosk/guidance/nothing").status_code == 404
    assert client.get("/kiosk/guidance/ticket?number=../etc").status_code == 404
