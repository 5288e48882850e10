from servicedesk.domain.routing import PriorityRule, callable_services, next_streak


def test_a_priority_visitor_goes_before_an_older_regular_one():
    assert PriorityRule(3).choose("P1", "R1", streak=0) == "P1"


def test_after_the_allowed_run_of_priority_calls_a_regular_visitor_is_called():
    rule = PriorityRule(2)
    assert rule.choose("P3", "R1", streak=1) == "P3"
    assert rule.choose("P3", "R1", streak=2) == "R1"


def test_priority_visitors_are_still_called_when_nobody_regular_waits():
    assert PriorityRule(1).choose("P9", None, streak=5) == "P9"


def test_zero_turns_priority_off():
    assert PriorityRule(0).choose("P1", "R1", streak=0) == "R1"


def test_an_empty_queue_gives_nobody():
    assert PriorityRule(3).choose(None, None, streak=0) is None


def test_the_streak_counts_priority_calls_and_resets_on_a_regular_call():
    assert next_streak(0, True) == 1
    assert next_streak(2, True) == 3
    assert next_streak(3, False) == 0


def test_a_counter_calls_only_services_its_officer_may_serve_in_the_counters_order():
    assert callable_services([3, 1, 2], {1, 3}) == [3, 1]
    assert callable_services([1, 2], set()) == []


def test_no_regular_visitor_starves_under_a_stream_of_priority_visitors():
    rule, streak, calls = PriorityRule(3), 0, []
    for _ in range(8):
        chosen = rule.choose("P", "R", streak)
        calls.append(chosen)
        streak = next_streak(streak, chosen == "P")
    assert calls == ["P", "P", "P", "R", "P", "P", "P", "R"]
