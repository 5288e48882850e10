"""The queue's vocabulary: statuses, event kinds, roles, and the fixed reasons."""

from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    HELD = "held"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


#: A counter has at most one ticket in one of these states.
ACTIVE_AT_COUNTER = (TicketStatus.CALLED, TicketStatus.SERVING)
#: The day is over for a ticket in one of these states.
FINAL = (TicketStatus.DONE, TicketStatus.CANCELLED)


class EventKind(StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    REQUEUED = "requeued"
    TRANSFERRED = "transferred"
    HELD = "held"
    RESUMED = "resumed"
    CANCELLED = "cancelled"


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    OFFICER = "officer"
    AUDITOR = "auditor"  # reads reports, SKM, exports and the audit log; changes nothing (issue 26)


class CounterStatus(StrEnum):
    OPEN = "open"
    BREAK = "break"
    CLOSED = "closed"


class CallOrder(StrEnum):
    """How a counter picks among its services (after the priority rule)."""

    OLDEST = "oldest"  # the oldest waiting ticket across the counter's services
    STRICT = "strict"  # the first service in the admin's order that has someone waiting


class ReturnPosition(StrEnum):
    """Where a late no-show goes back in line."""

    END = "end"  # behind everyone waiting now
    ORIGINAL = "original"  # at the place of its first arrival


#: On a cancel's event row: the reason chosen from the office's list, this, then the officer's own words.
REASON_SEPARATOR = " — "

#: The note on the event row of a ticket its visitor cancelled from their phone.
VISITOR_CANCEL_REASON = "cancelled by the visitor"
#: The note on the event row of a ticket the day's close found unserved.
DAY_END_REASON = "closed_at_day_end"

DEFAULT_CANCEL_REASONS = (
    "Dibatalkan atas permintaan pengunjung",
    "Berkas persyaratan tidak lengkap",
    "Salah memilih layanan",
    "Layanan tidak dapat diberikan hari ini",
)


class TransferPosition(StrEnum):
    ORIGINAL = "original"  # enters the target queue at its first arrival time
    FRONT = "front"  # enters the target queue ahead of everyone waiting


# --- domain events: collected on the entities, published by the unit of work after commit ---
