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


def next_streak(streak: int, called_priority: bool) -> int:
    """A counter's run of consecutive priority calls after one more call."""
    return streak + 1 if called_priority else 0


def callable_services(counter_services: list[int], competences: set[int]) -> list[int]:
    """The services a counter serves that its officer may serve, in the counter's order."""
    return [s for s in counter_services if s in competences]
