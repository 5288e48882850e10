"""The desk rule: an officer acts on a ticket only at a counter they opened that serves its service."""

from __future__ import annotations

import pytest

from servicedesk.domain.errors import InvalidTransition, NotAllowed
from servicedesk.domain.model import Counter, Service, User


def desk(service_ids: list[int], competences: list[int]) -> tuple[Counter, User]:
    def service(sid: int) -> Service:
        s = Service(f"S{sid}", f"Layanan {sid}")
        s.id = sid
        return s

    officer = User("siti", "Siti")
    officer.id = 7
    officer.competences = [service(sid) for sid in competences]
    counter = Counter(1)
    counter.services = [service(sid) for sid in service_ids]
    counter.open(officer.id)
    return counter, officer


def test_an_officer_acts_at_their_open_counter_on_a_service_it_gives_and_they_serve():
    counter, officer = desk([1, 2], [1])
    counter.require_desk_for(officer, 1)


def test_a_counter_that_does_not_give_the_service_refuses_it_even_to_a_competent_officer():
    counter, officer = desk([2], [1, 2])
    with pytest.raises(NotAllowed) as refused:
        counter.require_desk_for(officer, 1)
    assert refused.value.code == "not_served_here"


def test_an_officer_not_assigned_to_the_service_is_refused():
    counter, officer = desk([1], [2])
    with pytest.raises(NotAllowed) as refused:
        counter.require_desk_for(officer, 1)
    assert refused.value.code == "not_competent"


def test_another_officers_counter_is_refused():
    counter, officer = desk([1], [1])
    other = User("budi", "Budi")
    other.id = 8
    other.competences = officer.competences
    with pytest.raises(NotAllowed) as refused:
        counter.require_desk_for(other, 1)
    assert refused.value.code == "not_your_counter"


def test_a_counter_on_a_break_takes_no_new_visit_but_may_end_the_one_at_it():
    counter, officer = desk([1], [1])
    counter.take_break(officer.id)
    with pytest.raises(InvalidTransition):
        counter.require_desk_for(officer, 1)
    counter.require_desk_for(officer, 1, open_now=False)
