"""The management review: this period against the last, day by day, and per priority group, on a
small Makassar office (WITA, UTC+8) written out so every figure can be checked by hand.

Standard times (demo SOPs): A 15 min, B 20. siti at counter 1, budi at counter 2.

Wednesday 10 December 2025 (last year):
  Y1  A         issued 08:00  siti called 08:30 start 08:30 done 08:45   wait 30  service 15 (yes)
Monday 5 October 2026 (last month):
  P1  A         issued 08:00  siti called 08:10 start 08:10 done 08:30   wait 10  service 20 (no)
  P2  A         issued 08:05  budi called 08:25 start 08:25 done 08:35   wait 20  service 10 (yes)
  survey P1 at 08:40, all 3 (27): IKM 75.00
Monday 2 November 2026:
  N1  A         issued 08:00  siti called 08:04 start 08:04 done 08:14   wait  4  service 10 (yes)
  N2  A lansia  issued 08:01  budi called 08:02 start 08:02 done 08:22   wait  1  service 20 (no)
  N3  B         issued 08:10  siti called 08:16 start 08:16 done 08:31   wait  6  service 15 (B<=20 yes)
  survey N1 at 08:20, all 4 (36)
Tuesday 3 November 2026:
  survey N3 at 00:30 local (2 Nov 16:30 UTC: a UTC reading would put it on the 2nd), all 3 (27)
  N4  A disabilitas issued 09:00  budi called 09:03 start 09:03 done 09:15  wait 3  service 12 (yes)
  N5  A         issued 09:01  siti called 09:09 start 09:09 done 09:20   wait  8  service 11 (yes)
  N6  A lansia  issued 09:02  budi called 09:17 start 09:17 done 09:27   wait 15  service 10 (yes)

By hand (minutes; percentiles interpolate between ranks, position (n-1) x p):
  2 Nov: issued 3, served 3, within 2 = 66.7 %; waits 1 4 6: mean 3.7 median 4.0 p90 5.6;
         service 10 15 20: mean 15.0 median 15.0 p90 19.0; respondents 1, IKM 100.00
  3 Nov: issued 3, served 3, within 3 = 100.0 %; waits 3 8 15: mean 8.7 median 8.0 p90 13.6;
         service 10 11 12: mean 11.0 median 11.0 p90 11.8; respondents 1, IKM 75.00
  November: issued 6, served 6, within 5 = 83.3 %; waits 1 3 4 6 8 15: mean 6.2 median 5.0 p90 11.5;
         service 10 10 11 12 15 20: mean 13.0 median 11.5 p90 17.5; respondents 2, IKM 87.50 (B)
  October: issued 2, served 2, within 1 = 50.0 %; waits 10 20: mean 15.0 median 15.0 p90 19.0;
         service 10 20: the same; respondents 1, IKM 75.00
  November - October: issued +4, waiting mean -8.8 median -10.0 p90 -7.5, service mean -2.0
         median -3.5 p90 -1.5, within +33.3 points, respondents +1, IKM +12.50
  2026: issued 8, within 6 of 8 = 75.0 %; waits 1 3 4 6 8 10 15 20: mean 8.4 median 7.0 p90 16.5
  2025: issued 1, within 1 of 1 = 100.0 %; wait 30.0
  November per group: regular (N1 N3 N5) 4 6 8: mean 6.0 median 6.0 p90 7.6;
         lansia (N2 N6) 1 15: mean 8.0 median 8.0 p90 13.6; disabilitas (N4) 3: 3.0 3.0 3.0
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdf
import pytest
from openpyxl import load_workbook

from servicedesk.domain.reporting import PeriodKind, minutes, period_for
from servicedesk.domain.review import REGULAR, metric
from servicedesk.extensions import db
from servicedesk.persistence import reports
from servicedesk.services import follow_up
from servicedesk.services import survey as survey_use_cases
from servicedesk.services import tickets as uc
from servicedesk.services.review import review_figures
from servicedesk.web.context import unit_of_work

WITA = ZoneInfo("Asia/Makassar")
NOVEMBER = period_for(PeriodKind.MONTH, date(2026, 11, 1))
YEAR = period_for(PeriodKind.YEAR, date(2026, 11, 1))
D = Decimal


def at(year: int, month: int, day: int, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(year, month, day, hours, minutes, tzinfo=WITA)


class Desk:
    """Plays the tickets above through the counters' own use cases, each step at a local time."""

    def __init__(self, app, office, clock):
        self.app, self.office, self.clock = app, office, clock
        self.tickets: dict[str, tuple[int, str]] = {}

    def _run(self, use_case, **kwargs):
        with self.app.app_context():
            return use_case(unit_of_work(), **kwargs)

    def issue(self, when: datetime, name: str, code: str = "A", group: str | None = None) -> None:
        self.clock.set(when)
        issued = self._run(
            uc.issue_ticket, service_id=self.office.service(code), priority=group is not None, priority_group=group
        )
        self.tickets[name] = (issued.ticket.id, issued.ticket.token)

    def call(self, when: datetime, who: str, counter: int, name: str) -> None:
        self.clock.set(when)
        user, ticket = self.office.users[who], self.tickets[name][0]
        self._run(
            uc.call_ticket, counter_id=self.office.counter(counter), user_id=user, ticket_id=ticket, reason="review"
        )
        self._run(uc.start, ticket_id=ticket, user_id=user)

    def finish(self, when: datetime, who: str, name: str) -> None:
        self.clock.set(when)
        self._run(uc.finish, ticket_id=self.tickets[name][0], user_id=self.office.users[who])

    def open(self, when: datetime) -> None:
        self.clock.set(when)
        for who, counter in (("siti", 1), ("budi", 2)):
            self._run(uc.open_counter, counter_id=self.office.counter(counter), user_id=self.office.users[who])

    def answer(self, when: datetime, name: str, value: int) -> None:
        self.clock.set(when)
        answers = {f"u{i}": value for i in range(1, 10)}
        self._run(survey_use_cases.submit_response, token=self.tickets[name][1], answers=answers)


@pytest.fixture
def desk(app, office, clock) -> Desk:
    office.configure(time_zone="Asia/Makassar")
    d = Desk(app, office, clock)
    d.open(at(2025, 12, 10, "07:00"))
    d.issue(at(2025, 12, 10, "08:00"), "Y1")
    d.call(at(2025, 12, 10, "08:30"), "siti", 1, "Y1")
    d.finish(at(2025, 12, 10, "08:45"), "siti", "Y1")

    d.issue(at(2026, 10, 5, "08:00"), "P1")
    d.issue(at(2026, 10, 5, "08:05"), "P2")
    d.call(at(2026, 10, 5, "08:10"), "siti", 1, "P1")
    d.call(at(2026, 10, 5, "08:25"), "budi", 2, "P2")
    d.finish(at(2026, 10, 5, "08:30"), "siti", "P1")
    d.finish(at(2026, 10, 5, "08:35"), "budi", "P2")
    d.answer(at(2026, 10, 5, "08:40"), "P1", 3)

    d.issue(at(2026, 11, 2, "08:00"), "N1")
    d.issue(at(2026, 11, 2, "08:01"), "N2", group="lansia")
    d.call(at(2026, 11, 2, "08:02"), "budi", 2, "N2")
    d.call(at(2026, 11, 2, "08:04"), "siti", 1, "N1")
    d.issue(at(2026, 11, 2, "08:10"), "N3", code="B")
    d.finish(at(2026, 11, 2, "08:14"), "siti", "N1")
    d.call(at(2026, 11, 2, "08:16"), "siti", 1, "N3")
    d.answer(at(2026, 11, 2, "08:20"), "N1", 4)
    d.finish(at(2026, 11, 2, "08:22"), "budi", "N2")
    d.finish(at(2026, 11, 2, "08:31"), "siti", "N3")
    d.answer(at(2026, 11, 3, "00:30"), "N3", 3)

    d.issue(at(2026, 11, 3, "09:00"), "N4", group="disabilitas")
    d.issue(at(2026, 11, 3, "09:01"), "N5")
    d.issue(at(2026, 11, 3, "09:02"), "N6", group="lansia")
    d.call(at(2026, 11, 3, "09:03"), "budi", 2, "N4")
    d.call(at(2026, 11, 3, "09:09"), "siti", 1, "N5")
    d.finish(at(2026, 11, 3, "09:15"), "budi", "N4")
    d.call(at(2026, 11, 3, "09:17"), "budi", 2, "N6")
    d.finish(at(2026, 11, 3, "09:20"), "siti", "N5")
    d.finish(at(2026, 11, 3, "09:27"), "budi", "N6")
    return d


def review_of(app, period, **filters):
    with app.app_context():
        return review_figures(db.session, period, "Asia/Makassar", reports.Filters(**filters))


def changes(review) -> dict:
    return {c.metric: (c.current, c.previous, c.difference) for c in review.changes}


def test_this_month_is_compared_with_last_month_figure_by_figure(app, desk):
    review = review_of(app, NOVEMBER)
    assert review.previous_period == period_for(PeriodKind.MONTH, date(2026, 10, 1))
    assert changes(review) == {
        "issued": (6, 2, 4),
        "served": (6, 2, 4),
        "waiting_mean": (D("6.2"), D("15.0"), D("-8.8")),
        "waiting_median": (D("5.0"), D("15.0"), D("-10.0")),
        "waiting_p90": (D("11.5"), D("19.0"), D("-7.5")),
        "service_mean": (D("13.0"), D("15.0"), D("-2.0")),
        "service_median": (D("11.5"), D("15.0"), D("-3.5")),
        "service_p90": (D("17.5"), D("19.0"), D("-1.5")),
        "compliance": (D("83.3"), D("50.0"), D("33.3")),
        "respondents": (2, 1, 1),
        "ikm": (D("87.50"), D("75.00"), D("12.50")),
    }


def test_this_year_is_compared_with_last_year(app, desk):
    found = changes(review_of(app, YEAR))
    assert found["issued"] == (8, 1, 7)
    assert found["waiting_mean"] == (D("8.4"), D("30.0"), D("-21.6"))
    assert found["waiting_median"] == (D("7.0"), D("30.0"), D("-23.0"))
    assert found["waiting_p90"] == (D("16.5"), D("30.0"), D("-13.5"))
    assert found["compliance"] == (D("75.0"), D("100.0"), D("-25.0"))
    assert found["ikm"] == (D("83.33"), None, None)  # each element (3 + 4 + 3) / 3, x 25; none last year


def times(summary, which: str) -> list:
    """Mean, median and 90th percentile in minutes, as printed."""
    return [metric(summary, f"{which}_{statistic}") for statistic in ("mean", "median", "p90")]


def test_the_trend_has_a_row_per_local_day_with_its_own_figures(app, desk):
    days = {d.day: d.summary for d in review_of(app, NOVEMBER).days}
    assert sorted(days) == [date(2026, 11, 2), date(2026, 11, 3)]
    second, third = days[date(2026, 11, 2)], days[date(2026, 11, 3)]
    assert (second.issued, second.served, second.compliance) == (3, 3, D("66.7"))
    assert times(second, "waiting") == [D("3.7"), D("4.0"), D("5.6")]
    assert times(second, "service") == [D("15.0"), D("15.0"), D("19.0")]
    assert (third.issued, third.served, third.compliance) == (3, 3, D("100.0"))
    assert times(third, "waiting") == [D("8.7"), D("8.0"), D("13.6")]
    assert times(third, "service") == [D("11.0"), D("11.0"), D("11.8")]
    # The answer given at 00:30 on the 3rd (16:30 UTC on the 2nd) belongs to the 3rd.
    assert (second.ikm.respondents, second.ikm.score) == (1, D("100.00"))
    assert (third.ikm.respondents, third.ikm.score) == (1, D("75.00"))


def test_a_year_trends_month_by_month_with_each_month_as_its_own_period(app, desk):
    months = {d.label: d.summary for d in review_of(app, YEAR).days}
    assert sorted(months) == ["2026-10", "2026-11"]
    october, november = months["2026-10"], months["2026-11"]
    assert (november.issued, november.served, november.compliance) == (6, 6, D("83.3"))
    assert times(november, "waiting") == [D("6.2"), D("5.0"), D("11.5")]
    assert times(november, "service") == [D("13.0"), D("11.5"), D("17.5")]
    assert (november.ikm.respondents, november.ikm.score) == (2, D("87.50"))
    assert (october.issued, october.compliance, october.ikm.score) == (2, D("50.0"), D("75.00"))
    assert times(october, "waiting") == [D("15.0"), D("15.0"), D("19.0")]


def test_waits_per_priority_group_stand_beside_the_general_wait(app, desk):
    review = review_of(app, NOVEMBER)
    waits = {key: (d.count, metric_minutes(d)) for key, d in review.group_waits.items()}
    assert waits == {
        REGULAR: (3, [D("6.0"), D("6.0"), D("7.6")]),
        "lansia": (2, [D("8.0"), D("8.0"), D("13.6")]),
        "disabilitas": (1, [D("3.0"), D("3.0"), D("3.0")]),
    }
    assert (review.all_waits.count, metric_minutes(review.all_waits)) == (6, [D("6.2"), D("5.0"), D("11.5")])


def metric_minutes(distribution) -> list:
    return [minutes(distribution.mean), minutes(distribution.median), minutes(distribution.p90)]


def test_a_service_filter_narrows_the_comparison_and_the_trend(app, desk):
    review = review_of(app, NOVEMBER, service_id=desk.office.service("B"))
    assert changes(review)["issued"] == (1, 0, 1)
    assert changes(review)["waiting_median"] == (D("6.0"), None, None)
    assert [(d.day, d.summary.issued, d.summary.ikm.respondents) for d in review.days] == [
        (date(2026, 11, 2), 1, 0),
        (date(2026, 11, 3), 0, 1),
    ]


# --- over HTTP: the report page, its exports, the review pack and its PDF ---

MONTH = {"period": "month", "date": "2026-11-01"}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8").removeprefix("\ufeff"))))


def test_the_report_page_shows_the_comparison_the_trend_and_the_group_waits(client, auth, desk):
    auth.login("supervisor")
    page = client.get("/reports/", query_string={**MONTH, "lang": "en"}).text
    assert "Compared with the previous period" in page and "This period against October 2026" in page
    assert 'id="table-trend"' in page and "2026-11-03" in page
    assert 'id="table-group_waits"' in page and "Elderly" in page
    assert 'id="chart-trend-times"' in page and 'id="chart-group-waits"' in page
    assert "/reports/review?period=month&amp;date=2026-11-01" in page


def test_the_comparison_trend_and_group_waits_export_as_csv_and_xlsx(client, auth, desk):
    auth.login("supervisor")
    rows = csv_rows(client.get("/reports/export/comparison.csv", query_string={**MONTH, "lang": "en"}))
    assert rows[0] == ["Figure", "This period (November 2026)", "Previous period (October 2026)", "Change"]
    assert rows[3] == ["Waiting, mean (min)", "6.2", "15.0", "-8.8"]
    assert rows[9] == ["Within standard (%)", "83.3", "50.0", "33.3"]
    assert rows[11] == ["IKM", "87.50", "75.00", "12.50"]
    trend = csv_rows(client.get("/reports/export/trend.csv", query_string={**MONTH, "lang": "en"}))
    assert trend[1] == ["2026-11-02", "3", "3", "3.7", "4.0", "5.6", "15.0", "15.0", "19.0", "66.7", "1", "100.00"]
    assert trend[-1][:4] == ["Total", "6", "6", "6.2"]
    groups = csv_rows(client.get("/reports/export/group_waits.csv", query_string={**MONTH, "lang": "id"}))
    assert groups[1] == ["Reguler (tanpa prioritas)", "3", "6.0", "6.0", "7.6"]
    assert ["Lanjut usia", "2", "8.0", "8.0", "13.6"] in groups
    assert groups[-1] == ["Semua tiket", "6", "6.2", "5.0", "11.5"]
    workbook = load_workbook(io.BytesIO(client.get("/reports/export/all.xlsx", query_string=MONTH).data))
    assert {"comparison", "trend", "group_waits"} <= set(workbook.sheetnames)


def test_a_group_named_like_a_formula_is_exported_as_text(client, auth, office, desk):
    office.configure(priority_groups=[{"key": "lansia", "name": '=HYPERLINK("http://x")', "name_en": "@SUM(1)"}])
    auth.login("supervisor")
    rows = csv_rows(client.get("/reports/export/group_waits.csv", query_string={**MONTH, "lang": "en"}))
    assert ["'@SUM(1)", "2", "8.0", "8.0", "13.6"] in rows


def record_open_follow_up(app, office, clock) -> None:
    clock.set(at(2026, 11, 20, "10:00"))
    with app.app_context():
        follow_up.record_action(
            unit_of_work(),
            actor_id=office.users["supervisor"],
            period=NOVEMBER,
            service_id=None,
            element="u3",
            action="Tambah kursi di ruang tunggu",
            owner="Kepala Subbagian Umum",
            due_date=date(2026, 12, 15),
        )


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    # Table cells wrap their text over lines: compare words, not line breaks.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_review_pack_pdf_reads_the_figures_the_follow_up_and_the_signature_block_in_english(
    app, client, auth, office, clock, desk
):
    record_open_follow_up(app, office, clock)
    auth.login("supervisor")
    response = client.get("/reports/review.pdf", query_string={**MONTH, "lang": "en"})
    assert 'filename="management-review-2026-11-01-2026-11-30.pdf"' in response.headers["Content-Disposition"]
    text = pdf_text(response)
    assert "Management review pack" in text and "November 2026" in text and "October 2026" in text
    assert "87.50" in text and "Grade B" in text and "Sample 2 of" in text
    assert "83.3" in text and "-8.8" in text  # within standard now, the mean wait's change
    assert "Elderly" in text and "13.6" in text  # the lansia group's 90th percentile
    assert "Tambah kursi di ruang tunggu" in text and "Kepala Subbagian Umum" in text
    assert "Intact:" in text  # the audit chain, verified
    assert "Head of office" in text and "NIP" in text
    assert "Printable PDF" not in text  # the page's controls are not printed


def test_the_review_pack_in_indonesian_as_a_page_and_as_pdf(app, client, auth, office, clock, desk):
    record_open_follow_up(app, office, clock)
    auth.login("supervisor")
    page = client.get("/reports/review", query_string={**MONTH, "lang": "id"})
    assert page.status_code == 200 and 'id="pdf-link"' in page.text
    text = pdf_text(client.get("/reports/review.pdf", query_string={**MONTH, "lang": "id"}))
    assert "Paket tinjauan manajemen" in text
    assert "Dibandingkan dengan periode sebelumnya" in text
    assert "87.50" in text and "Lanjut usia" in text
    assert "Tambah kursi di ruang tunggu" in text
    assert "Kepala kantor" in text and "NIP" in text


def test_only_supervisors_read_the_review_pack(client, auth, office):
    assert client.get("/reports/review", query_string=MONTH).status_code == 302
    auth.login("siti")
    assert client.get("/reports/review", query_string=MONTH).status_code == 403
    assert client.get("/reports/review.pdf", query_string=MONTH).status_code == 403


def test_a_malformed_period_on_the_review_pack_is_a_readable_bad_request(client, auth, office):
    auth.login("supervisor")
    assert client.get("/reports/review", query_string={"period": "month", "date": "Nov"}).status_code == 400


def test_the_head_of_office_named_in_the_settings_signs_the_pack_with_name_and_nip(app, client, auth, office, desk):
    office.configure(head_name="Dra. Siti Rahmawati, M.Si.", head_nip="197005121995032001")
    auth.login("supervisor")
    text = pdf_text(client.get("/reports/review.pdf", query_string={**MONTH, "lang": "id"}))
    assert "Dra. Siti Rahmawati, M.Si." in text and "NIP: 197005121995032001" in text
    assert "NIP: ___" not in text  # no blank line left for the NIP
