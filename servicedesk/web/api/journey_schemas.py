"""Schemas of the journeys API (services/journeys.py): one visitor, several services in sequence."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow import validate

from ...domain.journey import MAX_STEPS, MIN_STEPS
from .schemas import IssuedOut, Strict, row_id


class JourneyIn(Strict):
    service_ids = f.List(
        row_id(),
        required=True,
        validate=validate.Length(max=20),
        # The domain refuses fewer than 2 or more than 5 with its own codes (journey_too_short, _too_long).
        metadata={
            "description": "The services in the visitor's order: 2 to 5, never one twice in a row",
            "minItems": MIN_STEPS,
            "maxItems": MAX_STEPS,
        },
    )
    priority = f.Boolean(load_default=False, metadata={"description": "Priority group (kelompok rentan)"})
    priority_group = f.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "Which priority group (a key of GET /office priority_groups); implies priority"},
    )


class JourneyService(ma.Schema):
    id = f.Integer(required=True)
    code = f.String(required=True)
    name = f.String(required=True)
    name_en = f.String(required=True)


class JourneyAgency(ma.Schema):
    id = f.Integer(required=True)
    name = f.String(allow_none=True, required=True)


class JourneyTicket(ma.Schema):
    number = f.String(required=True)
    status = f.String(required=True)
    token = f.String(required=True)
    status_url = f.String(required=True)


class JourneyCurrent(ma.Schema):
    number = f.String(required=True)
    token = f.String(required=True)


class JourneyStepOut(ma.Schema):
    position = f.Integer(required=True)
    state = f.String(
        required=True,
        metadata={"description": "waiting_previous, current, done, ended (no-show or cancelled) or dropped"},
    )
    service = f.Nested(JourneyService, required=True)
    agency = f.Nested(JourneyAgency, allow_none=True, required=True)
    ticket = f.Nested(JourneyTicket, allow_none=True, required=True, metadata={"description": "Once issued"})


class JourneyOut(ma.Schema):
    token = f.String(required=True)
    state = f.String(required=True, metadata={"description": "active, completed or ended"})
    end_reason = f.String(
        allow_none=True, required=True, metadata={"description": "Why the next service refused the visitor"}
    )
    created_at = f.String(required=True)
    current = f.Nested(JourneyCurrent, allow_none=True, required=True, metadata={"description": "The newest ticket"})
    steps = f.List(f.Nested(JourneyStepOut), required=True)


class JourneyStartedOut(JourneyOut):
    ticket = f.Nested(IssuedOut, required=True, metadata={"description": "The first step's ticket"})
