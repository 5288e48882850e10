"""A ticket never crosses its service day: call-next and every queue count hold today's tickets only,
and the day is closed at the office's close time (flask close-day --if-due, run by a systemd timer)."""

from __future__ import annotations

import configparser
from datetime import UTC, datetime

from servicedesk.extensions import db
from servicedesk.persistence import tables
from tests.builders import call_next, issue, refused

# 23:59 WIB on Monday 2 November 2026; the demo office is open around the clock in the tests.
MONDAY_LATE = datetime(2026, 11, 2, 16, 59, tzinfo=UTC)
# 07:30 and 17:05 WIB on Tuesday 3 November.
TUESDAY_MORNING = datetime(2026, 11, 3, 0, 30, tzinfo=UTC)
TUESDAY_EVENING = datetime(2026, 11, 3, 10, 5, tzinfo=UTC)


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def statuses(app) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(tables.tickets.select().order_by(tables.tickets.c.id)).all()
        return {f"{row.service_day.isoformat()} {row.number}": row.status.value for row in rows}


def counter_statuses(app) -> dict[int, str]:
    with app.app_context():
        return {row.number: row.status.value for row in db.session.execute(tables.counters.select())}


def test_call_next_never_calls_a_ticket_left_from_before_local_midnight(client, office, auth, clock):
    clock.set(MONDAY_LATE)
    issue(client, office, "A")  # A001 of Monday, issued a minute before midnight
    clock.advance(minutes=2)  # 00:01 WIB on Tuesday
    auth.at_counter("siti", office.counter(1))
    assert refused(call_next(client, office.counter(1)), 404, "queue_empty")
    tuesday = issue(client, office, "A")
    assert tuesday["number"] == "A001"  # the sequence restarted too
    assert call_next(client, office.counter(1)).json["id"] == tuesday["id"]


def test_queue_counts_and_a_visitors_place_leave_out_yesterdays_tickets(client, office, auth, clock):
    clock.set(MONDAY_LATE)
    issue(client, office, "A")
    issue(client, office, "A", priority=True)
    clock.set(TUESDAY_MORNING)
    today = issue(client, office, "A")
    assert today["people_ahead"] == 0  # counted by issue_ticket() on PostgreSQL, in Python on SQLite
    services = {s["code"]: s for s in client.get("/api/v1/services").json}
    assert services["A"]["waiting"] == 1
    page = client.get(f"/api/v1/tickets/{today['token']}").json
    assert page["people_ahead"] == 0
    auth.login("siti")
    queue = client.get("/api/v1/queue").json
    line = next(q for q in queue["queues"] if q["code"] == "A")
    assert line["waiting_numbers"] == ["A001"] and line["waiting"] == 1
    assert [t["id"] for t in queue["tickets"] if t["status"] == "waiting"] == [today["id"]]


def test_the_timer_before_the_close_time_closes_yesterday_and_leaves_today_alone(client, office, auth, clock):
    office.configure(day_closes_at="17:00")
    clock.set(MONDAY_LATE)
    issue(client, office, "A")
    auth.at_counter("budi", office.counter(3))  # left open overnight
    clock.set(TUESDAY_MORNING)
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))  # opened this morning
    result = run(client.application, "close-day", "--if-due")
    assert result.exit_code == 0, result.output
    assert "Day 2026-11-02 closed (today is not over yet)" in result.output
    assert "Closed 1 unserved ticket(s) as cancelled, reason closed_at_day_end (1 waiting)" in result.output
    assert "closed 1 counter(s) left open" in result.output
    assert statuses(client.application) == {"2026-11-02 A001": "cancelled", "2026-11-03 A001": "waiting"}
    assert counter_statuses(client.application)[3] == "closed"
    assert counter_statuses(client.application)[1] == "open"


def test_the_timer_after_the_close_time_closes_today_and_every_counter_once(client, office, auth, clock):
    office.configure(day_closes_at="17:00")
    clock.set(TUESDAY_MORNING)
    issue(client, office, "A")
    issue(client, office, "B")
    auth.at_counter("siti", office.counter(1))
    call_next(client, office.counter(1))
    clock.set(datetime(2026, 11, 3, 9, 55, tzinfo=UTC))  # 16:55 WIB
    assert "Closed 0 unserved" in run(client.application, "close-day", "--if-due").output
    clock.set(TUESDAY_EVENING)  # 17:05 WIB
    result = run(client.application, "close-day", "--if-due")
    assert "Day 2026-11-03 closed." in result.output
    assert "Closed 2 unserved ticket(s) as cancelled, reason closed_at_day_end (1 called, 1 waiting)" in result.output
    assert set(statuses(client.application).values()) == {"cancelled"}
    assert set(counter_statuses(client.application).values()) == {"closed"}
    again = run(client.application, "close-day", "--if-due")
    assert "Closed 0 unserved ticket(s)" in again.output and "closed 0 counter(s)" in again.output


def test_the_close_follows_the_offices_time_zone(client, office, clock):
    office.configure(day_closes_at="17:00", time_zone="Asia/Jayapura")  # WIT, UTC+9
    clock.set(datetime(2026, 11, 3, 7, 30, tzinfo=UTC))  # 16:30 WIT
    issue(client, office, "A")
    assert "Closed 0" in run(client.application, "close-day", "--if-due").output
    clock.set(datetime(2026, 11, 3, 8, 1, tzinfo=UTC))  # 17:01 WIT, only 15:01 in Jakarta
    assert "Closed 1" in run(client.application, "close-day", "--if-due").output


def test_the_systemd_timer_runs_the_idempotent_close_often_and_catches_up_after_a_power_cut(repo_root):
    service = configparser.ConfigParser(interpolation=None, strict=False)
    service.read(repo_root / "deploy/systemd/servicedesk-close-day.service")
    timer = configparser.ConfigParser(interpolation=None, strict=False)
    timer.read(repo_root / "deploy/systemd/servicedesk-close-day.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"].endswith("flask --app servicedesk close-day --if-due")
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["OnCalendar"] == "*:0/5"
    assert timer["Install"]["WantedBy"] == "timers.target"
