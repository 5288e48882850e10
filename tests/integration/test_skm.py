"""SKM as PermenPANRB 14/2017 asks: the respondent's profile, the survey window, paper forms,
sample adequacy, publication, follow-up and complaints; figures written out by hand."""

from __future__ import annotations

import csv
import io
from datetime import date

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
