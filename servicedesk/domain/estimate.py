"""Estimated wait: people ahead x recent mean service time / counters serving the service."""

from __future__ import annotations

import math


def minutes_per_person(recent_mean_minutes: float | None, standard_minutes: int, counters_open: int) -> float:
    """How many minutes the queue of one service moves per person.

    Without history the SOP's standard time stands in; with no counter open the figure assumes one,
    but the screens say that no counter is open instead of showing it (wait_is_known).
    """
    mean = recent_mean_minutes if recent_mean_minutes is not None else float(standard_minutes)
    return mean / max(counters_open, 1)


def estimate_wait_minutes(people_ahead: int, per_person: float) -> int:
    """Whole minutes, rounded up: an estimate that errs short disappoints."""
    return math.ceil(people_ahead * per_person - 1e-9) if people_ahead > 0 else 0


def wait_is_known(counters_open: int | None) -> bool:
    """A wait can be estimated only while a counter serves the service: with none open, no line moves,
    so the kiosk, the slip and the phone say "no counter is open yet" rather than a made-up number.
    None: not known to the caller, which keeps showing the figure."""
    return counters_open is None or counters_open > 0
