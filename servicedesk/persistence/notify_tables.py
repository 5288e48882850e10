"""The notification schema (migration 0014): the outbox, the visitors' opt-ins, webhook subscriptions."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from .tables import UTCDateTime, metadata

#: The transactional outbox: written in the transaction of the event that causes it (UnitOfWork.commit).
messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", String(16), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("trigger", String(32), nullable=False),
    Column("dedupe_key", String(200), nullable=False, unique=True),  # also the provider's idempotency key
    Column("text", Text, nullable=False, default=""),
    Column("data", JSON, nullable=False),
    Column("ticket_id", ForeignKey("tickets.id"), nullable=True),
    Column("subscription_id", ForeignKey("webhook_subscriptions.id"), nullable=True),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("attempt_id", String(32), nullable=True),  # the claim of the attempt under way (fencing token)
    Column("claimed_at", UTCDateTime, nullable=True),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Index("ix_messages_due", "status", "next_attempt_at"),
)

#: A visitor's consent to hear about one ticket on one channel (UU PDP: what, when, the wording agreed to).
contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", ForeignKey("tickets.id"), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("address", Text, nullable=False),  # a phone number, an e-mail address or a push subscription (JSON)
    Column("consented_at", UTCDateTime, nullable=False),
    Column("consent_text", Text, nullable=False),
    Column("withdrawn_at", UTCDateTime, nullable=True),
)

#: A system that wants events: signed with `secret`, and with `previous_secret` until it expires (rotation).
webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("url", String(500), nullable=False),
    Column("events", JSON, nullable=False),  # Trigger values
    Column("secret", String(128), nullable=False),
    Column("previous_secret", String(128), nullable=True),
    Column("previous_secret_until", UTCDateTime, nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
)
