"""Today's no-shows and the "late, back in line" action: the office's window and its rule for the
place on return (the end of the line or the original place), audited."""

from __future__ import annotations

from tests.builders import act, call_next, issue, refused
from tests.integration.admin_pages import AdminPages


def no_show_of_the_first(client, office, auth, clock) -> dict:
    """A001 is called and does not come; A002 waits behind it."""
    issue(client, office, "A")
    clock.advance(minutes=1)
    issue(client, office, "A")
    auth.at_counter("siti", office.counter(1))
    late = call_next(client, office.counter(1)).json
    assert act(client, late["id"], "no-show").json["status"] == "no_show"
    return late


def test_with_the_end_of_line_rule_a_late_visitor_queues_behind_everyone_waiting(client, office, auth, clock):
    office.configure(no_show_return_position="end")
    late = no_show_of_the_first(client, office, auth, clock)
    clock.advance(minutes=5)
    assert act(client, late["id"], "requeue").json["status"] == "waiting"
    clock.advance(minutes=1)
    issue(client, office, "A")  # A003 arrives after the late visitor came back
    called = []
    for _ in range(3):
        ticket = call_next(client, office.counter(1)).json
        called.append(ticket["number"])
        act(client, ticket["id"], "start")
        act(client, ticket["id"], "finish")
    assert called == ["A002", "A001", "A003"]


def test_with_the_original_place_rule_a_late_visitor_is_called_first(client, office, auth, clock):
    office.configure(no_show_return_position="original")
    late = no_show_of_the_first(client, office, auth, clock)
    clock.advance(minutes=5)
    act(client, late["id"], "requeue")
    assert call_next(client, office.counter(1)).json["number"] == "A001"


def test_the_late_return_is_audited_with_the_place_it_got(client, office, auth, clock, app):
    office.configure(no_show_return_position="end")
    late = no_show_of_the_first(client, office, auth, clock)
    act(client, late["id"], "requeue")
    [entry] = AdminPages(client, auth, app).audit("ticket")
    assert (entry.action, entry.entity_id, entry.user_id) == ("late_return", late["id"], office.users["siti"])
    assert entry.before["status"] == "no_show"
    assert entry.after == {"number": "A001", "status": "waiting", "position": "end"}


def test_the_window_of_the_office_settings_is_honoured(client, office, auth, clock):
    office.configure(no_show_window_minutes=10)
    late = no_show_of_the_first(client, office, auth, clock)
    clock.advance(minutes=11)
    assert refused(act(client, late["id"], "requeue"), 409, "requeue_window_passed")


def test_a_no_show_of_yesterday_does_not_come_back_today(client, office, auth, clock):
    office.configure(no_show_window_minutes=480)
    late = no_show_of_the_first(client, office, auth, clock)
    clock.advance(hours=16)  # 01:00 WIB the next day
    assert refused(act(client, late["id"], "requeue"), 409, "not_today")


def test_the_console_lists_todays_no_shows_and_says_the_rule(client, office, auth, clock):
    office.configure(no_show_window_minutes=20, no_show_return_position="end")
    late = no_show_of_the_first(client, office, auth, clock)
    page = client.get("/officer/?lang=en").get_data(as_text=True)
    assert 'id="noshow-list"' in page
    assert "within 20 min of the no-show, at the end of the line" in page
    assert [t["number"] for t in client.get("/api/v1/no-shows").json] == [late["number"]]
