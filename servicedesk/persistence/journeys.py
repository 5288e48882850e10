"""The read side of journeys (domain/journey.py): each step with its service, agency and ticket."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.model import TicketStatus
from . import tables as t


@dataclass(frozen=True, slots=True)
class StepRow:
    position: int
    service_id: int
    service_code: str
    service_name: str
    service_name_en: str
    agency_id: int | None
    agency_name: str | None
    ticket_id: int | None
    number: str | None
    status: TicketStatus | None
    token: str | None


def steps_of(session: Session, journey_id: int) -> list[StepRow]:
    """A journey's steps in order, in one query."""
    s, svc, a, tk = t.journey_steps, t.services, t.agencies, t.tickets
    stmt = (
        select(
            s.c.position,
            s.c.service_id,
            svc.c.code,
            svc.c.name,
            svc.c.name_en,
            svc.c.agency_id,
            a.c.name,
            s.c.ticket_id,
            tk.c.number,
            tk.c.status,
            tk.c.token,
        )
        .join(svc, svc.c.id == s.c.service_id)
        .outerjoin(a, a.c.id == svc.c.agency_id)
        .outerjoin(tk, tk.c.id == s.c.ticket_id)
        .where(s.c.journey_id == journey_id)
        .order_by(s.c.position)
    )
    return [StepRow(*row) for row in session.execute(stmt)]
