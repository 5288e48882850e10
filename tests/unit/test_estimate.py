from servicedesk.domain.estimate import estimate_wait_minutes, minutes_per_person


def test_without_history_the_sop_standard_time_is_used():
    assert minutes_per_person(None, standard_minutes=15, counters_open=1) == 15


def test_recent_history_replaces_the_standard_time():
    assert minutes_per_person(6.0, standard_minutes=15, counters_open=1) == 6.0


def test_more_open_counters_move_the_queue_faster():
    assert minutes_per_person(12.0, standard_minutes=15, counters_open=3) == 4.0


def test_with_no_counter_open_the_estimate_assumes_one():
    assert minutes_per_person(None, standard_minutes=10, counters_open=0) == 10


def test_the_estimate_is_people_ahead_times_minutes_per_person_rounded_up():
    assert estimate_wait_minutes(4, 2.5) == 10
    assert estimate_wait_minutes(3, 2.5) == 8
    assert estimate_wait_minutes(0, 20) == 0


def test_a_wait_is_known_only_while_a_counter_serves_the_service():
    from servicedesk.domain.estimate import wait_is_known

    assert wait_is_known(1) and wait_is_known(3)
    assert not wait_is_known(0)
    assert wait_is_known(None)  # a caller that does not know keeps showing the figure
