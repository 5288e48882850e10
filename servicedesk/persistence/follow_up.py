"""Follow-up actions (rencana tindak lanjut) of a survey period, read for the pages."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import tables as t


def actions_of(session: Session, first: date, last: date, service_id: int | None) -> list[dict]:
    """The actions recorded for exactly this period and service (None: the whole office), oldest first."""
    a = t.follow_up_actions.c
    service = a.service_id.is_(None) if service_id is None else a.service_id == service_id
    rows = session.execute(
        select(t.follow_up_actions).where(a.period_first == first, a.period_last == last, service).order_by(a.id)
    )
    return [dict(row._mapping) for row in rows]


def add_action(session: Session, **values) -> int:
    """Insert one action; returns its id."""
    return session.execute(t.follow_up_actions.insert().values(**values)).inserted_primary_key[0]


def action(session: Session, action_id: int) -> dict | None:
    row = session.execute(select(t.follow_up_actions).where(t.follow_up_actions.c.id == action_id)).first()
    return dict(row._mapping) if row else None


def set_status(session: Session, action_id: int, status: str, at) -> None:
    session.execute(
        t.follow_up_actions.update().where(t.follow_up_actions.c.id == action_id).values(status=status, updated_at=at)
    )
