"""The report read from the rollups of closed days equals the report read from the tickets
(domain/rollup.py, persistence/reports/rollups.py and rolling.py), on SQLite and PostgreSQL.

The office is test_reports.py's month in Makassar (transfers, no-shows, requeues, priority tickets,
cancellations, tickets issued before midnight and served after it, tickets a few minutes either side
of the month), rolled up on 5 December 2026."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from servicedesk.domain.reporting import Period, PeriodKind, period_for
from servicedesk.domain.survey import CODES
from servicedesk.extensions import db
from servicedesk.persistence import reports
from servicedesk.persistence import tables as t
from servicedesk.persistence.reports import rollups
from servicedesk.services.report_rollups import roll_up
from servicedesk.services.survey import enter_paper_response, submit_response
from servicedesk.web.context import unit_of_work
from tests.integration.test_reports import build, local

ZONE = "Asia/Makassar"
PERIODS = {
    "the year": period_for(PeriodKind.YEAR, date(2026, 11, 3)),
    "November": period_for(PeriodKind.MONTH, date(2026, 11, 3)),
    "December, still open": period_for(PeriodKind.MONTH, date(2026, 12, 1)),
    "the week of 3 November": period_for(PeriodKind.WEEK, date(2026, 11, 3)),
    "3 November": period_for(PeriodKind.DAY, date(2026, 11, 3)),
    "31 October to 3 November": Period(PeriodKind.CUSTOM, date(2026, 10, 31), date(2026, 11, 3)),
    "30 November to 5 December": Period(PeriodKind.CUSTOM, date(2026, 11, 30), date(2026, 12, 5)),
}


@pytest.fixture
def rolled_up(app, office, clock):
    """The month, closed by the timer's close-day just after midnight on 5 December (which cancels
    D001 of 1 December, never called, and rolls the last 31 days up), `flask reports rollup` for the
    days before; a ticket of 5 December then waits."""
    player = build(app, office, clock)
    answer_with_profiles(app, office, player)
    office.configure(day_closes_at="17:00")
    player.at(local(5, "00:30", month=12))
    closed = app.test_cli_runner().invoke(args=["close-day", "--if-due"])
    assert closed.exit_code == 0, closed.output
    backfilled = app.test_cli_runner().invoke(args=["reports", "rollup"])  # what the close did not reach
    assert backfilled.exit_code == 0, backfilled.output
    player.at(local(5, "09:00", month=12)).issue("T14", "A")
    return player, closed.output + backfilled.output


def answer_with_profiles(app, office, player) -> None:
    """Answers with the respondent's profile, beside test_reports.py's five without: T5 online on
    3 November, T7 on a paper form typed in on 2 December (it belongs to 2 December), T10 online on
    1 December with a blank comment."""
    player.at(local(3, "09:35"))
    with app.app_context():
        submit_response(
            unit_of_work(),
            token=player.tickets["T5"][1],
            answers=dict.fromkeys(CODES, 3) | {"u4": 4},
            comment="Petugas membantu.",
            profile={"gender": "p", "age_group": "30_39", "education": "s1", "occupation": "pns"},
        )
    player.at(local(1, "00:30", month=12))
    with app.app_context():
        submit_response(unit_of_work(), token=player.tickets["T10"][1], answers=dict.fromkeys(CODES, 4), comment="  ")
    player.at(local(2, "10:00", month=12))
    with app.app_context():
        enter_paper_response(
            unit_of_work(),
            actor_id=office.users["supervisor"],
            service_day=date(2026, 11, 3),
            number=player.tickets["T7"][2],
            answers=dict.fromkeys(CODES, 2),
            profile={"gender": "l", "education": "sma"},
        )


def figures(app, period: Period, use_rollups: bool, **filters) -> dict:
    with app.app_context():
        found = reports.figures(db.session, period, ZONE, reports.Filters(**filters), use_rollups=use_rollups)
        return comparable(found)


def comparable(found: reports.Figures) -> dict:
    """The figures as plain data; the officers' and counters' rows in order of their key (the
    tables on the page are sorted by name; the query's row order is the database's)."""
    plain = _rounded(dataclasses.asdict(found))
    for table in ("officers", "counters"):
        plain[table] = sorted(plain[table], key=lambda row: row["key"])
    return plain


def _rounded(value):
    """Means are sums of seconds added in another order from the rollups: equal to 1e-6 s."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def plan(app, period: Period, **filters):
    with app.app_context():
        return rollups.plan_for(db.session, reports.Filters(**filters), period.first, period.last, ZONE)


def test_the_days_close_rolls_up_every_day_before_today_once_and_today_not(app, rolled_up):
    _player, output = rolled_up
    # The close looks back 31 days (3 November to 4 December), the command finds the rest.
    assert "rolled up the report figures of 32 day(s)" in output
    assert "Rolled up 3 day(s), 3 ticket(s)." in output  # T13, T12 and T0
    with app.app_context():
        again = roll_up(unit_of_work())
        days = db.session.execute(t.report_rollup_days.select().order_by(t.report_rollup_days.c.day)).all()
    assert again.days == [] and again.tickets == 0 and again.still_open == []
    assert days[0].day == date(2026, 10, 31) and days[-1].day == date(2026, 12, 4) and len(days) == 35
    assert sum(day.tickets for day in days) == 14  # every ticket but today's
    assert {day.time_zone for day in days} == {ZONE}


@pytest.mark.parametrize("name", PERIODS)
def test_a_periods_figures_from_the_rollups_equal_those_from_the_tickets(app, rolled_up, name):
    period = PERIODS[name]
    from_rollups = figures(app, period, True)
    assert from_rollups == figures(app, period, False)


@pytest.mark.parametrize(
    "filters",
    [{"service_id": "A"}, {"service_id": "E"}, {"agency_id": True}, {"counter_id": 1}, {"officer_id": "siti"}],
    ids=["service A", "service E (transfers in)", "the agency", "counter 1", "officer siti"],
)
def test_a_filtered_years_figures_from_the_rollups_equal_those_from_the_tickets(app, office, rolled_up, filters):
    wanted = {
        "service_id": lambda code: office.service(code),
        "agency_id": lambda _yes: office.agency,
        "counter_id": lambda number: office.counter(number),
        "officer_id": lambda name: office.users[name],
    }
    chosen = {key: wanted[key](value) for key, value in filters.items()}
    year = PERIODS["the year"]
    assert figures(app, year, True, **chosen) == figures(app, year, False, **chosen)


def test_the_year_reads_its_closed_days_from_the_rollups_and_today_from_the_tickets(app, rolled_up):
    found = plan(app, PERIODS["the year"])
    assert found.counts_rolled == ((date(2026, 10, 31), date(2026, 12, 4)),)
    assert found.counts_from_tickets[0] == (date(2026, 1, 1), date(2026, 10, 30))
    assert found.counts_from_tickets[-1] == (date(2026, 12, 5), date(2026, 12, 31))
    # October's histogram holds its 31st only; its other days come from the tickets.
    assert found.months == (date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1))
    assert found.seconds_from_tickets == found.counts_from_tickets
    # A counter's or an officer's figures are read from the tickets.
    assert not plan(app, PERIODS["the year"], counter_id=1).uses_rollups


def test_the_rollups_hold_what_they_count(app, office, rolled_up):
    """Not only equal reports: the rows themselves, for 3 November (the fixture's busy day)."""
    with app.app_context():
        tally = db.session.execute(
            t.report_day_tally.select().where(t.report_day_tally.c.day == date(2026, 11, 3))
        ).all()
        counts = db.session.execute(
            t.report_day_counts.select().where(t.report_day_counts.c.day == date(2026, 11, 3))
        ).all()
    assert sum(row.issued for row in tally) == 9  # T1..T9
    assert sum(row.served for row in tally) == 7  # T0 is 2 November's
    transfers = [row for row in counts if row.kind == rollups.TRANSFERRED]
    assert [(row.service_id, row.n) for row in transfers] == [(office.service("A"), 1)]
    priority = [row for row in counts if row.kind == rollups.PRIORITY_GROUP]
    assert sum(row.n for row in priority) == 1


def test_a_day_with_a_ticket_still_open_is_not_rolled_up_until_it_is_closed(app, office, clock):
    player = build(app, office, clock)
    player.at(local(4, "10:00", month=12)).issue("late", "A")  # never served, never closed
    player.at(local(6, "09:00", month=12))
    with app.app_context():
        done = roll_up(unit_of_work())
    assert done.still_open == [date(2026, 12, 1), date(2026, 12, 4)]  # D001 of 1 December waits too
    assert date(2026, 12, 4) not in done.days and date(2026, 12, 5) in done.days
    result = app.test_cli_runner().invoke(args=["close-day"])
    assert result.exit_code == 0, result.output
    assert "rolled up the report figures of 2 day(s)" in result.output  # 1 and 4 December, once closed
    december = PERIODS["December, still open"]
    assert figures(app, december, True) == figures(app, december, False)


def test_rollups_of_another_time_zone_are_not_read_and_a_rebuild_counts_them_again(app, office, rolled_up):
    office.configure(time_zone="Asia/Jakarta")
    year = PERIODS["the year"]
    with app.app_context():
        assert not rollups.plan_for(db.session, reports.Filters(), year.first, year.last, "Asia/Jakarta").uses_rollups
    result = app.test_cli_runner().invoke(args=["reports", "rollup", "--rebuild"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Rolled up ")
    with app.app_context():
        zones = set(
            db.session.scalars(t.report_rollup_days.select().with_only_columns(t.report_rollup_days.c.time_zone))
        )
        found = reports.figures(db.session, year, "Asia/Jakarta", use_rollups=True)
        expected = reports.figures(db.session, year, "Asia/Jakarta", use_rollups=False)
    assert zones == {"Asia/Jakarta"}
    assert comparable(found) == comparable(expected)


def test_two_closes_rolling_up_the_same_day_count_it_once(app, office, clock):
    build(app, office, clock).at(datetime(2026, 12, 2, 1, 0, tzinfo=local(1, "00:00").tzinfo))
    with app.app_context():
        first = unit_of_work()
        from servicedesk.persistence.reports import rolling

        rolling.roll_up_day(first.session, date(2026, 11, 3), ZONE, first.clock())
        rolling.roll_up_survey_day(first.session, date(2026, 11, 3), ZONE, first.clock())
        first.commit()
    with app.app_context():
        done = roll_up(unit_of_work())
        issued = db.session.scalar(
            t.report_day_tally.select()
            .with_only_columns(db.func.sum(t.report_day_tally.c.issued))
            .where(t.report_day_tally.c.day == date(2026, 11, 3))
        )
        answered = db.session.scalar(
            t.report_month_survey.select()
            .with_only_columns(db.func.sum(t.report_month_survey.c.respondents))
            .where(t.report_month_survey.c.month == date(2026, 11, 1), t.report_month_survey.c.dimension == "all")
        )
    assert date(2026, 11, 3) not in done.days and date(2026, 11, 3) not in done.survey_days
    assert issued == 9
    assert answered == 5  # R0-R3 of 3 November once, and R4 of 4 November


@pytest.mark.parametrize("name", ["the year", "November", "30 November to 5 December"])
@pytest.mark.parametrize("service", [None, "A"], ids=["every service", "service A"])
def test_the_reviews_trend_summary_and_group_waits_from_the_rollups_equal_those_from_the_tickets(
    app, office, rolled_up, name, service
):
    period = PERIODS[name]
    filters = reports.Filters(service_id=office.service(service) if service else None)
    start, end = period.bounds(ZONE)
    with app.app_context():
        reading = rollups.reading_for(db.session, filters, period.first, period.last, ZONE)
        assert reading.counts_rolled
        for monthly in (True, False):
            from_rollups = reports.trend(db.session, filters, start, end, ZONE, monthly, reading)
            from_tickets = reports.trend(db.session, filters, start, end, ZONE, monthly)
            assert _rounded([dataclasses.asdict(day) for day in from_rollups]) == _rounded(
                [dataclasses.asdict(day) for day in from_tickets]
            )
        assert _rounded(dataclasses.asdict(reports.summary(db.session, filters, start, end, reading))) == _rounded(
            dataclasses.asdict(reports.summary(db.session, filters, start, end))
        )
        groups, everyone = reports.group_waits(db.session, filters, start, end, reading)
        assert (groups, everyone) == reports.group_waits(db.session, filters, start, end)
        assert everyone.count or name == "30 November to 5 December"  # no wait of A ended then


# --- the survey's answers, rolled up by the day they were submitted once that day has ended ---


def test_the_survey_of_every_ended_day_is_rolled_up_once_and_today_is_read_from_the_answers(app, office, rolled_up):
    player, output = rolled_up
    assert "and the survey answers of 32 day(s)." in output  # 3 November to 4 December
    with app.app_context():
        days = db.session.execute(t.report_survey_days.select().order_by(t.report_survey_days.c.day)).all()
    assert days[0].day == date(2026, 11, 3) and days[-1].day == date(2026, 12, 4) and len(days) == 32
    assert sum(day.responses for day in days) == 8 and {day.time_zone for day in days} == {ZONE}

    # T14 is served this morning and answered: today's answer is read from the answers.
    player.at(local(5, "09:10", month=12)).open("budi", 2)
    player.call("budi", 2, "T14")
    player.act("budi", "start", "T14")
    player.at(local(5, "09:20", month=12)).act("budi", "finish", "T14")
    player.at(local(5, "09:30", month=12)).answer("T14", "R1", "Cepat.")
    with app.app_context():
        again = roll_up(unit_of_work())
    assert again.survey_days == [] and again.responses == 0
    for name in ("the year", "December, still open", "30 November to 5 December"):
        from_rollups = figures(app, PERIODS[name], True)
        assert from_rollups == figures(app, PERIODS[name], False), name
    december = figures(app, PERIODS["December, still open"], True)
    assert december["survey_total"]["respondents"] == 3  # T10 (1 Dec), T7 on paper (2 Dec), T14 today
    assert december["comment_count"] == 1 and december["sources"][None] == {"online": 2, "paper": 1}
    assert plan_of_survey(app, PERIODS["December, still open"]).months == (date(2026, 12, 1),)


def test_the_months_survey_rows_hold_what_they_count(app, office, rolled_up):
    with app.app_context():
        rows = {
            (row.month.month, row.service_id, row.dimension, row.grp): row
            for row in db.session.execute(t.report_month_survey.select())
        }
    e_all = rows[(11, office.service("E"), "all", "")]  # T5, answered on 3 November (T9 has none)
    assert (e_all.respondents, e_all.comments, e_all.u4, e_all.u1) == (1, 1, 4, 3)
    assert rows[(11, office.service("E"), "gender", "p")].respondents == 1
    a_nov = rows[(11, office.service("A"), "all", "")]  # R1, R2, R4
    assert (a_nov.respondents, a_nov.comments, a_nov.u1) == (3, 3, 4 + 3 + 4)
    assert rows[(11, office.service("A"), "gender", "")].respondents == 3  # not answered
    assert rows[(12, office.service("A"), "source", "paper")].respondents == 1  # T7, typed in on 2 December
    assert rows[(12, office.service("A"), "age_group", "")].respondents == 1
    assert rows[(12, office.service("A"), "education", "sma")].respondents == 1
    c_dec = rows[(12, office.service("C"), "all", "")]  # T10: a blank comment is none
    assert (c_dec.respondents, c_dec.comments) == (1, 0)


def plan_of_survey(app, period: Period):
    with app.app_context():
        return rollups.survey_plan_for(db.session, reports.Filters(), period.first, period.last, ZONE)
