"""Which waiting ticket a counter calls next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class PriorityRule:
    """Priority-group tickets (kelompok rentan) go first, but never more than `max_in_a_row`
    consecutive priority calls at one counter while a regular visitor waits, so nobody starves.
    `max_in_a_row = 0` turns priority off: strict arrival order."""

    max_in_a_row: int = 3

    def choose(self, oldest_priority: T | None, oldest_regular: T | None, streak: int) -> T | None:
        """Pick between the head of the priority line and the head of the regular line."""
        if oldest_priority is None:
            return oldest_regular
        if oldest_regular is None:
            return oldest_priority
        if self.max_in_a_row == 0 or streak >= self.max_in_a_row:
            return oldest_regular
        return oldest_priority


@dataclass(frozen=True)
class CallPlan:
    """The one order in which a counter takes its next ticket, so the database can hand out the
    first free one (PostgreSQL: FOR UPDATE SKIP LOCKED over this order; see Repository.next_to_call).

    First the priority rule (priority tickets first while the counter's streak allows; regular ones
    first once it is spent; with the rule off, no difference at all), then, for a counter in
    `strict` mode, the services in the admin's order, then the oldest (queued_at, then id)."""

    service_ids: tuple[int, ...]  # the counter's services its officer may serve, in the admin's order
    priority_rule_on: bool
    priority_first: bool
    strict: bool

    def sort_key(self, priority: bool, service_id: int, queued_at, ticket_id: int) -> tuple:
        """The order as a Python key (the unit tests' fake repository; the SQL says the same)."""
        line = (not priority if self.priority_first else priority) if self.priority_rule_on else False
        place = self.service_ids.index(service_id) if self.strict else 0
        return (line, place, queued_at, ticket_id)


def plan_call(rule: PriorityRule, streak: int, service_ids: list[int], call_order: str) -> CallPlan:
    """How a counter with this streak and mode ('strict' or 'oldest') calls now."""
    on = rule.max_in_a_row > 0
    return CallPlan(tuple(service_ids), on, on and streak < rule.max_in_a_row, call_order == "strict")


def next_streak(streak: int, called_priority: bool) -> int:
    """A counter's run of consecutive priority calls after one more call."""
    return streak + 1 if called_priority else 0


def callable_services(counter_services: list[int], competences: set[int]) -> list[int]:
    """The services a counter serves that its officer may serve, in the counter's order."""
    return [s for s in counter_services if s in competences]
