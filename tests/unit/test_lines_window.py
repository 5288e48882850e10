"""How often a process sends the waiting lines: the window grows with what a send costs."""

import pytest

from servicedesk.realtime.publisher import MAX_LINES_WINDOW, lines_window


def test_a_cheap_send_keeps_the_configured_window():
    assert lines_window(0.1, spent=0.002) == 0.1


def test_a_costly_send_makes_the_next_window_ten_times_as_long_as_it_took():
    assert lines_window(0.1, spent=0.03) == pytest.approx(0.3)


def test_the_window_never_grows_beyond_a_second():
    assert MAX_LINES_WINDOW == 1.0
    assert lines_window(0.1, spent=0.5) == 1.0


def test_without_coalescing_every_change_is_sent_whatever_it_costs():
    assert lines_window(0.0, spent=0.5) == 0.0
