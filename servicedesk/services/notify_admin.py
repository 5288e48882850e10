"""The admin's side of notifications: webhook subscriptions and their secrets, and "send again"."""

from __future__ import annotations

import secrets
from datetime import timedelta

from ..domain.errors import InvalidTransition, NotFound
from ..domain.notify import WEBHOOK_EVENTS
from ..persistence import outbox, webhooks
from . import audit
from .notify import Outbox
from .unit_of_work import UnitOfWork

#: How long the old secret keeps signing after a rotation: the receiver switches within this window.
ROTATION_OVERLAP = timedelta(hours=24)


def _public(row: dict) -> dict:
    return {"name": row["name"], "url": row["url"], "events": list(row["events"]), "active": row["active"]}


def _subscription(uow: UnitOfWork, subscription_id: int) -> dict:
    row = webhooks.get(uow.session, subscription_id)
    if row is None:
        raise NotFound(f"No webhook subscription {subscription_id}.")
    return row


def create_subscription(
    uow: UnitOfWork, outbox_: Outbox, *, actor_id: int | None, name: str, url: str, events: list[str]
) -> tuple[int, str]:
    """A new subscriber and its secret, shown to the admin once."""
    unknown = sorted(set(events) - set(WEBHOOK_EVENTS))
    if unknown or not events:
        raise InvalidTransition("Choose events from the list.", code="unknown_events", details={"events": unknown})
    secret = secrets.token_hex(32)
    subscription_id = webhooks.create(uow.session, name=name, url=url, events=events, secret=secret, now=uow.clock())
    after = {"name": name, "url": url, "events": events, "active": True}
    audit.record(uow, user_id=actor_id, action="create", entity="webhook", entity_id=subscription_id, after=after)
    uow.commit()
    outbox_.forget()
    return subscription_id, secret


def rotate_secret(uow: UnitOfWork, outbox_: Outbox, *, actor_id: int | None, subscription_id: int) -> str:
    """A new secret; the current one keeps signing beside it for ROTATION_OVERLAP (no downtime)."""
    row = _subscription(uow, subscription_id)
    secret = secrets.token_hex(32)
    until = uow.clock() + ROTATION_OVERLAP
    webhooks.change(
        uow.session, subscription_id, secret=secret, previous_secret=row["secret"], previous_secret_until=until
    )
    audit.record(
        uow, user_id=actor_id, action="rotate_secret", entity="webhook", entity_id=subscription_id,
        before={"secret_rotated_until": None}, after={"secret_rotated_until": until.isoformat()},
    )  # fmt: skip
    uow.commit()
    outbox_.forget()
    return secret


def set_active(uow: UnitOfWork, outbox_: Outbox, *, actor_id: int | None, subscription_id: int, active: bool) -> None:
    row = _subscription(uow, subscription_id)
    webhooks.change(uow.session, subscription_id, active=active)
    audit.record(
        uow, user_id=actor_id, action="activate" if active else "deactivate", entity="webhook",
        entity_id=subscription_id, before=_public(row), after=_public(row) | {"active": active},
    )  # fmt: skip
    uow.commit()
    outbox_.forget()


def send_again(uow: UnitOfWork, *, actor_id: int | None, message_id: int) -> None:
    """A dead (or already sent) message back in line, with its idempotency key unchanged."""
    row = outbox.message(uow.session, message_id)
    if row is None:
        raise NotFound(f"No message {message_id}.")
    if not outbox.send_again(uow.session, message_id, uow.clock()):
        raise InvalidTransition("The message is still on its way.", code="message_pending")
    audit.record(
        uow, user_id=actor_id, action="send_again", entity="message", entity_id=message_id,
        before={"status": row["status"], "last_error": row["last_error"]}, after={"status": "pending"},
    )  # fmt: skip
    uow.commit()
