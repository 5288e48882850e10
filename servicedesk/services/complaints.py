"""Complaints from the survey comments, tracked to an answer by a supervisor (audited)."""

from __future__ import annotations

from ..domain.errors import InvalidTransition, NotFound
from ..domain.survey import SurveyResponse
from . import audit
from .unit_of_work import UnitOfWork

MAX_RESPONSE = 2000


class InvalidResponse(ValueError):
    """The answer is empty or too long."""


def answer_complaint(uow: UnitOfWork, *, actor_id: int, response_id: int, text: str) -> SurveyResponse:
    """Record the office's answer to a complaint: its status becomes answered, and the change is audited."""
    response = uow.repo.survey_response(response_id)
    if response is None or not response.is_complaint:
        raise NotFound("No such complaint.")
    text = (text or "").strip()
    if not text:
        raise InvalidResponse("write the answer given to the visitor")
    if len(text) > MAX_RESPONSE:
        raise InvalidResponse(f"at most {MAX_RESPONSE} characters")
    if response.complaint_status == "answered" and response.complaint_response == text:
        raise InvalidTransition("This answer is recorded already.", code="complaint_unchanged")
    before = {"status": response.complaint_status, "response": response.complaint_response}
    response.complaint_status = "answered"
    response.complaint_response = text
    response.complaint_answered_at = uow.clock()
    response.complaint_answered_by = actor_id
    audit.record(
        uow,
        user_id=actor_id,
        action="answer",
        entity="complaint",
        entity_id=response.id,
        before=before,
        after={"status": "answered", "response": text},
    )
    uow.commit()
    return response
