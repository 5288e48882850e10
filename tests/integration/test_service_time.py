"""Time on hold is not service time, in the officer's figures and in the reports alike.

PRODUCT.md: service time is the time the visitor is being served; a visitor sent to fetch a
document is on hold, not being served. Ticket.served_seconds works the service time out from the
event rows when the visit finishes; the officer's figures (persistence/figures.py) and the reports
(persistence/reports.py) both aggregate what it stored, with one within-standard rule.

siti at counter 1, service A (standard time 15 min), Monday 2 November 2026, local time (WIB):
  T1  called 09:00 start 09:00, held 09:06, resumed 09:36, done 09:43    service 6 + 7 = 13 min (yes)
  T2  called 09:45 start 09:45, held 09:47, resumed 09:59, held 10:04,
      resumed 10:19, done 10:23                                         service 2 + 5 + 4 = 11 min (yes)
  T3  called 10:25, held 10:26 before service began, resumed 10:36
      (service starts there), done 10:46                                service 10 min (yes)
Counting the holds as service would give T1 43 min and T2 38 min: both over the standard.
Served 3; service times 10 11 13, sum 34; mean 34/3 = 11.33 min; median 11;
p90 h = 2 x 0.9 = 1.8: 11 + 0.8 x (13 - 11) = 12.6 min; within the standard 3 of 3.

The live timers of the officer's console and the supervisor's floor, and the supervisor's alerts,
follow the same rule while a visit is still going (the staff ticket's `serving_since`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from servicedesk.domain.reporting import PeriodKind, period_for
from servicedesk.extensions import db, socketio
from servicedesk.persistence import figures, reports, tables
from servicedesk.persistence.repository import Repository
from tests.builders import act, call_next, issue

MIN = 60  # seconds


def step(client, clock, ticket_id: int, action: str, minutes: float = 0) -> None:
    """Advance the clock by `minutes`, then take the action; it must succeed."""
    clock.advance(minutes=minutes)
    response = act(client, ticket_id, action)
    assert response.status_code == 200, response.json


@pytest.fixture
def held_visits(client, office, auth, clock):
    """The three visits above; returns their ticket ids."""
    for _ in range(3):
        issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    t1 = call_next(client, office.counter(1)).json["id"]
    step(client, clock, t1, "start")
    step(client, clock, t1, "hold", 6)
    step(client, clock, t1, "resume", 30)
    step(client, clock, t1, "finish", 7)
    clock.advance(minutes=2)  # 09:45
    t2 = call_next(client, office.counter(1)).json["id"]
    step(client, clock, t2, "start")
    step(client, clock, t2, "hold", 2)
    step(client, clock, t2, "resume", 12)
    step(client, clock, t2, "hold", 5)
    step(client, clock, t2, "resume", 15)
    step(client, clock, t2, "finish", 4)
    clock.advance(minutes=2)  # 10:25
    t3 = call_next(client, office.counter(1)).json["id"]
    step(client, clock, t3, "hold", 1)
    step(client, clock, t3, "resume", 10)
    step(client, clock, t3, "finish", 10)
    return t1, t2, t3


def test_each_ticket_stores_its_service_time_without_the_holds(app, held_visits):
    with app.app_context():
        stored = dict(
            db.session.execute(
                db.select(tables.tickets.c.id, tables.tickets.c.service_seconds).where(
                    tables.tickets.c.id.in_(held_visits)
                )
            ).all()
        )
    assert [stored[ticket_id] for ticket_id in held_visits] == [13 * MIN, 11 * MIN, 10 * MIN]


def test_the_report_and_the_officers_figures_agree_on_held_visits(app, client, office, clock, held_visits):
    mine = client.get("/api/v1/figures/me").json
    # 34 / 3 = 11.33 -> 11.3 shown; every visit within the 15 minutes of A.
    assert (mine["served"], mine["mean_service_minutes"], mine["within_standard_share"]) == (3, 11.3, 1.0)

    with app.app_context():
        today = Repository(db.session).office()
        [siti] = figures.officer_figures(db.session, clock.now, today, [office.users["siti"]])
        day = period_for(PeriodKind.DAY, clock.now.astimezone(ZoneInfo(today.time_zone)).date())
        report = reports.figures(db.session, day, today.time_zone)
    a = report.services[office.service("A")]
    assert (a.served, a.within_standard) == (3, 3)
    assert (a.service.count, a.service.median) == (3, 11 * MIN)
    assert a.service.mean == pytest.approx(34 / 3 * MIN)
    assert a.service.p90 == pytest.approx(12.6 * MIN)
    [siti_in_the_report] = report.officers
    # The same visits, the same seconds, the same rule, whichever screen shows them.
    assert (siti.served, siti.within_standard) == (siti_in_the_report.served, siti_in_the_report.within_standard)
    assert siti.service_seconds == 34 * MIN
    assert siti.mean_service_minutes * MIN == pytest.approx(siti_in_the_report.mean_service)


# --- the live timers and the supervisor's alerts ---


def moment(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso) if iso else None


def test_a_resumed_visit_is_timed_and_alerted_on_its_service_time_not_since_it_started(
    app, client, office, auth, clock
):
    """siti starts A001 at 09:00, holds it at 09:06, resumes it at 09:36. The timers count up from
    `serving_since`: 09:36 - 6 min served = 09:30. At 09:43 that shows 13 minutes (6 + 7), within
    A's 15, although 43 have passed since `started_at`; at 09:45:30 it is 15.5, half a minute over."""
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    console = socketio.test_client(app, flask_test_client=client)
    ticket_id = call_next(client, office.counter(1)).json["id"]
    started = clock.now
    assert moment(act(client, ticket_id, "start").json["serving_since"]) == started
    clock.advance(minutes=6)
    assert act(client, ticket_id, "hold").json["serving_since"] is None  # no timer while on hold
    clock.advance(minutes=30)
    console.get_received()
    resumed = act(client, ticket_id, "resume").json
    assert moment(resumed["serving_since"]) == started + timedelta(minutes=30)
    [live] = [e["args"][0] for e in console.get_received() if e["name"] == "ticket.resumed"]
    assert moment(live["serving_since"]) == started + timedelta(minutes=30)

    clock.advance(minutes=7)  # 09:43
    [on_the_floor] = [tk for tk in client.get("/api/v1/queue").json["tickets"] if tk["id"] == ticket_id]
    assert moment(on_the_floor["started_at"]) == started
    assert clock.now - moment(on_the_floor["serving_since"]) == timedelta(minutes=13)
    [snapshot] = [e["args"][0] for e in socketio.test_client(app, flask_test_client=client).get_received()]
    [in_the_snapshot] = [tk for tk in snapshot["tickets"] if tk["id"] == ticket_id]
    assert moment(in_the_snapshot["serving_since"]) == started + timedelta(minutes=30)

    auth.logout()
    auth.login("supervisor")
    assert client.get("/api/v1/alerts").json == []  # 13 of 15 minutes served
    clock.advance(minutes=2.5)  # 09:45:30
    [alert] = client.get("/api/v1/alerts").json
    assert (alert["kind"], alert["number"], alert["threshold_minutes"]) == ("serving", "A001", 15)
    assert alert["minutes"] == 15.5  # 6 + 9.5, not the 45.5 since the start
    assert moment(alert["since"]) == started + timedelta(minutes=30)
