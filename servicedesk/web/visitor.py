"""The visitor's phone page at /t/<token>, opened from the QR code on the slip.

The page follows one ticket live (Socket.IO, with polling of the JSON API as a fallback), calls the
visitor to their counter with a chime and vibration, and asks for the SKM survey once served.
It needs no login: the token is the key, and the page shows nothing about other visitors.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from functools import cache

from flask import Blueprint, Response, render_template, url_for
from flask_babel import gettext as _

from ..domain import survey as skm
from ..domain.slip import complaint_address
from ..extensions import db
from ..persistence.repository import Repository
from ..realtime import snapshots
from ..services import survey
from .context import now
from .i18n import speak_agency
from .kiosk_devices import ticket_brand

bp = Blueprint("visitor", __name__)

CHIME_RATE = 22050


@cache
def chime_wav() -> bytes:
    """A two-note chime (like a doorbell) synthesised once per process: nothing to download or license."""
    notes = ((1046.5, 0.0), (784.0, 0.32))  # C6 then G5
    length = 1.3
    frames = bytearray()
    for i in range(int(CHIME_RATE * length)):
        t = i / CHIME_RATE
        value = 0.0
        for frequency, start in notes:
            if t >= start:
                age = t - start
                envelope = math.exp(-age * 4.0) * min(1.0, age * 200)  # quick attack, bell-like decay
                value += envelope * (
                    math.sin(2 * math.pi * frequency * age) + 0.3 * math.sin(2 * math.pi * 2 * frequency * age)
                )
        frames += struct.pack("<h", int(max(-1.0, min(1.0, value * 0.45)) * 32767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(CHIME_RATE)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


@bp.get("/t/chime.wav")
def chime():
    return Response(chime_wav(), mimetype="audio/wav", headers={"Cache-Control": "public, max-age=86400"})


def _strings() -> dict:
    return {
        "status": {
            "waiting": _("Waiting for your turn"),
            "called": _("You are being called"),
            "serving": _("You are being served"),
            "held": _("On hold: the officer will call you again"),
            "done": _("Service finished. Thank you!"),
            "no_show": _("You were called but did not come. Please report to an officer."),
            "cancelled": _("This ticket was cancelled."),
        },
        "go_to_counter": _("Please go to counter {number}"),
        "at_counter": _("at counter {number}"),
        "people": _("{count} people"),
        "minutes": _("{minutes} minutes"),
        "you_are_next": _("You are next"),
        "no_counter_open": _("No counter is open yet"),
        "live": _("Live"),
        "polling": _("Updating every few seconds"),
        "offline": _("No connection. Showing the last known state."),
        "cancel_failed": _("The ticket could not be cancelled. It may have been called already."),
        "survey_incomplete": _("Please answer all nine questions."),
        "survey_failed": _("The answers could not be sent. Please try again."),
        "transferred": _("You were moved to another service; your number stays the same."),
        "journey": {
            "step": _("Step {n}"),
            "waiting_previous": _("Waiting for the previous step"),
            "done": _("Finished"),
            "dropped": _("Not continued"),
            "ticket": {
                "waiting": _("Waiting"),
                "called": _("Called"),
                "serving": _("Being served"),
                "held": _("On hold"),
                "no_show": _("Did not come"),
                "cancelled": _("Cancelled"),
            },
            "ended": _("Your journey has ended: the next steps are not continued."),
            "refused": _("The next service could not take you; please ask at the information desk."),
            "completed": _("Every step of your journey is finished."),
            "next": _("Your next step has its number: opening it..."),
        },
    }


def _questions(locale: str) -> list[dict]:
    english = locale == "en"
    items = []
    for code, name_id, name_en in skm.ELEMENTS:
        question_id, question_en, labels_id, labels_en = skm.QUESTIONS[code]
        items.append(
            {
                "code": code,
                "name": name_en if english else name_id,
                "question": question_en if english else question_id,
                "labels": labels_en if english else labels_id,
            }
        )
    return items


def _profile(locale: str) -> list[dict]:
    english = locale == "en"
    return [
        {
            "name": name,
            "label": label_en if english else label_id,
            "options": [(code, option_en if english else option_id) for code, option_id, option_en in options],
        }
        for name, (label_id, label_en, options) in skm.PROFILE.items()
    ]


@bp.get("/t/<string:token>")
def page(token: str):
    repo = Repository(db.session)
    office = repo.office()
    ticket = repo.ticket_by_token(token)
    if ticket is None:
        return render_template("visitor/missing.html", office=office), 404
    brand = ticket_brand(repo.service(ticket.service_id))
    locale = speak_agency(brand.language)  # the agency's language, unless the visitor chose another
    snapshot = snapshots.ticket(db.session, ticket, now())
    response = Repository(db.session).survey_response_of(ticket.id)
    expired = response is None and survey.link_expired(ticket, office, now())
    journey = repo.journey_of_ticket(ticket.id)
    status_url = lambda token: url_for("public_api.ticket_status", token=token)  # noqa: E731
    config = {
        "token": ticket.token,
        "journey": snapshots.journey(db.session, journey, status_url) if journey is not None else None,
        "locale": locale,
        "ticket": snapshot["ticket"],
        "survey": {"answered": response is not None, "expired": expired},
        "poll_seconds": 10,
        "urls": {
            "ticket": url_for("public_api.ticket_status", token=ticket.token),
            "withdraw": url_for("public_api.withdraw", token=ticket.token),
            "survey": url_for("public_api.submit_survey", token=ticket.token),
            "chime": url_for("visitor.chime"),
            "journey": url_for("journeys_api.get", token=journey.token) if journey is not None else None,
            "page": url_for("visitor.page", token="TOKEN"),  # a journey's next ticket's page
        },
        "strings": _strings(),
    }
    return render_template(
        "visitor/ticket.html",
        office=office,
        ticket=snapshot["ticket"],
        questions=_questions(locale),
        profile=_profile(locale),
        survey_days=office.survey_link_days,
        complaint_url=office.complaint_url,
        complaint_label=complaint_address(office.complaint_url),
        max_comment=skm.MAX_COMMENT,
        config=config,
        locale=locale,
        agency_name=brand.name,
        brand=brand,
    )
