"""A journey's rules (domain/journey.py): its steps, what a step's ticket's end does to the rest."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from servicedesk.domain.errors import NotFound
from servicedesk.domain.journey import (
    Journey,
    JourneyRefused,
    JourneyState,
    StepState,
    check_services,
    checked_steps,
    journey_state,
    states,
)
from servicedesk.domain.model import TicketStatus

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def refusal(service_ids) -> str:
    with pytest.raises(JourneyRefused) as error:
        checked_steps(service_ids)
    return error.value.code


def test_a_journey_has_two_to_five_steps_in_the_visitor_s_order():
    assert checked_steps([3, 1]) == [3, 1]
    assert checked_steps([1, 2, 1, 2, 1]) == [1, 2, 1, 2, 1]
    assert refusal([1]) == "journey_too_short"
    assert refusal([]) == "journey_too_short"
    assert refusal([1, 2, 3, 4, 5, 6]) == "journey_too_long"


def test_the_same_service_twice_in_a_row_is_refused_but_with_another_step_between_it_is_a_real_visit():
    assert refusal([1, 2, 2]) == "journey_repeated_service"
    assert checked_steps([1, 2, 1]) == [1, 2, 1]


def test_every_step_s_service_must_exist_and_take_tickets():
    check_services([1, 2], {1: True, 2: True})
    with pytest.raises(NotFound) as unknown:
        check_services([1, 9], {1: True})
    with pytest.raises(JourneyRefused) as inactive:
        check_services([1, 2], {1: True, 2: False})
    assert (unknown.value.code, inactive.value.code) == ("journey_unknown_service", "journey_inactive_service")


def test_finishing_a_step_s_ticket_names_the_next_step_once_and_the_last_step_names_none():
    journey = Journey.start("tok", [10, 20, 30], NOW)
    first, second, third = journey.ordered()
    journey.issued(first, 100)
    assert journey.next_after(100) is second
    journey.issued(second, 200)
    assert journey.next_after(100) is None  # its next step has its ticket: never a second one
    assert journey.next_after(200) is third
    journey.issued(third, 300)
    assert journey.next_after(300) is None
    assert journey.next_after(999) is None  # not a step of this journey


def test_a_step_takes_one_ticket_only():
    journey = Journey.start("tok", [10, 20], NOW)
    first = journey.ordered()[0]
    journey.issued(first, 100)
    with pytest.raises(JourneyRefused) as error:
        journey.issued(first, 101)
    assert error.value.code == "journey_step_issued"


def test_a_journey_whose_next_service_refused_issues_nothing_more():
    journey = Journey.start("tok", [10, 20], NOW)
    journey.issued(journey.ordered()[0], 100)
    journey.refused("quota_reached", NOW)
    assert journey.next_after(100) is None
    assert journey.ended_at == NOW
    assert states([TicketStatus.DONE, None], journey.end_reason) == [StepState.DONE, StepState.DROPPED]


def test_the_steps_wait_for_the_previous_one_while_its_ticket_is_in_the_queue_or_at_a_counter():
    for status in (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.HELD):
        found = states([status, None, None])
        assert found == [StepState.CURRENT, StepState.WAITING_PREVIOUS, StepState.WAITING_PREVIOUS]
        assert journey_state(found) == JourneyState.ACTIVE
    found = states([TicketStatus.DONE, TicketStatus.WAITING, None])
    assert found == [StepState.DONE, StepState.CURRENT, StepState.WAITING_PREVIOUS]


def test_a_no_show_or_a_cancelled_ticket_ends_the_journey_and_drops_the_remaining_steps():
    for status in (TicketStatus.NO_SHOW, TicketStatus.CANCELLED):
        found = states([TicketStatus.DONE, status, None])
        assert found == [StepState.DONE, StepState.ENDED, StepState.DROPPED]
        assert journey_state(found) == JourneyState.ENDED


def test_every_step_finished_completes_the_journey():
    assert journey_state(states([TicketStatus.DONE, TicketStatus.DONE])) == JourneyState.COMPLETED
