"""Estimated wait: people ahead x recent mean service time / counters serving the service."""

from __future__ import annotations

import math


def minutes_per_person(recent_mean_minutes: float | None, standard_minutes: int, counters_open: int) -> float:
    """How many minutes the queue of one service moves per person.

    Without history the SOP's standard time stands in; with no counter open we still assume one,
    since a visitor would rather see a long estimate than none.
    """
    mean = recent_mean_minutes if recent_mean_minutes is not None else float(standard_minutes)
    return mean / max(counters_open, 1)


def estimate_wait_minutes(people_ahead: int, per_person: float) -> int:
    """Whole minutes, rounded up: an estimate that errs short disappoints."""
    return math.ceil(people_ahead * per_person - 1e-9) if people_ahead > 0 else 0
