"""Booking ahead over HTTP: the API (OpenAPI, Idempotency-Key, error codes) and the visitor's phone page."""

from __future__ import annotations

import re

from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.integration.test_booking import NIK, TUESDAY, bookable, set_booking, wib  # noqa: F401 - the fixture

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def body(service_id: int, slot=None, **extra) -> dict:
    slot = slot or wib(TUESDAY, 8)
    return {"service_id": service_id, "slot_start": slot.isoformat(), "name": "Budi", "phone": "081234567890", **extra}


def test_the_api_lists_a_days_free_slots_and_keeps_the_walk_in_share_out(client, bookable):  # noqa: F811
    day = client.get(f"/api/v1/booking/services/{bookable}/slots?day={TUESDAY.isoformat()}").json
    first = {"start": wib(TUESDAY, 8).isoformat(), "time": "08:00", "seats": 1, "free": 1}
    assert {k: day["slots"][0][k] for k in first} == first
    assert sum(s["seats"] for s in day["slots"]) == day["online"] and day["walk_in"] > 0
    assert [s["id"] for s in client.get("/api/v1/booking/services").json] == [bookable]


def test_booking_twice_with_one_idempotency_key_makes_one_booking(client, app, bookable):  # noqa: F811
    headers = {"Idempotency-Key": "book-tap-000001"}
    first = client.post("/api/v1/bookings", json=body(bookable), headers=headers)
    again = client.post("/api/v1/bookings", json=body(bookable), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json["code"] == again.json["code"] and again.headers["Idempotent-Replayed"] == "true"
    with app.app_context():
        assert db.session.query(tables.bookings).count() == 1


def test_refusals_answer_with_a_stable_code_never_a_500(client, bookable):  # noqa: F811
    assert client.post("/api/v1/bookings", json=body(bookable)).status_code == 201
    taken = client.post("/api/v1/bookings", json=body(bookable, phone="081299998888"))
    assert (taken.status_code, taken.json["error"]["code"]) == (409, "slot_full")
    bad_nik = client.post(
        "/api/v1/bookings", json=body(bookable, wib(TUESDAY, 9), phone="081311110000", nik="9974055208900001")
    )
    assert bad_nik.status_code == 201 and bad_nik.json["nik_last4"] is None  # not asked: ignored, not kept
    set_booking(client.application, bookable, requires_identity=True)
    bad_nik = client.post(
        "/api/v1/bookings", json=body(bookable, wib(TUESDAY, 13), phone="081311112222", nik="9974055208900001")
    )
    assert (bad_nik.status_code, bad_nik.json["error"]["code"]) == (422, "nik_region")
    bad_day = client.get(f"/api/v1/booking/services/{bookable}/slots?day=tuesday")
    assert bad_day.status_code == 422 and bad_day.json["error"]["code"] == "validation_error"
    assert client.get("/api/v1/bookings/nope").json["error"]["code"] == "booking_not_found"
    assert "/api/v1/bookings" in client.get("/api/v1/openapi.json").json["paths"]


def test_a_kiosk_checks_a_booking_in_by_its_code(client, clock, bookable):  # noqa: F811
    made = client.post("/api/v1/bookings", json=body(bookable, wib(TUESDAY, 10))).json
    clock.set(wib(TUESDAY, 9, 20))
    early = client.post("/api/v1/bookings/check-in", json={"code": made["code"]})
    assert (early.status_code, early.json["error"]["code"]) == (409, "too_early")
    assert early.json["error"]["details"] == {"opens_at": "09:30"}
    clock.set(wib(TUESDAY, 9, 45))
    checked = client.post("/api/v1/bookings/check-in", json={"code": made["code"].lower()})
    assert checked.status_code == 201, checked.json
    assert (checked.json["on_time"], checked.json["number"], checked.json["name"]) == (True, "A001", "Budi")
    assert checked.json["queued_at"] == wib(TUESDAY, 10).isoformat()
    again = client.post("/api/v1/bookings/check-in", json={"code": made["code"]})
    assert (again.status_code, again.json["error"]["code"]) == (409, "not_checkable")


def test_the_phone_page_books_a_slot_in_indonesian_with_a_privacy_notice(client, app, bookable):  # noqa: F811
    page = client.get(f"/booking?service={bookable}&day={TUESDAY.isoformat()}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Pesan kunjungan" in html and "UU 27/2022" in html and "Privasi" in html
    token = CSRF.search(html).group(1)
    form = {"csrf_token": token, "slot_start": wib(TUESDAY, 8).isoformat(), "name": "Siti", "phone": "0812 3456 7890"}
    booked = client.post(f"/booking?service={bookable}&day={TUESDAY.isoformat()}", data=form)
    assert booked.status_code == 303
    slip = client.get(booked.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        code = db.session.execute(tables.bookings.select()).one().code
    assert code in slip and "<svg" in slip and 'id="rule"' in slip


def test_the_phone_page_says_a_refusal_in_the_visitors_words(client, bookable):  # noqa: F811
    set_booking(client.application, bookable, requires_identity=True)
    html = client.get(f"/booking?service={bookable}&day={TUESDAY.isoformat()}").get_data(as_text=True)
    form = {
        "csrf_token": CSRF.search(html).group(1),
        "slot_start": wib(TUESDAY, 8).isoformat(),
        "name": "Siti",
        "phone": "081234567890",
        "nik": "1234",
    }
    refused = client.post(f"/booking?service={bookable}&day={TUESDAY.isoformat()}", data=form)
    assert refused.status_code == 400 and 'id="error"' in refused.get_data(as_text=True)


def test_the_visitor_cancels_from_the_booking_page(client, app, bookable):  # noqa: F811
    made = client.post("/api/v1/bookings", json=body(bookable)).json
    html = client.get(f"/booking/{made['token']}").get_data(as_text=True)
    cancelled = client.post(f"/booking/{made['token']}/cancel", data={"csrf_token": CSRF.search(html).group(1)})
    assert cancelled.status_code == 303
    with app.app_context():
        assert db.session.execute(tables.bookings.select()).one().status == "cancelled"
    assert client.get("/booking/not-a-token").status_code == 404


def test_the_kiosk_start_screen_leads_to_the_booking_check_in(client, clock, bookable):  # noqa: F811
    start = client.get("/kiosk/").get_data(as_text=True)
    assert 'href="/booking/check-in"' in start and "Saya sudah booking" in start
    made = client.post("/api/v1/bookings", json=body(bookable, wib(TUESDAY, 10))).json
    clock.set(wib(TUESDAY, 10, 30))  # past the late window
    html = client.get("/booking/check-in").get_data(as_text=True)
    assert 'id="rule"' in html
    form = {"csrf_token": CSRF.search(html).group(1), "code": made["code"]}
    done = client.post("/booking/check-in", data=form).get_data(as_text=True)
    assert 'id="late"' in done and ">A001<" in done and "/slip?print=1" in done
    again = client.post("/booking/check-in", data=form)
    assert again.status_code == 409 and 'id="error"' in again.get_data(as_text=True)


def test_where_kiosks_are_registered_only_a_kiosk_or_staff_checks_a_booking_in(client, auth, office, clock, bookable):  # noqa: F811
    made = client.post("/api/v1/bookings", json=body(bookable, wib(TUESDAY, 10))).json
    office.configure(require_device_token=True)
    clock.set(wib(TUESDAY, 10))
    from_home = client.post("/api/v1/bookings/check-in", json={"code": made["code"]})
    assert (from_home.status_code, from_home.json["error"]["code"]) == (403, "device_token_required")
    forged = client.post("/api/v1/bookings/check-in", json={"code": made["code"]}, headers={"X-Device-Token": "x" * 20})
    assert forged.json["error"]["code"] == "device_token_invalid"
    auth.login("siti")  # reception: an officer checks the visitor in
    assert client.post("/api/v1/bookings/check-in", json={"code": made["code"]}).status_code == 201


def test_an_officer_books_for_a_visitor_without_a_phone(client, auth, app, bookable):  # noqa: F811
    assert client.get("/booking/staff").status_code == 302  # staff only: to the login form
    auth.login("siti")
    html = client.get(f"/booking/staff?service={bookable}&day={TUESDAY.isoformat()}").get_data(as_text=True)
    form = {"csrf_token": CSRF.search(html).group(1), "slot_start": wib(TUESDAY, 8).isoformat(), "name": "Pak Karto"}
    booked = client.post(f"/booking/staff?service={bookable}&day={TUESDAY.isoformat()}", data=form)
    assert booked.status_code == 303
    with app.app_context():
        row = db.session.execute(tables.bookings.select()).one()
    assert (row.name, row.phone, row.source) == ("Pak Karto", None, "staff")


def test_the_phone_page_still_asks_a_visitor_for_a_phone_number(client, bookable):  # noqa: F811
    html = client.get(f"/booking?service={bookable}&day={TUESDAY.isoformat()}").get_data(as_text=True)
    form = {"csrf_token": CSRF.search(html).group(1), "slot_start": wib(TUESDAY, 8).isoformat(), "name": "Siti"}
    assert client.post(f"/booking?service={bookable}&day={TUESDAY.isoformat()}", data=form).status_code == 400


def test_a_checked_in_booking_prints_its_holder_and_shows_it_at_the_counter_while_called(
    client,
    auth,
    office,
    clock,
    bookable,  # noqa: F811
):
    set_booking(client.application, bookable, requires_identity=True)
    made = client.post("/api/v1/bookings", json=body(bookable, wib(TUESDAY, 10), name="Siti Aminah", nik=NIK)).json
    clock.set(wib(TUESDAY, 9, 45))
    checked = client.post("/api/v1/bookings/check-in", json={"code": made["code"]}).json
    slip = client.get(f"/kiosk/tickets/{checked['token']}/slip").get_data(as_text=True)
    holder = re.search(r'id="slip-holder">([^<]*)<', slip).group(1)
    assert made["code"] in holder and "Siti Aminah" in holder and "NIK ************0001" in holder
    assert NIK not in slip
    auth.at_counter("siti", office.counter(1))
    called = client.post(f"/api/v1/counters/{office.counter(1)}/call-next").json
    assert called["booking"] == {"code": made["code"], "name": "Siti Aminah", "nik_last4": "0001"}
    [listed] = [t for t in client.get("/api/v1/queue").json["tickets"] if t["id"] == called["id"]]
    assert listed["booking"] == called["booking"]
    assert client.post(f"/api/v1/tickets/{called['id']}/start").json["booking"]["name"] == "Siti Aminah"
    assert client.post(f"/api/v1/tickets/{called['id']}/finish").json["booking"] is None


def test_a_walk_in_slip_and_ticket_name_nobody(client, auth, office):
    ticket = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    assert 'id="slip-holder"' not in client.get(f"/kiosk/tickets/{ticket['token']}/slip").get_data(as_text=True)
    auth.at_counter("siti", office.counter(1))
    assert client.post(f"/api/v1/counters/{office.counter(1)}/call-next").json["booking"] is None


def test_the_phone_page_opens_on_today_where_same_day_booking_is_allowed(client, bookable):  # noqa: F811
    tomorrow = client.get(f"/booking?service={bookable}").get_data(as_text=True)
    assert f'min="{TUESDAY.isoformat()}"' in tomorrow
    set_booking(client.application, bookable, same_day=True)
    today = client.get(f"/booking?service={bookable}").get_data(as_text=True)
    assert 'min="2026-11-02"' in today and 'value="2026-11-02"' in today
    services = client.get("/api/v1/booking/services").json
    assert [s["same_day"] for s in services] == [True]


def test_staff_and_the_api_book_a_kelompok_rentan_into_the_priority_share(client, auth, app, bookable):  # noqa: F811
    set_booking(app, bookable, per_phone_day=None)
    day = client.get(f"/api/v1/booking/services/{bookable}/slots?day={TUESDAY.isoformat()}").json
    assert sum(s["priority_seats"] for s in day["slots"]) == day["priority"]
    start = next(s["start"] for s in day["slots"] if s["priority_free"])
    made = client.post("/api/v1/bookings", json=body(bookable, priority_group="lansia") | {"slot_start": start})
    assert made.status_code == 201 and made.json["priority_group"] == "lansia"
    unknown = client.post("/api/v1/bookings", json=body(bookable, priority_group="vip") | {"slot_start": start})
    assert (unknown.status_code, unknown.json["error"]["code"]) == (409, "priority_group_unknown")
    auth.login("siti")
    url = f"/booking/staff?service={bookable}&day={TUESDAY.isoformat()}"
    html = client.get(url).get_data(as_text=True)
    assert 'id="priority_group"' in html and 'value="ibu_hamil"' in html
    second = next(s["start"] for s in day["slots"] if s["priority_free"] and s["start"] != start)
    form = {
        "csrf_token": CSRF.search(html).group(1),
        "slot_start": second,
        "name": "Bu Ani",
        "priority_group": "ibu_hamil",
    }
    assert client.post(url, data=form).status_code == 303
    with app.app_context():
        rows = db.session.execute(tables.bookings.select().order_by(tables.bookings.c.id)).all()
        slots = {r.slot_start.isoformat(): r.priority_taken for r in db.session.execute(tables.booking_slots.select())}
    assert [r.priority_group for r in rows] == ["lansia", "ibu_hamil"]
    assert slots[start] == 1 and slots[second] == 1


def test_a_visitor_books_a_priority_seat_on_the_phone_page_and_the_desk_is_told_to_check_it(
    client,
    app,
    bookable,  # noqa: F811
):
    day = client.get(f"/api/v1/booking/services/{bookable}/slots?day={TUESDAY.isoformat()}").json
    start = next(s["start"] for s in day["slots"] if s["priority_free"])
    url = f"/booking?service={bookable}&day={TUESDAY.isoformat()}"
    html = client.get(url).get_data(as_text=True)
    assert 'id="priority_group"' in html and 'value="lansia"' in html and "Petugas memeriksanya" in html
    form = {
        "csrf_token": CSRF.search(html).group(1),
        "slot_start": start,
        "name": "Pak Harun",
        "phone": "081234567890",
        "priority_group": "lansia",
    }
    assert client.post(url, data=form).status_code == 303
    with app.app_context():
        [booking] = db.session.execute(tables.bookings.select()).all()
        [slot] = db.session.execute(tables.booking_slots.select()).all()
    assert booking.priority_group == "lansia" and (slot.priority_taken, slot.taken) == (1, 0)


def test_a_service_without_a_priority_line_offers_no_priority_seat_to_book(client, app, bookable):  # noqa: F811
    client.application.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        db.session.execute(
            tables.services.update().where(tables.services.c.id == bookable).values(priority_allowed=False)
        )
        db.session.commit()
    app.extensions["servicedesk.settings"].clear()
    html = client.get(f"/booking?service={bookable}&day={TUESDAY.isoformat()}").get_data(as_text=True)
    assert 'id="priority_group"' not in html
