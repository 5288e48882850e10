"""The call order of a counter (CallPlan): the priority rule, then strict service order or the oldest."""

from datetime import UTC, datetime, timedelta

import pytest

from servicedesk.domain.routing import PriorityRule, plan_call

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
A, B = 1, 2


def first(plan, tickets):
    """tickets: (name, priority, service_id, minutes after T0)."""
    return min(tickets, key=lambda t: plan.sort_key(t[1], t[2], T0 + timedelta(minutes=t[3]), t[3]))[0]


def test_oldest_mode_takes_the_oldest_ticket_across_the_counters_services():
    plan = plan_call(PriorityRule(3), 0, [A, B], "oldest")
    assert first(plan, [("A002", False, A, 5), ("B001", False, B, 1)]) == "B001"


def test_strict_mode_empties_the_first_service_before_the_next():
    plan = plan_call(PriorityRule(3), 0, [A, B], "strict")
    assert first(plan, [("A002", False, A, 5), ("B001", False, B, 1)]) == "A002"


def test_strict_mode_still_calls_priority_visitors_first():
    plan = plan_call(PriorityRule(3), 0, [A, B], "strict")
    assert first(plan, [("A002", False, A, 5), ("B009", True, B, 9)]) == "B009"


def test_a_spent_priority_streak_calls_a_regular_visitor_in_either_mode():
    for mode in ("strict", "oldest"):
        plan = plan_call(PriorityRule(2), 2, [A, B], mode)
        assert first(plan, [("A001", True, A, 1), ("B002", False, B, 2)]) == "B002"


def test_with_the_priority_rule_off_arrival_order_alone_counts():
    plan = plan_call(PriorityRule(0), 0, [A], "oldest")
    assert first(plan, [("A002", True, A, 2), ("A001", False, A, 1)]) == "A001"


@pytest.mark.parametrize("streak", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("waiting", [("P", "R"), ("P",), ("R",)])
def test_the_plan_agrees_with_the_priority_rule_between_two_line_heads(streak, waiting):
    rule = PriorityRule(3)
    heads = {"P": ("P", True, A, 2), "R": ("R", False, A, 1)}
    plan = plan_call(rule, streak, [A], "oldest")
    expected = rule.choose("P" if "P" in waiting else None, "R" if "R" in waiting else None, streak)
    assert first(plan, [heads[w] for w in waiting]) == expected
