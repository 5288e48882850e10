"""A counter's call order, per counter: 'strict' (its services in the admin's order) or 'oldest'
(the oldest across them), the priority rule first in both; set on the admin's counter form."""

from __future__ import annotations

from servicedesk.domain.model import Counter
from servicedesk.extensions import db
from tests.builders import act, call_next, issue
from tests.integration.admin_pages import AdminPages


def set_call_order(app, counter_id: int, mode: str) -> None:
    """Straight in the table; the last test sets it through the admin's form."""
    with app.app_context():
        db.session.get(Counter, counter_id).call_order = mode
        db.session.commit()


def calls(client, counter_id: int, n: int) -> list[str]:
    called = []
    for _ in range(n):
        ticket = call_next(client, counter_id).json
        called.append(ticket["number"])
        act(client, ticket["id"], "start")
        act(client, ticket["id"], "finish")
    return called


def waiting_b_then_a(client, office, clock) -> None:
    """B001 is older than A001 and A002; counter 1 serves A then B."""
    issue(client, office, "B")
    clock.advance(minutes=1)
    issue(client, office, "A")
    clock.advance(minutes=1)
    issue(client, office, "A")


def test_a_counter_in_oldest_mode_takes_the_oldest_across_its_services(client, office, auth, clock, app):
    set_call_order(app, office.counter(1), "oldest")
    waiting_b_then_a(client, office, clock)
    auth.at_counter("siti", office.counter(1))
    assert calls(client, office.counter(1), 3) == ["B001", "A001", "A002"]


def test_a_counter_in_strict_mode_serves_its_services_in_the_admins_order(client, office, auth, clock, app):
    set_call_order(app, office.counter(1), "strict")
    waiting_b_then_a(client, office, clock)
    auth.at_counter("siti", office.counter(1))
    assert calls(client, office.counter(1), 3) == ["A001", "A002", "B001"]


def test_strict_mode_keeps_the_priority_rule(client, office, auth, clock, app):
    office.configure(priority_max_in_a_row=1)
    set_call_order(app, office.counter(1), "strict")
    issue(client, office, "A")  # A001
    clock.advance(minutes=1)
    issue(client, office, "B", priority=True)  # B001, priority
    clock.advance(minutes=1)
    issue(client, office, "B", priority=True)  # B002, priority
    auth.at_counter("siti", office.counter(1))
    assert calls(client, office.counter(1), 3) == ["B001", "A001", "B002"]


def test_the_admin_sets_the_call_order_on_the_counter_form_audited(client, office, auth, app):
    pages = AdminPages(client, auth, app)
    pages.login("admin")
    assert 'name="call_order"' in pages.html(f"/admin/counters/{office.counter(1)}")
    data = {"number": "1", "name": "Loket 1", "area": "", "call_order": "strict", f"order_{office.service('A')}": "1"}
    assert pages.post(f"/admin/counters/{office.counter(1)}", data).status_code == 303
    with app.app_context():
        assert db.session.get(Counter, office.counter(1)).call_order == "strict"
    [entry] = pages.audit("counter")
    assert (entry.before["call_order"], entry.after["call_order"]) == ("oldest", "strict")
    data["call_order"] = "newest"
    assert pages.post(f"/admin/counters/{office.counter(1)}", data).status_code == 400
