"""Classical mapping: SQLAlchemy learns the domain classes without the domain importing it."""

from __future__ import annotations

from sqlalchemy.orm import registry, relationship

from ..domain import announcements, booking, journey, model, survey
from . import tables

mapper_registry = registry(metadata=tables.metadata)
_started = False


def start_mappers() -> None:
    """Map once per process; the app factory may run many times (tests), mapping may not."""
    global _started
    if _started:
        return
    _started = True
    mapper_registry.map_imperatively(model.Office, tables.office)
    mapper_registry.map_imperatively(model.Agency, tables.agencies)
    mapper_registry.map_imperatively(model.Holiday, tables.holidays)
    mapper_registry.map_imperatively(model.Service, tables.services)
    mapper_registry.map_imperatively(
        model.User,
        tables.users,
        properties={
            "competences": relationship(
                model.Service, secondary=tables.user_services, lazy="selectin", order_by=tables.services.c.position
            )
        },
    )
    mapper_registry.map_imperatively(
        model.Counter,
        tables.counters,
        properties={
            # Ordered, written through repository.set_counter_services so the position is kept.
            "services": relationship(
                model.Service,
                secondary=tables.counter_services,
                order_by=tables.counter_services.c.position,
                viewonly=True,
                lazy="selectin",
            ),
        },
    )
    mapper_registry.map_imperatively(model.TicketEvent, tables.ticket_events)
    mapper_registry.map_imperatively(
        model.Ticket,
        tables.tickets,
        properties={
            "events": relationship(model.TicketEvent, order_by=tables.ticket_events.c.id, cascade="all, delete-orphan"),
        },
    )
    mapper_registry.map_imperatively(model.Device, tables.devices)
    mapper_registry.map_imperatively(survey.SurveyResponse, tables.survey_responses)
    mapper_registry.map_imperatively(model.AuditEntry, tables.audit_log)
    mapper_registry.map_imperatively(announcements.Announcement, tables.announcements)
    mapper_registry.map_imperatively(booking.Booking, tables.bookings)
    mapper_registry.map_imperatively(booking.BookingSettings, tables.booking_settings)
    mapper_registry.map_imperatively(journey.JourneyStep, tables.journey_steps)
    mapper_registry.map_imperatively(
        journey.Journey,
        tables.journeys,
        properties={
            "steps": relationship(
                journey.JourneyStep,
                order_by=tables.journey_steps.c.position,
                cascade="all, delete-orphan",
                lazy="selectin",
            )
        },
    )
