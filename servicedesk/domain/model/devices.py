"""Registered kiosks and displays, and the audit log's entries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

DEVICE_KINDS = ("kiosk", "display")


def hash_token(token: str) -> str:
    """Only a device token's hash is stored: a copied database does not hand out working tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Device:
    """A registered kiosk or display: a token, not a login. Displays may be limited to an area or services."""

    kind: str
    name: str
    token_hash: str
    area: str = ""
    service_ids: list[int] = field(default_factory=list)
    active: bool = True
    settings: dict = field(default_factory=dict)
    sound_muted: bool | None = None  # a display whose browser forbids sound says so
    sound_reported_at: datetime | None = None
    agency_id: int | None = None  # None: a hall device of the whole site


class AuditEntry:
    """One change to the office's set-up (services, counters, users, devices, settings): who, when,
    what, and the values before and after. Append-only: the application never edits or deletes it."""

    def __init__(
        self,
        *,
        at: datetime,
        user_id: int | None,
        action: str,
        entity: str,
        entity_id: int | None,
        before: dict | None,
        after: dict | None,
    ):
        self.at = at
        self.user_id = user_id
        self.action = action
        self.entity = entity
        self.entity_id = entity_id
        self.before = before
        self.after = after
        # Its place in the hash chain (domain/audit_chain.py), set when it is recorded.
        self.seq: int | None = None
        self.prev_hash: str | None = None
        self.hash: str | None = None
