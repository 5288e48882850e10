"""An agency's own pages in a hall of two agencies (issue 26): the kiosk, the slip and the phone page
in the agency's language (unless the visitor chose another) with its name and colour; an agency's TV
shows its agency's IKM; an agency's auditor is told the site's audit trail is not theirs."""

from __future__ import annotations

import json
import re

from servicedesk.domain.branding import contrast_ratio
from servicedesk.domain.model import Agency, Ticket, User
from servicedesk.domain.model.kinds import Role
from servicedesk.extensions import db
from servicedesk.services import tickets
from servicedesk.web.context import unit_of_work
from servicedesk.web.kiosk_devices import build_slip
from tests.builders import FAST_HASH, Auth
from tests.integration.test_hall_display import hall

YELLOW = "#ffeb3b"  # light: black text on it


def english_imigrasi(app, scene: dict, colour: str = YELLOW) -> None:
    with app.app_context():
        agency = db.session.get(Agency, scene["imigrasi"])
        agency.language, agency.brand_colour = "en", colour
        db.session.commit()
        db.session.remove()


def kiosk_config(html: str) -> dict:
    return json.loads(re.search(r'id="kiosk-config">(.*?)</script>', html, re.S).group(1))


def token_of(app, ticket_id: int) -> str:
    with app.app_context():
        token = db.session.get(Ticket, ticket_id).token
        db.session.remove()
    return token


def test_the_kiosk_opens_an_agency_with_its_own_language_in_that_language(app, office):
    scene = hall(app, office)
    english_imigrasi(app, scene)
    client = app.test_client()
    hall_page = client.get("/kiosk/").get_data(as_text=True)
    assert '<html lang="id">' in hall_page and "Silakan pilih layanan" in hall_page
    agencies = {a["code"]: a for a in kiosk_config(hall_page)["agencies"]}
    assert agencies["IMIGRASI"]["language"] == "en"
    assert agencies["IMIGRASI"]["brand_text"] == "#000000"  # black on the yellow
    assert contrast_ratio(agencies["IMIGRASI"]["brand_ink"], "#ffffff") >= 4.5  # the yellow darkened, as text
    assert kiosk_config(hall_page)["agency_id"] is None and not kiosk_config(hall_page)["language_chosen"]

    page = client.get(f"/kiosk/?agency={scene['imigrasi']}").get_data(as_text=True)
    config = kiosk_config(page)
    assert '<html lang="en">' in page and "Please choose a service" in page and "Your queue number" in page
    assert config["locale"] == "en" and config["agency_id"] == scene["imigrasi"]
    assert config["start_language"] == "id"  # the next visitor starts in the hall's language
    assert config["strings"]["waiting"] == "waiting"


def test_the_kiosk_s_language_switch_wins_over_the_agency_s_language_until_the_next_visitor(app, office):
    scene = hall(app, office)
    english_imigrasi(app, scene)
    client = app.test_client()
    tapped = client.get(f"/kiosk/?lang=id&agency={scene['imigrasi']}")
    assert kiosk_config(tapped.get_data(as_text=True))["locale"] == "id"
    page = client.get(f"/kiosk/?agency={scene['imigrasi']}").get_data(as_text=True)  # the tap is remembered
    assert kiosk_config(page)["locale"] == "id" and kiosk_config(page)["language_chosen"]
    fresh = client.get("/kiosk/?lang=auto")  # the kiosk starts over for the next visitor
    assert "lang=;" in fresh.headers["Set-Cookie"] and not kiosk_config(fresh.get_data(as_text=True))["language_chosen"]
    page = client.get(f"/kiosk/?agency={scene['imigrasi']}").get_data(as_text=True)
    assert kiosk_config(page)["locale"] == "en"


def test_an_office_of_one_agency_with_its_own_language_opens_the_kiosk_in_it(app, office):
    with app.app_context():
        agency = db.session.get(Agency, office.agency)
        agency.language = "en"
        db.session.commit()
        db.session.remove()
    config = kiosk_config(app.test_client().get("/kiosk/").get_data(as_text=True))
    assert config["agencies"] == [] and config["locale"] == "en" and config["start_language"] == "en"


def test_the_slip_of_an_agency_s_ticket_is_in_its_language_with_its_name_on_its_colour(app, office):
    scene = hall(app, office)
    english_imigrasi(app, scene)
    token = token_of(app, scene["called_m"])
    client = app.test_client()
    slip = client.get(f"/kiosk/tickets/{token}/slip").get_data(as_text=True)
    assert '<html lang="en">' in slip and "Queue number" in slip and "Nomor Antrean" not in slip
    band = re.search(r'<div class="slip-agency branded" id="slip-agency"([^>]*)>([^<]*)<', slip)
    assert band.group(2) == "Kantor Imigrasi"
    assert f"--agency: {YELLOW}; --agency-text: #000000" in band.group(1)
    chosen = client.get(f"/kiosk/tickets/{token}/slip?lang=id").get_data(as_text=True)
    assert "Nomor Antrean" in chosen  # the visitor's choice wins
    disdik = client.get(f"/kiosk/tickets/{scene['done_token']}/slip?lang=auto").get_data(as_text=True)
    assert "Nomor Antrean" in disdik and "branded" not in disdik  # the other agency: the site's language and look


def test_the_printer_s_slip_of_an_agency_s_ticket_is_drawn_in_its_language(app, office):
    scene = hall(app, office)
    english_imigrasi(app, scene, colour="#0b5cad")
    with app.test_request_context("/api/v1/tickets", method="POST"):
        slip = build_slip(db.session.get(Ticket, scene["called_m"]))
        other = build_slip(db.session.get(Ticket, scene["waiting"]))
    assert (slip.label, slip.agency_name, slip.brand_colour, slip.brand_text) == (
        "Queue number",
        "Kantor Imigrasi",
        "#0b5cad",
        "#ffffff",
    )
    assert other.label == "Nomor Antrean" and other.brand_colour == ""
    with app.test_request_context("/api/v1/tickets", method="POST", headers={"Cookie": "lang=id"}):
        assert build_slip(db.session.get(Ticket, scene["called_m"])).label == "Nomor Antrean"


def test_the_phone_page_of_an_agency_s_ticket_shows_its_name_on_its_colour_in_its_language(app, office):
    scene = hall(app, office)
    english_imigrasi(app, scene, colour="#7b1fa2")
    token = token_of(app, scene["called_m"])
    phone = app.test_client()
    page = phone.get(f"/t/{token}").get_data(as_text=True)
    assert '<html lang="en">' in page and "Queue number" in page
    assert re.search(r'class="v-bar branded" id="v-bar" style="--agency: #7b1fa2; --agency-text: #ffffff"', page)
    assert re.search(r'class="v-agency branded" id="agency"[^>]*>Kantor Imigrasi<', page)
    assert 'name="theme-color" content="#7b1fa2"' in page
    assert "Nomor Antrean" in phone.get(f"/t/{token}?lang=id").get_data(as_text=True)
    assert "Nomor Antrean" in phone.get(f"/t/{token}").get_data(as_text=True)  # the visitor's choice stays
    other = app.test_client().get(f"/t/{scene['waiting_token']}").get_data(as_text=True)
    assert "Nomor Antrean" in other and "branded" not in other


def test_each_agency_s_tv_shows_its_own_agency_s_ikm_and_the_hall_tv_the_site_s(app, office):
    scene = hall(app, office)
    with app.app_context():
        tickets.start(unit_of_work(), ticket_id=scene["called_m"], user_id=scene["rina"])
        tickets.finish(unit_of_work(), ticket_id=scene["called_m"], user_id=scene["rina"])
    phone = app.test_client()
    survey = "/api/v1/tickets/{}/survey"
    fours, threes = {f"u{i}": 4 for i in range(1, 10)}, {f"u{i}": 3 for i in range(1, 10)}
    assert phone.post(survey.format(token_of(app, scene["called_m"])), json={"answers": fours}).status_code == 201
    assert phone.post(survey.format(scene["done_token"]), json={"answers": threes}).status_code == 201

    def ikm(token: str | None) -> dict:
        headers = {"X-Device-Token": token} if token else {}
        return app.test_client().get("/display/info", headers=headers).json["ikm"]

    imigrasi, disdik, site = ikm(scene["tv_imigrasi"]), ikm(scene["tv_disdik"]), ikm(scene["display_token"])
    assert (imigrasi["score"], imigrasi["respondents"]) == (100.0, 1)
    assert (disdik["score"], disdik["respondents"]) == (75.0, 1)
    assert (site["score"], site["respondents"]) == (87.5, 2)
    assert ikm(None) == site  # an unregistered hall TV: the site's
    assert ikm(scene["tv_imigrasi"]) == imigrasi  # kept per agency, not mixed up with the others


def test_an_agency_s_auditor_is_told_the_audit_trail_is_the_site_s_and_its_review_pack_leaves_it_out(app, office):
    scene = hall(app, office)
    with app.app_context():
        auditor = User("imaudit", "Inspektorat Imigrasi", Role.AUDITOR, FAST_HASH)
        auditor.agency_id = scene["imigrasi"]
        db.session.add(auditor)
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    Auth(client).login("imaudit")
    for path in ("/admin/audit", "/admin/audit.csv", "/admin/audit/verify", "/admin/audit?source=events"):
        refused = client.get(path)
        assert refused.status_code == 403, path
        assert "Jejak audit mencatat perubahan semua instansi" in refused.get_data(as_text=True), path
    review = client.get("/reports/review").get_data(as_text=True)
    assert 'id="audit-table"' not in review and "auditor gedung yang meninjaunya" in review
    site = app.test_client()
    Auth(site).login("auditor")
    assert site.get("/admin/audit").status_code == 200
    assert 'id="audit-table"' in site.get("/reports/review").get_data(as_text=True)


def test_an_agency_s_review_pack_lists_its_own_follow_ups_and_complaints_only(app, office):
    from datetime import UTC, date, datetime

    from servicedesk.domain.reporting import PeriodKind, period_for
    from servicedesk.persistence import tables
    from servicedesk.services.review import review_pack

    scene = hall(app, office)
    now = datetime(2026, 11, 3, 3, 0, tzinfo=UTC)
    with app.app_context():
        for service, action in ((scene["service_a"], "Tambah kursi"), (scene["service_m"], "Percepat paspor")):
            db.session.execute(
                tables.follow_up_actions.insert().values(
                    period_kind="month",
                    period_first=date(2026, 11, 1),
                    period_last=date(2026, 11, 30),
                    service_id=service,
                    element="u3",
                    action=action,
                    owner="Kasubag",
                    due_date=date(2026, 12, 1),
                    status="planned",
                    created_at=now,
                    updated_at=now,
                )
            )
        for ticket_id, service in ((scene["called"], scene["service_a"]), (scene["called_m"], scene["service_m"])):
            db.session.execute(
                tables.survey_responses.insert().values(
                    ticket_id=ticket_id,
                    service_id=service,
                    submitted_at=now,
                    source="online",
                    is_complaint=True,
                    complaint_status="open",
                    **{f"u{i}": 2 for i in range(1, 10)},
                )
            )
        db.session.commit()
        month = period_for(PeriodKind.MONTH, date(2026, 11, 1))
        site = review_pack(db.session, month, "Asia/Jakarta")
        imigrasi = review_pack(db.session, month, "Asia/Jakarta", scene["imigrasi"])
        db.session.remove()
    assert {row["action"] for row in site.follow_ups} == {"Tambah kursi", "Percepat paspor"}
    assert [row["action"] for row in imigrasi.follow_ups] == ["Percepat paspor"]
    assert site.complaints["received"] == 2 and site.complaints["open_now"] == 2
    assert imigrasi.complaints["received"] == 1 and imigrasi.complaints["open_now"] == 1
