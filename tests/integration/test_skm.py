"""SKM as PermenPANRB 14/2017 asks: the respondent's profile, the survey window, paper forms,
sample adequacy, publication, follow-up and complaints; figures written out by hand."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pypdf
from sqlalchemy import select

from servicedesk.domain.reporting import PeriodKind, period_for, profile_groups
from servicedesk.extensions import db
from servicedesk.persistence import reports, tables

DAY = {"period": "day", "date": "2026-11-02"}


def serve(client, office, auth, count: int, code: str = "A") -> list[dict]:
    """`count` visitors take a ticket; siti calls, serves and finishes each at counter 1."""
    issued = [client.post("/api/v1/tickets", json={"service_id": office.service(code)}).json for _ in range(count)]
    auth.at_counter("siti", office.counter(1))
    for _ticket in issued:
        called = client.post(f"/api/v1/counters/{office.counter(1)}/call-next").json
        assert client.post(f"/api/v1/tickets/{called['id']}/start").status_code == 200
        assert client.post(f"/api/v1/tickets/{called['id']}/finish").status_code == 200
    auth.logout()
    return issued


def answer(client, token: str, score: int, **body):
    return client.post(
        f"/api/v1/tickets/{token}/survey", json={"answers": {f"u{i}": score for i in range(1, 10)}, **body}
    )


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def post_form(client, path: str, data: dict, **kwargs):
    """Post a staff page's form as a browser would, with the CSRF token read from the page."""
    token = CSRF.search(client.get(path).get_data(as_text=True)).group(1)
    return client.post(path, data={"csrf_token": token, **data}, **kwargs)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


# Four respondents, each answering the same score to all nine elements:
#   P1  4  laki-laki   20-29  S1   PNS
#   P2  3  perempuan   30-39  S1   swasta
#   P3  2  perempuan   20-29  SMA  (occupation not answered)
#   P4  3  (no profile at all)
PROFILES = [
    (4, {"gender": "l", "age_group": "20_29", "education": "s1", "occupation": "pns"}),
    (3, {"gender": "p", "age_group": "30_39", "education": "s1", "occupation": "swasta"}),
    (2, {"gender": "p", "age_group": "20_29", "education": "sma", "occupation": None}),
    (3, None),
]


def answered_with_profiles(client, office, auth) -> list[dict]:
    tickets = serve(client, office, auth, len(PROFILES))
    for ticket, (score, profile) in zip(tickets, PROFILES, strict=True):
        body = {"profile": profile} if profile else {}
        assert answer(client, ticket["token"], score, **body).status_code == 201
    return tickets


def test_the_profile_is_stored_with_the_response_each_question_optional(app, client, office, auth):
    answered_with_profiles(client, office, auth)
    with app.app_context():
        rows = db.session.execute(
            select(tables.survey_responses.c["gender", "age_group", "education", "occupation", "source"]).order_by(
                tables.survey_responses.c.id
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("l", "20_29", "s1", "pns", "online"),
        ("p", "30_39", "s1", "swasta", "online"),
        ("p", "20_29", "sma", None, "online"),
        (None, None, None, None, "online"),
    ]


def test_a_profile_answer_outside_the_regulation_categories_is_refused(app, client, office, auth):
    [ticket] = serve(client, office, auth, 1)
    refused = answer(client, ticket["token"], 3, profile={"gender": "x"})
    assert refused.status_code == 422
    assert answer(client, ticket["token"], 3, profile={"income": "high"}).status_code == 422


def test_the_profile_distribution_and_the_ikm_per_group_are_computed_by_hand(app, client, office, auth):
    answered_with_profiles(client, office, auth)
    period = period_for(PeriodKind.DAY, date(2026, 11, 2))
    with app.app_context():
        start, end = period.bounds("Asia/Jakarta")
        tallies = reports.profile_tallies(db.session, reports.Filters(), start, end)

    def groups(name):
        found = profile_groups(name, {code: (t.respondents, t.index()) for code, t in tallies[name].items()})
        return {g.code: (g.respondents, str(g.share), str(g.ikm.score) if g.ikm.score else None) for g in found}

    # gender: l = P1 (NRR 4 -> 100.00); p = P2, P3 (NRR (3 + 2) / 2 = 2.5 -> 62.50); P4 did not say (75.00)
    assert groups("gender") == {"l": (1, "25.0", "100.00"), "p": (2, "50.0", "62.50"), None: (1, "25.0", "75.00")}
    # age: 20-29 = P1, P3 (NRR 3 -> 75.00), 30-39 = P2 (75.00); empty groups are listed with 0
    age = groups("age_group")
    assert age["20_29"] == (2, "50.0", "75.00") and age["30_39"] == (1, "25.0", "75.00")
    assert age["u20"] == (0, "0.0", None) and age["60"] == (0, "0.0", None)
    # education: S1 = P1, P2 (NRR 3.5 -> 87.50), SMA = P3 (NRR 2 -> 50.00)
    assert groups("education")["s1"] == (2, "50.0", "87.50")
    assert groups("education")["sma"] == (1, "25.0", "50.00")
    # occupation: not answered = P3, P4 (NRR 2.5 -> 62.50)
    assert groups("occupation")[None] == (2, "50.0", "62.50")
    assert groups("occupation")["pns"] == (1, "25.0", "100.00")


def test_the_report_shows_and_exports_the_profile_per_period_and_service(app, client, office, auth):
    answered_with_profiles(client, office, auth)
    auth.login("supervisor")
    page = client.get("/reports/", query_string={**DAY, "lang": "en"}).text
    assert 'id="table-profile"' in page
    rows = csv_rows(client.get("/reports/export/profile.csv", query_string={**DAY, "lang": "en"}))
    assert rows[0] == ["Question", "Group", "Respondents", "Share (%)", "IKM", "Grade"]
    assert ["Gender", "Female", "2", "50.0", "62.50", "D"] in rows
    assert ["Gender", "Not answered", "1", "25.0", "75.00", "C"] in rows
    other_service = csv_rows(
        client.get("/reports/export/profile.csv", query_string={**DAY, "lang": "en", "service": office.service("B")})
    )
    assert ["Gender", "Female", "0", "", "", ""] in other_service  # nobody answered for service B


# --- the survey link's time, and paper forms ---


def test_the_survey_link_works_for_the_configured_days_after_service(app, client, office, auth, clock):
    office.configure(survey_link_days=2)
    [ticket] = serve(client, office, auth, 1)
    clock.advance(days=2, seconds=-1)
    assert client.get(f"/api/v1/tickets/{ticket['token']}/survey").json["open"] is True
    clock.advance(seconds=1)
    status = client.get(f"/api/v1/tickets/{ticket['token']}/survey").json
    assert (status["open"], status["expired"]) == (False, True)
    refused = answer(client, ticket["token"], 3)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "survey_expired"
    assert refused.json["error"]["details"] == {"days": 2}


def test_the_link_lives_seven_days_by_default(app, client, office, auth, clock):
    [ticket] = serve(client, office, auth, 1)
    clock.advance(days=6, hours=23)
    assert answer(client, ticket["token"], 3).status_code == 201


def test_an_expired_link_says_so_politely_on_the_phone_in_both_languages(app, client, office, auth, clock):
    [ticket] = serve(client, office, auth, 1)
    clock.advance(days=8)
    page = client.get(f"/t/{ticket['token']}", query_string={"lang": "id"}).text
    assert "Survei untuk kunjungan ini sudah ditutup" in page
    assert '"expired": true' in page
    english = client.get(f"/t/{ticket['token']}", query_string={"lang": "en"}).text
    assert "The survey for this visit has closed" in english
    assert "works for 7 days after the service" in english


def paper_form(day: str, number: str, score: int, **extra) -> dict:
    return {"day": day, "number": number, **{f"u{i}": str(score) for i in range(1, 10)}, **extra}


def test_a_supervisor_enters_a_paper_form_for_a_served_ticket(app, client, office, auth):
    [ticket] = serve(client, office, auth, 1)
    auth.login("supervisor")
    page = client.get("/skm/paper")
    assert page.status_code == 200 and 'value="2026-11-02"' in page.text
    saved = post_form(client, "/skm/paper", paper_form("2026-11-02", ticket["number"].lower(), 2, gender="p"))
    assert saved.status_code == 302
    with app.app_context():
        [row] = db.session.execute(select(tables.survey_responses)).mappings().all()
        [entry] = (
            db.session.execute(select(tables.audit_log).where(tables.audit_log.c.entity == "survey_response"))
            .mappings()
            .all()
        )
    assert (row["source"], row["entered_by"], row["gender"], row["u1"]) == ("paper", office.users["supervisor"], "p", 2)
    assert (entry["action"], entry["user_id"], entry["after"]["ticket"]) == (
        "enter_paper",
        office.users["supervisor"],
        "A001",
    )
    # one response per ticket, phone or paper
    again = post_form(client, "/skm/paper", paper_form("2026-11-02", "A001", 4))
    assert again.status_code == 400 and "sudah dijawab" in again.text
    auth.logout()
    assert answer(client, ticket["token"], 4).json["error"]["code"] == "survey_already_answered"


def test_a_paper_form_for_an_unknown_or_unserved_ticket_is_refused_readably(app, client, office, auth):
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    auth.login("supervisor")
    missing = post_form(client, "/skm/paper", paper_form("2026-11-02", "B777", 3), query_string={"lang": "en"})
    assert missing.status_code == 400 and "There is no ticket with that number on that day." in missing.text
    waiting = post_form(client, "/skm/paper", paper_form("2026-11-02", "A001", 3), query_string={"lang": "en"})
    assert waiting.status_code == 400 and "was not served" in waiting.text
    incomplete = post_form(client, "/skm/paper", {"day": "2026-11-02", "number": "A001", "u1": "5"})
    assert incomplete.status_code == 400
    with app.app_context():
        assert db.session.execute(select(tables.survey_responses)).all() == []


def test_officers_may_not_enter_paper_forms(client, office, auth):
    auth.login("siti")
    assert client.get("/skm/paper").status_code == 403


def test_paper_and_online_responses_are_counted_separately_in_the_report(app, client, office, auth):
    first, second, third = serve(client, office, auth, 3)
    assert answer(client, first["token"], 4).status_code == 201
    assert answer(client, second["token"], 3).status_code == 201
    auth.login("supervisor")
    assert post_form(client, "/skm/paper", paper_form("2026-11-02", third["number"], 2)).status_code == 302
    header, *rows = csv_rows(client.get("/reports/export/ikm.csv", query_string={**DAY, "lang": "en"}))
    total = dict(zip(header, rows[-1], strict=True))
    assert (total["Respondents"], total["Online"], total["Paper"]) == ("3", "2", "1")
    assert total["IKM"] == "75.00"  # NRR (4 + 3 + 2) / 3 = 3 for every element


# --- sample adequacy beside every IKM ---


def test_the_report_states_plainly_when_the_sample_is_not_yet_adequate(app, client, office, auth):
    # 12 served, the table asks 12 (between 10 -> 10 and 15 -> 14, never more than the population)
    tickets = serve(client, office, auth, 12)
    for ticket in tickets[:11]:
        assert answer(client, ticket["token"], 3).status_code == 201
    auth.login("supervisor")
    page = client.get("/reports/", query_string={**DAY, "lang": "id"}).text
    assert "Sampel 11 dari 12: belum memadai" in page
    header, *rows = csv_rows(client.get("/reports/export/ikm.csv", query_string={**DAY, "lang": "en"}))
    total = dict(zip(header, rows[-1], strict=True))
    assert (total["Sample needed (Krejcie-Morgan)"], total["Sample adequacy"]) == ("12", "not yet adequate")
    auth.logout()
    assert answer(client, tickets[11]["token"], 3).status_code == 201
    auth.login("supervisor")
    header, *rows = csv_rows(client.get("/reports/export/ikm.csv", query_string={**DAY, "lang": "en"}))
    assert dict(zip(header, rows[-1], strict=True))["Sample adequacy"] == "adequate"
    assert "Sampel 12 dari 12: memadai" in client.get("/reports/", query_string={**DAY, "lang": "id"}).text


# --- publication: a public page and its PDF ---


def test_the_public_page_publishes_the_period_ikm_without_a_login(app, client, office, auth):
    answered_with_profiles(client, office, auth)
    page = client.get("/ikm/", query_string={**DAY, "lang": "en"})
    assert page.status_code == 200
    text = page.text
    # NRR = (4 + 3 + 2 + 3) / 4 = 3 for every element -> IKM 75.00, grade C
    assert 'id="ikm-score">75.00<' in text
    assert "Grade C (Poor)" in text
    assert "4 respondents (4 online, 0 on paper) for 4 visitors served; the Krejcie-Morgan sample is 4." in text
    assert "Sample adequacy: adequate." in text
    assert "Female" in text and "No follow-up actions recorded for this period yet." in text
    assert "Petugas" not in text  # figures only: no comments, no names


def test_the_public_page_per_service_and_in_indonesian(app, client, office, auth):
    answered_with_profiles(client, office, auth)
    page = client.get("/ikm/", query_string={**DAY, "service": office.service("B"), "lang": "id"}).text
    assert "Tidak ada jawaban survei pada periode ini." in page
    assert "Kecukupan sampel: belum memadai." in page
    assert client.get("/ikm/", query_string={**DAY, "service": 9999}).status_code == 404
    assert client.get("/ikm/", query_string={"period": "day", "date": "x"}).status_code == 400


def test_the_pdf_is_rendered_from_the_same_page_and_reads_the_same_figures(app, client, office, auth):
    answered_with_profiles(client, office, auth)
    response = client.get("/ikm/report.pdf", query_string={**DAY, "lang": "en"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert 'filename="ikm-2026-11-02-2026-11-02.pdf"' in response.headers["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Community satisfaction index (IKM)" in text
    assert "75.00" in text and "Grade C (Poor)" in text
    assert "Sample adequacy: adequate." in text
    assert "Respondent profile" in text and "Follow-up plan" in text
    assert "Printable PDF" not in text  # the page's controls are not printed


# --- the complaint channel ---


def test_the_phone_page_and_the_slip_point_to_the_office_lapor_address(app, client, office, auth):
    office.configure(complaint_url="https://www.lapor.go.id/instansi/ult-disdik/")
    issued = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    phone = client.get(f"/t/{issued['token']}", query_string={"lang": "id"}).text
    assert 'href="https://www.lapor.go.id/instansi/ult-disdik/"' in phone
    assert "SP4N-LAPOR!, layanan pengaduan publik nasional" in phone
    slip = client.get(f"/kiosk/tickets/{issued['token']}/slip").get_data(as_text=True)
    assert "SP4N-LAPOR!: www.lapor.go.id/instansi/ult-disdik" in slip


def test_without_an_address_neither_shows_a_complaint_link(app, client, office):
    issued = client.post("/api/v1/tickets", json={"service_id": office.service("A")}).json
    assert 'id="complaint-channel"' not in client.get(f"/t/{issued['token']}").text
    assert "SP4N-LAPOR!" not in client.get(f"/kiosk/tickets/{issued['token']}/slip").get_data(as_text=True)


def test_the_lapor_address_must_be_a_web_address(app):
    from servicedesk.web.admin.settings import OfficeForm

    form = {"name": "ULT", "time_zone": "Asia/Jakarta", "language": "id", "paper_width_mm": "80"}
    form |= {"priority_max_in_a_row": "3", "max_recalls": "3", "no_show_window_minutes": "30"}
    form |= {"number_reading": "words", "transfer_position": "original"}

    def checked(data: dict) -> OfficeForm:
        with app.test_request_context("/admin/settings", method="POST", data=data):
            office_form = OfficeForm()
            office_form.validate()
            return office_form

    accepted = checked({**form, "complaint_url": "https://www.lapor.go.id"})
    assert accepted.messages == {} and accepted.complaint_url.data == "https://www.lapor.go.id"
    assert checked(form).survey_link_days.data == 7
    refused = checked({**form, "complaint_url": "lapor dot go dot id", "survey_link_days": "0"})
    assert set(refused.messages) == {"complaint_url", "survey_link_days"}


def test_a_flagged_comment_is_tracked_until_a_supervisor_answers_it(app, client, office, auth):
    flagged, plain, empty = serve(client, office, auth, 3)
    assert answer(client, flagged["token"], 1, comment="Berkas saya hilang.", is_complaint=True).status_code == 201
    assert answer(client, plain["token"], 3, comment="Terima kasih.").status_code == 201
    assert answer(client, empty["token"], 3, is_complaint=True).status_code == 201  # no text: nothing to answer
    auth.login("supervisor")
    page = client.get("/skm/complaints", query_string={"lang": "en"}).text
    assert 'id="open-count">1<' in page and "Berkas saya hilang." in page and "Terima kasih." not in page
    with app.app_context():
        complaint_id = db.session.scalar(
            select(tables.survey_responses.c.id).where(tables.survey_responses.c.is_complaint.is_(True))
        )
    blank = post_form(client, "/skm/complaints", {"response_id": str(complaint_id), "response": " "})
    assert blank.status_code == 400
    saved = post_form(
        client, "/skm/complaints", {"response_id": str(complaint_id), "response": "Berkas ditemukan, diantar besok."}
    )
    assert saved.status_code == 302
    page = client.get("/skm/complaints", query_string={"lang": "en"}).text
    assert "No open complaints." in page and "Berkas ditemukan, diantar besok." in page
    with app.app_context():
        row = (
            db.session.execute(select(tables.survey_responses).where(tables.survey_responses.c.id == complaint_id))
            .mappings()
            .one()
        )
        [entry] = (
            db.session.execute(select(tables.audit_log).where(tables.audit_log.c.entity == "complaint"))
            .mappings()
            .all()
        )
    assert (row["complaint_status"], row["complaint_answered_by"]) == ("answered", office.users["supervisor"])
    assert entry["before"] == {"status": "open", "response": None}
    assert entry["after"] == {"status": "answered", "response": "Berkas ditemukan, diantar besok."}


def test_officers_may_not_answer_complaints(client, office, auth):
    auth.login("siti")
    assert client.get("/skm/complaints").status_code == 403


# --- follow-up (rencana tindak lanjut) ---


def test_a_follow_up_for_the_weakest_element_is_checked_by_the_next_period(app, client, office, auth, clock):
    # October: two respondents, all 3s but u3 (waktu penyelesaian) 1 and 2 -> NRR u3 = 1.50, the weakest
    clock.set(datetime(2026, 10, 5, 2, 0, tzinfo=UTC))
    first, second = serve(client, office, auth, 2)
    for ticket, u3 in ((first, 1), (second, 2)):
        answers = {f"u{i}": 3 for i in range(1, 10)} | {"u3": u3}
        assert client.post(f"/api/v1/tickets/{ticket['token']}/survey", json={"answers": answers}).status_code == 201
    auth.login("supervisor")
    october = {"period": "month", "date": "2026-10-01", "lang": "en"}
    page = client.get("/skm/follow-up", query_string=october).text
    assert "Weakest element: U3 Completion time, NRR 1.50" in page
    saved = post_form(
        client,
        "/skm/follow-up?period=month&date=2026-10-01",
        {
            "element": "u3",
            "action": "Tambah satu loket pada jam sibuk",
            "owner": "Kasubag Umum",
            "due_date": "2026-11-15",
        },
    )
    assert saved.status_code == 302
    refused = post_form(client, "/skm/follow-up?period=month&date=2026-10-01", {"element": "u3", "action": ""})
    assert refused.status_code == 400
    # November: one respondent, all 3s -> NRR u3 3.00 > 1.50: improved
    auth.logout()
    clock.set(datetime(2026, 11, 2, 2, 0, tzinfo=UTC))
    [ticket] = serve(client, office, auth, 1)
    assert answer(client, ticket["token"], 3).status_code == 201
    auth.login("supervisor")
    november = client.get("/skm/follow-up", query_string={"period": "month", "date": "2026-11-01", "lang": "en"}).text
    assert "U3 Completion time: NRR 1.50 then, 3.00 now" in november and "<strong>improved</strong>" in november
    assert "Tambah satu loket pada jam sibuk (Kasubag Umum, 2026-11-15, Planned)" in november
    with app.app_context():
        action_id = db.session.scalar(select(tables.follow_up_actions.c.id))
    done = post_form(
        client, "/skm/follow-up?period=month&date=2026-10-01", {"action_id": str(action_id), "status": "done"}
    )
    assert done.status_code == 302
    public = client.get("/ikm/", query_string=october).text
    assert "Tambah satu loket pada jam sibuk" in public and "Done" in public
    published = client.get("/ikm/", query_string={"period": "month", "date": "2026-11-01", "lang": "en"}).text
    assert "U3: NRR 1.50 then, 3.00 now — <strong>improved</strong>" in published
    with app.app_context():
        entries = (
            db.session.execute(
                select(tables.audit_log).where(tables.audit_log.c.entity == "follow_up").order_by(tables.audit_log.c.id)
            )
            .mappings()
            .all()
        )
    assert [(e["action"], e["user_id"]) for e in entries] == [
        ("create", office.users["supervisor"]),
        ("update", office.users["supervisor"]),
    ]
    assert entries[0]["after"]["element"] == "u3" and entries[0]["after"]["due_date"] == "2026-11-15"
    assert entries[1]["before"] == {"status": "planned"} and entries[1]["after"] == {"status": "done"}


def test_officers_may_not_edit_the_follow_up_plan(client, office, auth):
    auth.login("siti")
    assert client.get("/skm/follow-up").status_code == 403
