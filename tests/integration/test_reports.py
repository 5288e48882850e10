"""A month of a small office in Makassar (WITA, UTC+8), written out so every figure can be checked by hand.

Every ticket goes through the same use cases the counters use, with the clock set to local times;
the report tests (test_reports*.py) then check each figure against the arithmetic written there.

Standard times (demo SOPs): A 15 min, B 20, C 30, E 10. Officers and counters: siti at counter 1
(A, B), budi at counter 2 (A, E), agus at counter 3 (C, D), dewi at counter 4 (B, D, E).

Tuesday 3 November 2026, local time (the "day"):
  T9  E001  issued 00:30  dewi  called 00:40 start 00:40 done 00:50     wait 10  service 10 (E<=10 yes)
  T1  A001  issued 08:00  siti  called 08:05 start 08:06 done 08:18     wait  5  service 12 (A<=15 yes)
  T2  A002* issued 08:02  budi  called 08:10 start 08:10 done 08:30     wait  8  service 20 (no)
  T3  B001  issued 08:20  siti  called 08:25 start 08:26 done 08:46     wait  5  service 20 (B<=20 yes)
  T4  A003  issued 08:40  siti  called 08:50 no-show 08:52              wait 10
  T5  A004  issued 09:00  budi  called 09:03 start 09:04, transferred to E 09:10;
                          dewi  called 09:20 start 09:21 done 09:29     wait  3  service 8 in E (yes)
  T6  B002  issued 09:30  cancelled by the visitor 09:40
  T7  A005  issued 10:00  siti  called 10:30 no-show 10:32, siti requeues 10:40;
                          budi  called 10:45 start 10:45 done 11:00     wait 30 (first call)  service 15 (yes)
  T8  A006  issued 23:50  siti  called 00:05 (4 Nov) start 00:06 done 00:25   wait 15  service 19 (no)
  (* priority)
The rest of November:
  T12 E001  issued Sun 1 Nov 00:00 (the first instant of the month), cancelled by the visitor 00:05
  T0  B001  issued Mon 2 Nov 23:55  dewi called 00:01 (3 Nov) start 00:02 done 00:10   wait 6  service 8 (yes)
  T10 C001  issued Mon 30 Nov 23:30 agus called 23:40 start 23:40 done 00:20 (1 Dec)  wait 10  service 40 (C<=30 no)
Outside November, each only a few minutes or hours from it:
  T13 E001  issued Sat 31 Oct 23:59 local (15:59 UTC), cancelled 1 Nov 00:03 local
  T11 D001  issued Tue 1 Dec 00:10 local = 30 Nov 16:10 UTC (a UTC reading would count it in November)

Survey (by the time it was submitted), answers u1..u9:
  R0  T0 (B, dewi, counter 4)  3 Nov 00:15  2 2 2 4 2 2 2 1 2  = 19  "Ruang tunggu panas."
  R1  T1 (A, siti, counter 1)  3 Nov 08:20  4 4 4 4 4 4 4 4 4  = 36  "Pelayanan cepat dan ramah."
  R2  T2 (A, budi, counter 2)  3 Nov 08:35  3 3 2 4 3 3 3 2 3  = 26  "Antre terlalu lama."
  R3  T3 (B, siti, counter 1)  3 Nov 08:50  3 3 3 4 3 3 3 3 3  = 28  (no comment)
  R4  T8 (A, siti, counter 1)  4 Nov 00:30  4 4 3 4 4 4 4 3 4  = 34  "Malam pun dilayani."
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from servicedesk.domain.reporting import Period, PeriodKind, arrivals_grid, ikm_figures, period_for
from servicedesk.extensions import db
from servicedesk.persistence import reports
from servicedesk.services import survey as survey_use_cases
from servicedesk.services import tickets as uc
from servicedesk.web.context import unit_of_work

WITA = ZoneInfo("Asia/Makassar")

ANSWERS = {
    "R0": (2, 2, 2, 4, 2, 2, 2, 1, 2),
    "R1": (4, 4, 4, 4, 4, 4, 4, 4, 4),
    "R2": (3, 3, 2, 4, 3, 3, 3, 2, 3),
    "R3": (3, 3, 3, 4, 3, 3, 3, 3, 3),
    "R4": (4, 4, 3, 4, 4, 4, 4, 3, 4),
}


def local(day: int, hhmm: str, month: int = 11) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    year = 2026
    return datetime(year, month, day, hours, minutes, tzinfo=WITA)


class Office:
    """Plays the office's day through the use cases, each step at a local time."""

    def __init__(self, app, office, clock):
        self.app, self.office, self.clock = app, office, clock
        self.tickets: dict[str, object] = {}
        self.users = office.users

    def at(self, moment: datetime) -> Office:
        self.clock.set(moment)
        return self

    def _run(self, use_case, **kwargs):
        with self.app.app_context():
            return use_case(unit_of_work(), **kwargs)

    def issue(self, name: str, code: str, priority: bool = False) -> None:
        issued = self._run(uc.issue_ticket, service_id=self.office.service(code), priority=priority)
        self.tickets[name] = (issued.ticket.id, issued.ticket.token, issued.ticket.number)

    def open(self, who: str, counter: int) -> None:
        self._run(uc.open_counter, counter_id=self.office.counter(counter), user_id=self.users[who])

    def call(self, who: str, counter: int, name: str) -> None:
        self._run(
            uc.call_ticket,
            counter_id=self.office.counter(counter),
            user_id=self.users[who],
            ticket_id=self.tickets[name][0],
            reason="report fixture",
        )

    def act(self, who: str, action: str, name: str, **kwargs) -> None:
        self._run(getattr(uc, action), ticket_id=self.tickets[name][0], user_id=self.users[who], **kwargs)

    def withdraw(self, name: str) -> None:
        self._run(uc.cancel_by_visitor, token=self.tickets[name][1])

    def answer(self, name: str, response: str | tuple[int, ...], comment: str | None = None) -> None:
        """Answers u1..u9 as one of the named responses above, or as a tuple of nine."""
        values = ANSWERS[response] if isinstance(response, str) else response
        answers = dict(zip([f"u{i}" for i in range(1, 10)], values, strict=True))
        self._run(survey_use_cases.submit_response, token=self.tickets[name][1], answers=answers, comment=comment)


def build(app, office, clock) -> Office:
    """The month above. Returns the player, whose .tickets maps T0..T13 to (id, token, number)."""
    office.configure(time_zone="Asia/Makassar")
    o = Office(app, office, clock)
    o.at(local(31, "23:59", month=10)).issue("T13", "E")
    o.at(local(1, "00:00")).issue("T12", "E")
    o.at(local(1, "00:03")).withdraw("T13")
    o.at(local(1, "00:05")).withdraw("T12")
    o.at(local(2, "07:00"))
    for who, counter in (("siti", 1), ("budi", 2), ("agus", 3), ("dewi", 4)):
        o.open(who, counter)

    o.at(local(2, "23:55")).issue("T0", "B")
    o.at(local(3, "00:01")).call("dewi", 4, "T0")
    o.at(local(3, "00:02")).act("dewi", "start", "T0")
    o.at(local(3, "00:10")).act("dewi", "finish", "T0")
    o.at(local(3, "00:15")).answer("T0", "R0", "Ruang tunggu panas.")
    o.at(local(3, "00:30")).issue("T9", "E")
    o.at(local(3, "00:40")).call("dewi", 4, "T9")
    o.act("dewi", "start", "T9")
    o.at(local(3, "00:50")).act("dewi", "finish", "T9")

    o.at(local(3, "08:00")).issue("T1", "A")
    o.at(local(3, "08:02")).issue("T2", "A", priority=True)
    o.at(local(3, "08:05")).call("siti", 1, "T1")
    o.at(local(3, "08:06")).act("siti", "start", "T1")
    o.at(local(3, "08:10")).call("budi", 2, "T2")
    o.act("budi", "start", "T2")
    o.at(local(3, "08:18")).act("siti", "finish", "T1")
    o.at(local(3, "08:20")).issue("T3", "B")
    o.answer("T1", "R1", "Pelayanan cepat dan ramah.")
    o.at(local(3, "08:25")).call("siti", 1, "T3")
    o.at(local(3, "08:26")).act("siti", "start", "T3")
    o.at(local(3, "08:30")).act("budi", "finish", "T2")
    o.at(local(3, "08:35")).answer("T2", "R2", "Antre terlalu lama.")
    o.at(local(3, "08:40")).issue("T4", "A")
    o.at(local(3, "08:46")).act("siti", "finish", "T3")
    o.at(local(3, "08:50")).call("siti", 1, "T4")
    o.answer("T3", "R3")
    o.at(local(3, "08:52")).act("siti", "no_show", "T4")
    o.at(local(3, "09:00")).issue("T5", "A")
    o.at(local(3, "09:03")).call("budi", 2, "T5")
    o.at(local(3, "09:04")).act("budi", "start", "T5")
    o.at(local(3, "09:10")).act("budi", "transfer", "T5", to_service_id=office.service("E"))
    o.at(local(3, "09:20")).call("dewi", 4, "T5")
    o.at(local(3, "09:21")).act("dewi", "start", "T5")
    o.at(local(3, "09:29")).act("dewi", "finish", "T5")
    o.at(local(3, "09:30")).issue("T6", "B")
    o.at(local(3, "09:40")).withdraw("T6")
    o.at(local(3, "10:00")).issue("T7", "A")
    o.at(local(3, "10:30")).call("siti", 1, "T7")
    o.at(local(3, "10:32")).act("siti", "no_show", "T7")
    o.at(local(3, "10:40")).act("siti", "requeue", "T7")
    o.at(local(3, "10:45")).call("budi", 2, "T7")
    o.act("budi", "start", "T7")
    o.at(local(3, "11:00")).act("budi", "finish", "T7")
    o.at(local(3, "23:50")).issue("T8", "A")
    o.at(local(4, "00:05")).call("siti", 1, "T8")
    o.at(local(4, "00:06")).act("siti", "start", "T8")
    o.at(local(4, "00:25")).act("siti", "finish", "T8")
    o.at(local(4, "00:30")).answer("T8", "R4", "Malam pun dilayani.")

    o.at(local(30, "23:30")).issue("T10", "C")
    o.at(local(30, "23:40")).call("agus", 3, "T10")
    o.act("agus", "start", "T10")
    o.at(local(1, "00:10", month=12)).issue("T11", "D")
    o.at(local(1, "00:20", month=12)).act("agus", "finish", "T10")
    return o


# --- the figures, checked one by one against the arithmetic in the module docstring ---

MIN = 60  # seconds


@pytest.fixture
def makassar(app, office, clock):
    return build(app, office, clock)


def figures_of(app, period: Period, **filters):
    with app.app_context():
        return reports.figures(db.session, period, "Asia/Makassar", reports.Filters(**filters))


DAY = period_for(PeriodKind.DAY, local(3, "12:00").date())
MONTH = period_for(PeriodKind.MONTH, local(3, "12:00").date())


def test_the_day_counts_tickets_issued_that_local_day_by_service(app, office, makassar):
    f = figures_of(app, DAY)
    a, b, e = (f.services[office.service(code)] for code in "ABE")
    # Issued, by the service the ticket was taken for: A = T1 T2 T4 T5 T7 T8, B = T3 T6, E = T9.
    # T9 (00:30 WITA = 2 Nov 16:30 UTC) is in; T0 (issued 2 Nov 23:55) is not, though served on the 3rd.
    assert (a.issued, b.issued, e.issued, f.total.issued) == (6, 2, 1, 9)
    assert (a.priority, f.total.priority) == (1, 1)  # T2: 1 of 9
    # Served, by the service that finished it: A = T1 T2 T7 T8; B = T3; E = T9 and T5 (from A).
    assert (a.served, b.served, e.served, f.total.served) == (4, 1, 2, 7)
    assert (a.no_show, f.total.no_show) == (1, 1)  # T4; T7 turned up again and was served
    assert (b.cancelled, f.total.cancelled) == (1, 1)  # T6
    assert (a.transferred, e.transferred, f.total.transferred) == (1, 0, 1)  # T5, out of A
    assert set(f.services) == {office.service(code) for code in "ABE"}


def test_the_day_shares_within_the_sop_standard_per_service(app, office, makassar):
    f = figures_of(app, DAY)
    a, b, e = (f.services[office.service(code)] for code in "ABE")
    # A (15 min): T1 12 yes, T2 20 no, T7 15 yes (exactly the standard), T8 19 no -> 2 of 4.
    assert (a.within_standard, a.served) == (2, 4)
    # B (20 min): T3 20, exactly the standard -> 1 of 1.  E (10 min): T9 10, T5 8 -> 2 of 2.
    assert (b.within_standard, e.within_standard) == (1, 2)
    assert (f.total.within_standard, f.total.served) == (5, 7)


def test_the_day_waiting_times_run_from_issue_to_the_first_call(app, office, makassar):
    f = figures_of(app, DAY)
    a = f.services[office.service("A")].waiting
    # A: T5 3, T1 5, T2 8, T4 10, T8 15 (across midnight), T7 30 (its first call, not the one after
    # the requeue at 45) -> sorted 3 5 8 10 15 30, n = 6, mean 71/6.
    assert a.count == 6
    assert a.mean == pytest.approx(71 / 6 * MIN)
    assert a.median == 9 * MIN  # h = 5 x 0.5 = 2.5: 8 + 0.5 x (10 - 8)
    assert a.p90 == pytest.approx(22.5 * MIN)  # h = 5 x 0.9 = 4.5: 15 + 0.5 x (30 - 15)
    b = f.services[office.service("B")].waiting
    assert (b.count, b.mean, b.median, b.p90) == (1, 5 * MIN, 5 * MIN, 5 * MIN)  # T3; T6 was never called
    total = f.total.waiting
    # All: 3 5 5 8 10 10 15 30, n = 8, sum 86.
    assert total.count == 8
    assert total.mean == pytest.approx(86 / 8 * MIN)
    assert total.median == 9 * MIN  # h = 3.5: 8 + 0.5 x 2
    assert total.p90 == pytest.approx(19.5 * MIN)  # h = 7 x 0.9 = 6.3: 15 + 0.3 x 15


def test_the_day_service_times_run_from_serving_to_done(app, office, makassar):
    f = figures_of(app, DAY)
    a = f.services[office.service("A")].service
    # A: 12 15 19 20, mean 66/4 = 16.5; median h = 1.5: 15 + 0.5 x 4 = 17; p90 h = 2.7: 19 + 0.7 x 1.
    assert (a.count, a.mean, a.median) == (4, 16.5 * MIN, 17 * MIN)
    assert a.p90 == pytest.approx(19.7 * MIN)
    e = f.services[office.service("E")].service
    # E: T5 8, T9 10: mean 9, median 9, p90 h = 0.9: 8 + 0.9 x 2 = 9.8.
    assert (e.count, e.mean, e.median) == (2, 9 * MIN, 9 * MIN)
    assert e.p90 == pytest.approx(9.8 * MIN)
    total = f.total.service
    # All: 8 10 12 15 19 20 20, sum 104; median rank 4 = 15; p90 h = 5.4 between 20 and 20.
    assert (total.count, total.median, total.p90) == (7, 15 * MIN, 20 * MIN)
    assert total.mean == pytest.approx(104 / 7 * MIN)


def test_the_day_per_officer_and_per_counter(app, office, makassar):
    f = figures_of(app, DAY)
    officers = {row.key: row for row in f.officers}
    siti, budi, dewi = (officers[office.users[name]] for name in ("siti", "budi", "dewi"))
    # siti: T1 12, T3 20 (B, yes), T8 19 (no) -> 3 served, mean 51/3 = 17, 2 within; T4 her no-show.
    assert (siti.served, siti.mean_service, siti.within_standard, siti.no_show) == (3, 17 * MIN, 2, 1)
    # budi: T2 20 (no), T7 15 (yes) -> mean 17.5, 1 within. T5 went on to dewi.
    assert (budi.served, budi.mean_service, budi.within_standard, budi.no_show) == (2, 17.5 * MIN, 1, 0)
    # dewi: T9 10, T5 8 -> mean 9, both within.
    assert (dewi.served, dewi.mean_service, dewi.within_standard) == (2, 9 * MIN, 2)
    assert office.users["agus"] not in officers
    counters = {row.key: row.served for row in f.counters}
    assert counters == {office.counter(1): 3, office.counter(2): 2, office.counter(4): 2}


def test_the_day_arrivals_are_read_on_the_makassar_clock(app, office, makassar):
    grid = arrivals_grid(figures_of(app, DAY).arrivals, "Asia/Makassar")
    tuesday = grid[1]
    # 00:30 T9; 08:00 08:02 08:20 08:40; 09:00 09:30; 10:00; 23:50 -> hours 0, 8, 9, 10, 23.
    assert {hour: n for hour, n in enumerate(tuesday) if n} == {0: 1, 8: 4, 9: 2, 10: 1, 23: 1}
    assert sum(map(sum, grid)) == 9


def test_the_day_satisfaction_index_per_service_and_in_total(app, office, makassar):
    f = figures_of(app, DAY)
    # Submitted on the 3rd: R0 (for T0, issued the 2nd), R1, R2, R3. R4 came after midnight.
    total = ikm_figures(f.survey_total.index(), f.total.served)
    # Sums per element: u1 2+4+3+3 = 12, u2 12, u3 2+4+2+3 = 11, u4 16, u5 12, u6 12, u7 12,
    # u8 1+4+2+3 = 10, u9 12 -> NRR 3, 3, 2.75, 4, 3, 3, 3, 2.5, 3; sum 27.25;
    # IKM = 27.25 x 1/9 x 25 = 75.694... -> 75.69, grade C (65.00 <= x < 76.61).
    assert total.respondents == 4
    assert [str(total.nrr[f"u{i}"]) for i in range(1, 10)] == [
        "3.00", "3.00", "2.75", "4.00", "3.00", "3.00", "3.00", "2.50", "3.00"
    ]  # fmt: skip
    assert str(total.score) == "75.69"
    assert total.grade[:2] == ("C", "Kurang baik")
    # Krejcie-Morgan for 7 served: 3.841 x 7 x 0.25 / (0.0025 x 6 + 3.841 x 0.25) = 6.89 -> 7.
    assert (total.sample_needed, total.sample_reached) == (7, False)
    a = ikm_figures(f.survey[office.service("A")].index(), f.services[office.service("A")].served)
    # A: R1 36 + R2 26 = 62 -> sum of NRR 31 -> 31 / 9 x 25 = 86.11, B.
    assert (a.respondents, str(a.score), a.grade[0]) == (2, "86.11", "B")
    assert (a.sample_needed, a.sample_reached) == (4, False)  # 4 served: 3.97 -> 4
    b = ikm_figures(f.survey[office.service("B")].index(), f.services[office.service("B")].served)
    # B: R0 19 + R3 28 = 47 -> 23.5 / 9 x 25 = 65.277... -> 65.28, C; 1 served needs 1 respondent.
    assert (b.respondents, str(b.score), b.grade[0]) == (2, "65.28", "C")
    assert (b.sample_needed, b.sample_reached) == (1, True)


def test_the_day_comments_newest_first(app, makassar):
    f = figures_of(app, DAY)
    assert [c.text for c in f.comments] == ["Antre terlalu lama.", "Pelayanan cepat dan ramah.", "Ruang tunggu panas."]
    assert f.comment_count == 3


def test_the_month_covers_local_midnight_to_local_midnight(app, office, makassar):
    f = figures_of(app, MONTH)
    # The day's 9 + T12 (1 Nov 00:00) + T0 (2 Nov) + T10 (30 Nov); not T13 (31 Oct 23:59) nor
    # T11 (1 Dec 00:10 local, still 30 Nov in UTC).
    assert f.total.issued == 12
    by_code = {code: f.services[office.service(code)] for code in "ABCE"}
    assert [by_code[c].issued for c in "ABCE"] == [6, 3, 1, 2]
    assert [by_code[c].served for c in "ABCE"] == [4, 2, 1, 2]
    # Within standard: A 2, B 2 (T0 8 min), C 0 (T10 40 > 30), E 2 -> 6 of 9.
    assert [by_code[c].within_standard for c in "ABCE"] == [2, 2, 0, 2]
    assert (f.total.within_standard, f.total.served) == (6, 9)
    assert (f.total.no_show, f.total.cancelled, f.total.transferred) == (1, 2, 1)  # cancelled: T6, T12
    # Waits: 3 5 5 6 8 10 10 10 15 30, sum 102; median h = 4.5: (8 + 10) / 2; p90 h = 8.1: 15 + 0.1 x 15.
    w = f.total.waiting
    assert (w.count, w.median) == (10, 9 * MIN)
    assert w.mean == pytest.approx(10.2 * MIN)
    assert w.p90 == pytest.approx(16.5 * MIN)
    # Service: 8 8 10 12 15 19 20 20 40, sum 152; median rank 5 = 15; p90 h = 7.2: 20 + 0.2 x 20 = 24.
    s = f.total.service
    assert (s.count, s.median) == (9, 15 * MIN)
    assert s.mean == pytest.approx(152 / 9 * MIN)
    assert s.p90 == pytest.approx(24 * MIN)
    b = by_code["B"]
    # B: waits 5 (T3), 6 (T0): mean 5.5, p90 5 + 0.9 = 5.9; service 8, 20: p90 8 + 0.9 x 12 = 18.8.
    assert b.waiting.mean == pytest.approx(5.5 * MIN) and b.waiting.p90 == pytest.approx(5.9 * MIN)
    assert b.service.mean == 14 * MIN and b.service.p90 == pytest.approx(18.8 * MIN)
    officers = {row.key: row for row in f.officers}
    dewi, agus = officers[office.users["dewi"]], officers[office.users["agus"]]
    assert (dewi.served, dewi.within_standard) == (3, 3)
    assert dewi.mean_service == pytest.approx(26 / 3 * MIN)  # 10 + 8 + 8
    assert (agus.served, agus.mean_service, agus.within_standard) == (1, 40 * MIN, 0)


def test_the_month_arrivals_and_satisfaction(app, office, makassar):
    f = figures_of(app, MONTH)
    grid = arrivals_grid(f.arrivals, "Asia/Makassar")
    assert grid[0][23] == 2  # Mondays 23:00: T0 (2 Nov 23:55) and T10 (30 Nov 23:30)
    assert grid[6][0] == 1  # Sunday 1 Nov 00:00: T12
    assert sum(map(sum, grid)) == 12
    total = ikm_figures(f.survey_total.index(), f.total.served)
    # R0..R4: 19 + 36 + 26 + 28 + 34 = 143 -> 143 / 5 / 9 x 25 = 79.444... -> 79.44, B.
    assert (total.respondents, str(total.score), total.grade[0]) == (5, "79.44", "B")
    # 9 served: 3.841 x 9 x 0.25 / (0.0025 x 8 + 0.96025) = 8.82 -> 9.
    assert (total.sample_needed, total.sample_reached) == (9, False)
    a = ikm_figures(f.survey[office.service("A")].index(), f.services[office.service("A")].served)
    # A: 36 + 26 + 34 = 96 -> 32 / 9 x 25 = 88.888... -> 88.89, A (Sangat baik).
    assert (str(a.score), a.grade[:2]) == ("88.89", ("A", "Sangat baik"))
    assert [c.text for c in f.comments][0] == "Malam pun dilayani."
    assert f.comment_count == 4


def test_filters_by_service_counter_and_officer(app, office, makassar):
    only_a = figures_of(app, DAY, service_id=office.service("A"))
    assert set(only_a.services) == {office.service("A")}
    assert (only_a.total.issued, only_a.total.served, only_a.total.within_standard) == (6, 4, 2)
    assert only_a.survey_total.respondents == 2  # R1, R2
    siti = figures_of(app, DAY, officer_id=office.users["siti"])
    # Tickets siti handled last: T1, T3, T4, T8 -> 3 served (2 within), 1 no-show; her answers R1, R3.
    assert (siti.total.served, siti.total.within_standard, siti.total.no_show) == (3, 2, 1)
    assert siti.total.service.mean == 17 * MIN
    assert siti.survey_total.respondents == 2
    counter_2 = figures_of(app, DAY, counter_id=office.counter(2))
    # At counter 2: T2 and T7 served; T5 was transferred from there.
    assert (counter_2.total.served, counter_2.total.transferred) == (2, 1)
    assert counter_2.survey_total.respondents == 1  # R2
