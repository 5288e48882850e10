"""Webhook subscriptions: which system hears which events, and the secrets that sign for it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from .notify_tables import webhook_subscriptions

w = webhook_subscriptions.c


def create(session: Session, *, name: str, url: str, events: list[str], secret: str, now: datetime) -> int:
    return session.execute(
        insert(webhook_subscriptions)
        .values(name=name, url=url, events=events, secret=secret, active=True, created_at=now)
        .returning(w.id)
    ).scalar_one()


def get(session: Session, subscription_id: int) -> dict | None:
    row = session.execute(select(webhook_subscriptions).where(w.id == subscription_id)).first()
    return dict(row._mapping) if row else None


def all_(session: Session) -> list[dict]:
    return [dict(row._mapping) for row in session.execute(select(webhook_subscriptions).order_by(w.id))]


def change(session: Session, subscription_id: int, **values) -> bool:
    return bool(session.execute(update(webhook_subscriptions).where(w.id == subscription_id).values(**values)).rowcount)


def signing_secrets(session: Session, subscription_id: int, now: datetime) -> list[str]:
    """The current secret, and the previous one while its rotation window lasts: both sign."""
    row = get(session, subscription_id)
    if row is None:
        return []
    found = [row["secret"]]
    if row["previous_secret"] and row["previous_secret_until"] and row["previous_secret_until"] > now:
        found.append(row["previous_secret"])
    return found
