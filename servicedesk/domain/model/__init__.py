"""The queue's entities. SQLAlchemy maps these classes imperatively (persistence/mapping.py);
nothing here knows about it, so the rules run the same in a unit test and in production.

One module per part: kinds (statuses, roles, reasons), events (the base of entities that record
events for the unit of work), office (settings, holidays, services), people (counters, users, and
their events), ticket (and its event rows and events), devices (and audit entries).
"""

from .agency import Agency
from .devices import DEVICE_KINDS, AuditEntry, Device, hash_token
from .kinds import (
    ACTIVE_AT_COUNTER,
    DAY_END_REASON,
    DEFAULT_CANCEL_REASONS,
    FINAL,
    REASON_SEPARATOR,
    VISITOR_CANCEL_REASON,
    CallOrder,
    CounterStatus,
    EventKind,
    ReturnPosition,
    Role,
    TicketStatus,
    TransferPosition,
)
from .office import DEFAULT_OPENING_HOURS, Holiday, Office, Service
from .people import Counter, CounterChanged, SessionsEnded, User
from .ticket import Ticket, TicketChanged, TicketEvent

__all__ = [
    "Agency",
    "TicketStatus",
    "ACTIVE_AT_COUNTER",
    "FINAL",
    "EventKind",
    "Role",
    "CounterStatus",
    "CallOrder",
    "ReturnPosition",
    "REASON_SEPARATOR",
    "VISITOR_CANCEL_REASON",
    "DAY_END_REASON",
    "DEFAULT_CANCEL_REASONS",
    "TransferPosition",
    "TicketChanged",
    "CounterChanged",
    "SessionsEnded",
    "Office",
    "DEFAULT_OPENING_HOURS",
    "Holiday",
    "Service",
    "Counter",
    "User",
    "TicketEvent",
    "Ticket",
    "DEVICE_KINDS",
    "hash_token",
    "Device",
    "AuditEntry",
]
