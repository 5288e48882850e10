"""The display's voice under a burst (20 calls in 10 seconds) and after a reconnect, checked on the clip
player's own event log (window.__voiceLog), not on wall-clock sleeps. The policy is in docs/display.md."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from servicedesk.extensions import db
from servicedesk.persistence import tables as t
from tests.e2e.conftest import generate_clips
from tests.e2e.test_display import issue, officer, open_display

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAX_AGE_MS = 30_000


@pytest.fixture(scope="module", autouse=True)
def clips():
    generate_clips()


def test_twenty_calls_in_ten_seconds_are_condensed_and_no_stale_or_finished_call_is_spoken(live, page):
    office = live.office
    page.goto(f"{live.url}/display")
    page.evaluate("localStorage.setItem('servicedesk.display.sound', 'on')")
    open_display(page, f"{live.url}/display")

    people = {1: "siti", 2: "budi", 3: "agus", 4: "dewi"}
    desks = {number: officer(live.url, office.counter(number), people[number]) for number in people}
    for code in "ABCDE" * 5:
        issue(live.url, office.service(code))

    at_counter: dict[int, dict] = {}
    gone: set[str] = set()  # numbers no-showed or served while the burst went on
    calls = 0
    started = time.monotonic()
    while calls < 19:
        number = calls % 4 + 1
        desk, url = desks[number], f"{live.url}/api/v1"
        if number in at_counter:
            ticket = at_counter.pop(number)
            if calls % 3:
                assert desk.post(f"{url}/tickets/{ticket['id']}/no-show").status_code == 200
            else:
                for step in ("start", "finish"):
                    assert desk.post(f"{url}/tickets/{ticket['id']}/{step}").status_code == 200
            gone.add(ticket["number"])
        called = desk.post(f"{url}/counters/{office.counter(number)}/call-next")
        assert called.status_code == 200, called.text
        at_counter[number] = called.json()
        calls += 1
        # Pacing the driver, not an assertion: a call every half second, 20 calls in about ten seconds.
        time.sleep(max(0.0, started + calls * 0.5 - time.monotonic()))
    recalled = at_counter[1]
    assert desks[1].post(f"{live.url}/api/v1/tickets/{recalled['id']}/recall").status_code == 200

    expect(page.locator("body")).to_have_attribute("data-voice-queued", "20", timeout=5000)
    expect(page.locator("body")).to_have_attribute("data-voice", "idle", timeout=90_000)
    log = page.evaluate("window.__voiceLog")

    queued = {entry["event_ids"][0]: entry for entry in log if entry["type"] == "queued"}
    starts = [entry for entry in log if entry["type"] == "start"]
    dropped = {entry["event_ids"][0]: entry for entry in log if entry["type"] == "dropped"}
    spoken_ids = [event_id for entry in starts for event_id in entry["event_ids"]]
    assert len(queued) == 20

    # A single call starts within a second: the first of the burst found the player idle.
    first = min(queued.values(), key=lambda entry: entry["at"])
    assert starts[0]["event_ids"] == first["event_ids"]
    assert starts[0]["at"] - first["at"] <= 1000

    # Every call is spoken once or dropped with a reason, never both, never spoken twice.
    assert len(spoken_ids) == len(set(spoken_ids))
    assert set(spoken_ids) | set(dropped) == set(queued)
    assert not set(spoken_ids) & set(dropped)
    assert {entry["reason"] for entry in dropped.values()} <= {"stale", "moved on", "superseded"}

    # Nothing is said more than 30 s after it was made, and a burst is condensed: several numbers a sentence.
    for entry in starts:
        for event_id in entry["event_ids"]:
            assert entry["at"] - queued[event_id]["at"] <= MAX_AGE_MS
        assert 1 <= len(entry["numbers"]) <= 4
    assert any(len(entry["numbers"]) > 1 for entry in starts)
    assert len(starts) < 8

    # A call whose visitor was served or did not come is dropped, never said after it.
    moved_on = [entry["numbers"][0] for entry in dropped.values() if entry["reason"] == "moved on"]
    assert moved_on and set(moved_on) <= gone

    # The calls still standing at the counters at the end were all said; the recall was said again.
    standing = {ticket["number"] for ticket in at_counter.values()}
    said_numbers = [number for entry in starts for number in entry["numbers"]]
    assert standing <= set(said_numbers)
    recall_ids = [event_id for event_id, entry in queued.items() if entry["numbers"] == [recalled["number"]]]
    assert max(recall_ids) in spoken_ids


def test_after_a_reconnect_the_display_says_the_missed_calls_still_fresh_and_never_a_stale_one(live, page):
    office = live.office
    page.goto(f"{live.url}/display")
    page.evaluate("localStorage.setItem('servicedesk.display.sound', 'on')")
    open_display(page, f"{live.url}/display")
    people = {1: "siti", 2: "budi", 3: "agus"}
    desks = {number: officer(live.url, office.counter(number), people[number]) for number in people}
    for code in "ACD":
        issue(live.url, office.service(code))
        issue(live.url, office.service(code))

    page.evaluate("window.__displaySocket.disconnect()")
    expect(page.locator(".screen")).to_have_attribute("data-state", "reconnecting", timeout=5000)
    url = f"{live.url}/api/v1"
    fresh = desks[1].post(f"{url}/counters/{office.counter(1)}/call-next").json()
    stale = desks[2].post(f"{url}/counters/{office.counter(2)}/call-next").json()
    gone = desks[3].post(f"{url}/counters/{office.counter(3)}/call-next").json()
    assert desks[3].post(f"{url}/tickets/{gone['id']}/no-show").status_code == 200
    # The second call was made a minute ago: the display was away longer than a call stays useful.
    with live.app.app_context():
        events = t.ticket_events
        row = db.session.execute(
            select(events.c.id, events.c.at).where(events.c.ticket_id == stale["id"], events.c.kind == "called")
        ).one()
        db.session.execute(update(events).where(events.c.id == row.id).values(at=row.at - timedelta(minutes=1)))
        db.session.commit()

    page.evaluate("window.__displaySocket.connect()")
    expect(page.locator(".screen")).to_have_attribute("data-state", "live", timeout=10_000)
    expect(page.locator("body")).to_have_attribute("data-voice", "idle", timeout=30_000)
    assert [said["numbers"] for said in page.evaluate("window.__spoken")] == [[fresh["number"]]]
    # All three are on the board all the same.
    expect(page.locator(f'[data-recent] [data-number="{stale["number"]}"]')).to_have_count(1)
    expect(page.locator("[data-now-number]")).to_have_text(gone["number"])
