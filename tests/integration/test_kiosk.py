"""The kiosk: what a visitor reads for every refusal, registered kiosks, the issuing limit and the slip."""

import json
import re
from datetime import UTC, date, datetime, time

import pytest

from servicedesk.domain.model import DEFAULT_OPENING_HOURS, Holiday
from servicedesk.extensions import db
from servicedesk.persistence import tables
from servicedesk.services.devices import register_device
from servicedesk.web.context import unit_of_work
from servicedesk.web.kiosk import refusal_message


def issue(client, service_id, headers=None, **body):
    return client.post("/api/v1/tickets", json={"service_id": service_id, **body}, headers=headers or {})


def kiosk_config(client, lang="id") -> dict:
    html = client.get(f"/kiosk/?lang={lang}").get_data(as_text=True)
    found = re.search(r'<script type="application/json" id="kiosk-config">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def kiosk_says(client, response, lang="id") -> str:
    """The sentence the kiosk shows for a refused issue: the page's catalogue filled with the details."""
    error = response.json["error"]
    code = "rate_limited" if response.status_code == 429 else error["code"]
    config = kiosk_config(client, lang)
    assert code in config["refusals"], f"the kiosk has no message for {code}"
    with client.application.test_request_context(f"/kiosk/?lang={lang}"):
        message = refusal_message(code, error.get("details"), config["time_zone"], lang)
    template = config["refusals"][code]
    assert message.startswith(template.split("{")[0])  # the page and the server say the same
    return message


def at_jakarta(hour: int, minute: int = 0, day: int = 2) -> datetime:
    """A moment of November 2026 in Jakarta (UTC+7); the 2nd is a Monday."""
    assert hour >= 7
    return datetime(2026, 11, day, hour - 7, minute, tzinfo=UTC)


# --- refusals, as the visitor reads them ---


def test_a_closed_day_is_explained_on_the_kiosk(client, office):
    office.configure(opening_hours={**DEFAULT_OPENING_HOURS, "mon": []})
    response = issue(client, office.service("A"))
    assert response.json["error"]["code"] == "closed_today"
    assert kiosk_says(client, response) == "Kantor tutup hari ini. Silakan datang kembali pada hari kerja."


def test_before_opening_the_kiosk_says_from_what_time(client, office, clock):
    office.configure(opening_hours=DEFAULT_OPENING_HOURS)
    clock.set(at_jakarta(7, 15))
    response = issue(client, office.service("A"))
    assert response.json["error"]["code"] == "not_open_yet"
    assert kiosk_says(client, response) == "Layanan belum dibuka. Nomor antrean tersedia mulai pukul 08.00 WIB."
    assert kiosk_says(client, response, "en") == "The office is not open yet. Tickets are issued from 08:00 WIB."


def test_during_the_break_the_kiosk_says_when_service_resumes(client, office, clock):
    office.configure(opening_hours=DEFAULT_OPENING_HOURS)
    clock.set(at_jakarta(12, 20))
    response = issue(client, office.service("A"))
    assert response.json["error"]["code"] == "on_break"
    assert kiosk_says(client, response) == "Layanan sedang istirahat. Layanan dibuka kembali pukul 13.00 WIB."


def test_the_friday_prayer_break_reopens_at_half_past_one(client, office, clock):
    office.configure(opening_hours=DEFAULT_OPENING_HOURS)
    clock.set(at_jakarta(12, 0, day=6))  # Friday
    response = issue(client, office.service("A"))
    assert kiosk_says(client, response).endswith("pukul 13.30 WIB.")


def test_after_hours_the_kiosk_sends_visitors_to_the_next_working_day(client, office, clock):
    office.configure(opening_hours=DEFAULT_OPENING_HOURS)
    clock.set(at_jakarta(16, 0))
    response = issue(client, office.service("A"))
    assert response.json["error"]["code"] == "closed_for_today"
    assert "hari kerja berikutnya" in kiosk_says(client, response)


def test_a_holiday_is_explained_on_the_kiosk(app, client, office):
    with app.app_context():
        uow = unit_of_work()
        uow.repo.add(Holiday(date(2026, 11, 2), "Cuti bersama"))
        uow.commit()
    response = issue(client, office.service("A"))
    assert response.json["error"]["code"] == "holiday"
    assert kiosk_says(client, response) == "Kantor tutup hari ini karena hari libur."


def test_a_full_quota_is_explained_on_the_kiosk(client, office):
    office.update_service("A", daily_quota=1)
    assert issue(client, office.service("A")).status_code == 201
    response = issue(client, office.service("A"))
    assert response.json["error"]["code"] == "quota_reached"
    assert kiosk_says(client, response) == (
        "Kuota layanan ini untuk hari ini sudah habis. Silakan datang kembali besok."
    )


def test_an_inactive_service_is_explained_on_the_kiosk(client, office):
    office.update_service("A", active=False)
    response = issue(client, office.service("A"))
    assert response.json["error"]["code"] == "service_inactive"
    assert kiosk_says(client, response) == "Layanan ini sedang tidak tersedia."


def test_after_the_cut_off_the_kiosk_says_until_when_tickets_were_issued(client, office, clock):
    office.update_service("A", cutoff_time=time(8, 30))
    response = issue(client, office.service("A"))  # 09:00
    assert response.json["error"]["code"] == "after_cutoff"
    assert kiosk_says(client, response) == (
        "Nomor antrean layanan ini hanya tersedia sampai pukul 08.30 WIB. Silakan datang kembali besok."
    )


def test_every_refusal_code_of_issuing_has_a_kiosk_message(client, office):
    refusals = kiosk_config(client)["refusals"]
    for code in ("closed_today", "closed_for_today", "not_open_yet", "on_break", "holiday", "quota_reached",
                 "service_inactive", "after_cutoff", "priority_not_allowed", "rate_limited",
                 "device_token_required", "device_token_invalid", "offline", "unknown"):  # fmt: skip
        assert refusals.get(code), code
    assert refusals["offline"] == "Koneksi ke server terputus. Anjungan terus mencoba dan akan pulih dengan sendirinya."


# --- registered kiosks ---


def kiosk_token(app, kind="kiosk") -> str:
    with app.app_context():
        _, token = register_device(unit_of_work(), kind=kind, name=f"{kind} lobby")
    return token


def test_an_office_that_requires_registered_kiosks_refuses_a_browser_without_a_token(app, client, office):
    office.configure(require_device_token=True)
    response = issue(client, office.service("A"))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "device_token_required"
    assert kiosk_says(client, response) == "Anjungan ini belum terdaftar. Silakan minta bantuan petugas."
    with app.app_context():
        assert db.session.query(tables.tickets).count() == 0


def test_a_registered_kiosk_issues_when_the_office_requires_it(app, client, office):
    office.configure(require_device_token=True)
    token = kiosk_token(app)
    response = issue(client, office.service("A"), headers={"X-Device-Token": token})
    assert response.status_code == 201
    assert response.json["number"] == "A001"


def test_a_display_token_or_a_wrong_token_does_not_make_a_kiosk(app, client, office):
    office.configure(require_device_token=True)
    for token in (kiosk_token(app, "display"), "not-a-registered-token"):
        response = issue(client, office.service("A"), headers={"X-Device-Token": token})
        assert response.status_code == 403
        assert response.json["error"]["code"] == "device_token_invalid"
    assert "tidak berlaku" in kiosk_says(client, response)


def test_without_the_requirement_a_plain_browser_may_issue(client, office):
    assert issue(client, office.service("A")).status_code == 201


def test_the_kiosk_page_knows_whether_the_office_requires_a_token(client, office):
    assert kiosk_config(client)["require_device_token"] is False
    office.configure(require_device_token=True)
    assert kiosk_config(client)["require_device_token"] is True


# --- the issuing limit ---


@pytest.fixture
def limited(limited_app):
    """The app with the issuing limit on, at three tickets a minute."""
    limited_app.config["ISSUE_RATE_LIMIT"] = "3 per minute"
    return limited_app


def test_issuing_is_limited_per_address_with_a_clear_message(limited):
    from tests.builders import OfficeBuilder

    office = OfficeBuilder(limited)
    client = limited.test_client()
    for _ in range(3):
        assert issue(client, office.service("A")).status_code == 201
    response = issue(client, office.service("A"))
    assert response.status_code == 429
    assert response.json["error"]["code"] == "rate_limited"
    assert "wait a moment" in response.json["error"]["message"]
    assert kiosk_says(client, response) == (
        "Terlalu banyak nomor diambil dalam waktu singkat. Mohon tunggu sebentar, lalu coba lagi."
    )
    with limited.app_context():
        assert db.session.query(tables.tickets).count() == 3


def test_each_registered_kiosk_has_its_own_limit(limited):
    from tests.builders import OfficeBuilder

    office = OfficeBuilder(limited)
    client = limited.test_client()
    first, second = kiosk_token(limited), kiosk_token(limited)
    for _ in range(3):
        assert issue(client, office.service("A"), headers={"X-Device-Token": first}).status_code == 201
    assert issue(client, office.service("A"), headers={"X-Device-Token": first}).status_code == 429
    assert issue(client, office.service("A"), headers={"X-Device-Token": second}).status_code == 201


# --- the kiosk page and the slip ---


def test_the_kiosk_page_speaks_indonesian_by_default_and_english_on_request(client, office):
    page = client.get("/kiosk/").get_data(as_text=True)
    assert "ULT Dinas Pendidikan Provinsi" in page
    assert "Silakan pilih jenis layanan" in page and "Ambil nomor antrean" in page and "Prioritas" in page
    english = client.get("/kiosk/?lang=en").get_data(as_text=True)
    assert "Please choose a service" in english and "Take a queue number" in english
    config = kiosk_config(client)
    assert config["urls"]["services"] == "/api/v1/services"
    assert config["urls"]["tickets"] == "/api/v1/tickets"
    assert config["zone_name"] == "WIB"


def test_the_slip_has_everything_the_visitor_needs(client, office, auth):
    auth.at_counter("siti", office.counter(1))  # a counter serves A: the wait can be estimated
    issue(client, office.service("A"))
    ticket = issue(client, office.service("A")).json
    html = client.get(f"/kiosk/tickets/{ticket['token']}/slip").get_data(as_text=True)
    assert "ULT Dinas Pendidikan Provinsi" in html
    assert "Nomor Antrean" in html
    assert '<div class="slip-number" id="slip-number">A002</div>' in html
    assert "Legalisir Ijazah" in html
    assert "Senin, 2 November 2026" in html and "pukul 09.00 WIB" in html
    assert re.search(r"Antrean di depan Anda</th><td>1</td>", html)
    assert "± 15 menit" in html
    assert f"http://localhost/t/{ticket['token']}" in html  # the QR's link is absolute
    assert '<svg role="img" class="qr"' in html
    assert "Pengaduan:" in html and "lapor.go.id" in html
    assert "paper-80" in html  # the office's default roll


def test_the_slip_follows_the_offices_paper_width(client, office):
    office.configure(paper_width_mm=58)
    ticket = issue(client, office.service("B")).json
    assert "paper-58" in client.get(f"/kiosk/tickets/{ticket['token']}/slip").get_data(as_text=True)
    assert "paper-80" in client.get(f"/kiosk/tickets/{ticket['token']}/slip?paper=80").get_data(as_text=True)


def test_the_kiosk_prints_the_slip_by_itself_only_when_asked(client, office):
    ticket = issue(client, office.service("A")).json
    reprint = client.get(f"/kiosk/tickets/{ticket['token']}/slip").get_data(as_text=True)
    assert "data-autoprint" not in reprint and 'id="slip-print"' in reprint  # a person presses Print
    printing = client.get(f"/kiosk/tickets/{ticket['token']}/slip?print=1").get_data(as_text=True)
    assert 'data-autoprint="1"' in printing and 'id="slip-tools"' not in printing


def test_a_priority_ticket_says_so_on_the_slip(client, office):
    ticket = issue(client, office.service("A"), priority=True).json
    assert "PRIORITAS" in client.get(f"/kiosk/tickets/{ticket['token']}/slip").get_data(as_text=True)


def test_an_unknown_slip_is_not_found(client, office):
    assert client.get("/kiosk/tickets/nothing-here/slip").status_code == 404
    assert client.get("/kiosk/tickets/nothing-here/qr.svg").status_code == 404


def test_the_kiosk_screen_gets_the_qr_code_as_an_svg_image(client, office):
    ticket = issue(client, office.service("A")).json
    response = client.get(f"/kiosk/tickets/{ticket['token']}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data and b"<path" in response.data


def test_the_slip_may_be_framed_by_the_kiosk_page_only(client, office):
    ticket = issue(client, office.service("A")).json
    response = client.get(f"/kiosk/tickets/{ticket['token']}/slip?print=1")
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'none'" in client.get("/kiosk/").headers["Content-Security-Policy"]


def test_the_kiosk_shows_the_office_logo_once_one_is_uploaded(app, client, office, tmp_path):
    import io

    from PIL import Image

    from servicedesk.services import admin

    app.config["LOGO_FOLDER"] = str(tmp_path / "logo")
    (tmp_path / "logo").mkdir()
    html = client.get("/kiosk/").get_data(as_text=True)
    assert 'id="office-logo"' not in html  # no logo yet: the office's initials, as on the display
    assert '<span class="logo emblem" aria-hidden="true">' in html
    png = io.BytesIO()
    Image.new("RGB", (120, 60), "navy").save(png, format="PNG")
    with app.app_context():
        admin.save_logo(
            unit_of_work(), actor_id=None, folder=tmp_path / "logo", data=png.getvalue(), content_type="image/png"
        )
    page = client.get("/kiosk/").get_data(as_text=True)
    logo = re.search(r'<img class="logo office-logo" id="office-logo" src="([^"]+)"', page).group(1)
    assert logo.startswith("/admin/logo?v=")
    served = client.get(logo)
    assert served.status_code == 200 and served.data == png.getvalue()
    served.close()
