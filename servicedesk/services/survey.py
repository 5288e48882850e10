"""The visitor's satisfaction survey (SKM): one response per finished ticket, kept for the IKM reports."""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError

from ..domain.errors import InvalidTransition, NotFound
from ..domain.model import TicketStatus
from ..domain.survey import MAX_COMMENT, SurveyResponse, survey_closes_at
from . import audit
from .unit_of_work import UnitOfWork


class SurveyRefused(InvalidTransition):
    """The ticket cannot take a response (not finished yet, or answered already); `code` says which."""

    code = "survey_refused"


class InvalidAnswers(ValueError):
    """The answers break the form's rules (nine elements, each 1-4, a short comment)."""


def link_expired(ticket, office, now) -> bool:
    """The phone's survey link lives `office.survey_link_days` after the service finished."""
    if ticket.finished_at is None:
        return False
    return now >= survey_closes_at(ticket.finished_at, office.survey_link_days)


def submit_response(
    uow: UnitOfWork,
    *,
    token: str,
    answers: dict[str, int],
    comment: str | None = None,
    profile: dict[str, str | None] | None = None,
    is_complaint: bool = False,
) -> SurveyResponse:
    """Store one visitor's answers for their finished ticket, with the counter and officer who served it.

    The profile (gender, age group, education, occupation) is optional, each question on its own."""
    ticket = uow.repo.ticket_by_token(token)
    if ticket is None:
        raise NotFound("No such ticket.")
    if ticket.status != TicketStatus.DONE:
        raise SurveyRefused(
            "The survey opens once your service is finished.",
            code="survey_not_open",
            details={"status": ticket.status.value},
        )
    if uow.repo.survey_response_of(ticket.id) is not None:
        raise SurveyRefused("This ticket's survey has been answered already.", code="survey_already_answered")
    office = uow.repo.office()
    if link_expired(ticket, office, uow.clock()):
        raise SurveyRefused(
            f"Sorry, this survey link has expired: it works for {office.survey_link_days} days after your service.",
            code="survey_expired",
            details={"days": office.survey_link_days},
        )
    response = _response(uow, ticket, answers, comment, profile=profile, is_complaint=is_complaint)
    _save(uow, response)
    return response


def enter_paper_response(
    uow: UnitOfWork,
    *,
    actor_id: int,
    service_day: date,
    number: str,
    answers: dict[str, int],
    comment: str | None = None,
    profile: dict[str, str | None] | None = None,
    is_complaint: bool = False,
) -> SurveyResponse:
    """A paper form a visitor filled in at the desk, typed in by a supervisor: marked source='paper'.

    The ticket is found by the number on its slip and its day; it must have been served, and it
    still takes one response only (phone or paper). The link's time limit does not apply: the form
    was filled in at the desk. The entry is audited."""
    number = (number or "").strip().upper()
    ticket = uow.repo.ticket_by_number(service_day, number)
    if ticket is None:
        raise NotFound(f"No ticket {number} on {service_day.isoformat()}.")
    if ticket.status != TicketStatus.DONE:
        raise SurveyRefused(
            "Only a served ticket takes a survey response.",
            code="survey_not_open",
            details={"status": ticket.status.value},
        )
    if uow.repo.survey_response_of(ticket.id) is not None:
        raise SurveyRefused("This ticket's survey has been answered already.", code="survey_already_answered")
    response = _response(
        uow, ticket, answers, comment, profile=profile, is_complaint=is_complaint, source="paper", entered_by=actor_id
    )
    after = {"ticket": number, "day": service_day.isoformat(), **response.answers()}
    _save(
        uow,
        response,
        record=lambda: audit.record(
            uow, user_id=actor_id, action="enter_paper", entity="survey_response", entity_id=response.id, after=after
        ),
    )
    return response


def _response(uow: UnitOfWork, ticket, answers: dict[str, int], comment: str | None, **fields) -> SurveyResponse:
    """A response for a served ticket, with the counter and officer who served it; bad answers refused."""
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InvalidAnswers(f"comment: at most {MAX_COMMENT} characters")
    try:
        return SurveyResponse(
            ticket.id,
            ticket.service_id,
            answers,
            uow.clock(),
            counter_id=ticket.counter_id,
            officer_id=ticket.officer_id,
            comment=comment,
            **fields,
        )
    except ValueError as error:
        raise InvalidAnswers(str(error)) from error


def _save(uow: UnitOfWork, response: SurveyResponse, record=None) -> None:
    """Store it (and its audit row); a second response that raced past the check loses to the unique ticket_id."""
    uow.repo.add(response)
    try:
        if record is not None:
            uow.session.flush()  # the response's id, for the audit row
            record()
        uow.commit()
    except IntegrityError:
        uow.rollback()
        raise SurveyRefused("This ticket's survey has been answered already.", code="survey_already_answered") from None
