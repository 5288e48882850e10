"""Comments flagged as complaints, read for the supervisor's page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import tables as t


def complaints(session: Session, status: str | None = None) -> list[dict]:
    """Complaints newest first, with the ticket's number and day; `status` narrows to open or answered."""
    s, k = t.survey_responses.c, t.tickets.c
    stmt = (
        select(
            s.id,
            s.submitted_at,
            s.service_id,
            s.comment,
            s.complaint_status,
            s.complaint_response,
            s.complaint_answered_at,
            s.source,
            k.number,
            k.service_day,
        )
        .join(t.tickets, k.id == s.ticket_id)
        .where(s.is_complaint.is_(True))
        .order_by(s.submitted_at.desc(), s.id.desc())
    )
    if status:
        stmt = stmt.where(s.complaint_status == status)
    return [dict(row._mapping) for row in session.execute(stmt)]
