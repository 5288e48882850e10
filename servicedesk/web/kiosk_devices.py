"""A kiosk as a device, shared by the kiosk's pages and the issuing API: whether issuing needs a
registered kiosk, and the slip of a ticket, printed on the kiosk's own ESC/POS printer after the commit."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, get_locale

from ..domain.branding import Brand
from ..domain.model import Device, Service, Ticket
from ..domain.slip import KioskPrinter, Slip
from ..extensions import db
from ..persistence import journeys, queries
from ..persistence.bookings import BookingRepository
from ..persistence.repository import Repository
from ..services import printing
from .context import now
from .i18n import locale_for
from .links import public_url_for


def page_locale() -> str:
    """The request's language ("id" when Babel has none)."""
    return str(get_locale() or "id")


def build_slip(
    ticket: Ticket, *, paper: int | None = None, service: Service | None = None, ahead: int = 0, estimate: int = 0
) -> Slip:
    """The slip of a ticket, in its agency's language unless the visitor chose another (web/i18n.py),
    with the agency's name and colour: the one content both printers draw.
    `service`, `ahead` and `estimate` are passed by a caller that has just read them."""
    office = Repository(db.session).office()
    if service is None:
        service, _counter, ahead, estimate = queries.ticket_status(db.session, ticket, now())
    brand = ticket_brand(service)
    locale = locale_for(brand.language)
    with force_locale(locale):
        return printing.build_slip(
            office=office,
            ticket=ticket,
            service=service,
            people_ahead=ahead,
            estimate_minutes=estimate,
            visitor_url=public_url_for("visitor.page", token=ticket.token),
            paper_width_mm=paper or office.paper_width_mm,
            locale=locale,
            counters_open=queries.counters_open(db.session, service.id),
            holder=BookingRepository(db.session).holders([ticket.id]).get(ticket.id),
            agency_name=brand.name,
            brand_colour=brand.colour,
            next_steps=next_steps(ticket),
        )


def next_steps(ticket: Ticket) -> tuple[tuple[int, str, str, str], ...]:
    """A journey's steps after this ticket's (position, agency, service name, English name); () for a ticket
    of no journey."""
    journey = Repository(db.session).journey_of_ticket(ticket.id)
    if journey is None:
        return ()
    rows = journeys.steps_of(db.session, journey.id)
    own = next(row.position for row in rows if row.ticket_id == ticket.id)
    later = [row for row in rows if row.position > own]
    return tuple((row.position, row.agency_name or "", row.service_name, row.service_name_en) for row in later)


def ticket_brand(service: Service) -> Brand:
    """How the pages of a ticket of `service` show its agency: the agency's name in a hall of several
    agencies ("" in an office of its own), its brand colour and its language, wherever it has them."""
    if service.agency_id is None:
        return Brand()
    agency = Repository(db.session).agency(service.agency_id)
    if agency is None:
        return Brand()
    in_hall = queries.active_agency_count(db.session) >= 2
    return Brand(agency.name if in_hall else "", agency.brand_colour or "", agency.language)


def print_issued_slip(
    device: Device | None, ticket: Ticket, service: Service, ahead: int, estimate: int
) -> printing.PrintOutcome:
    """The slip of a ticket just issued (and committed) by this kiosk, if the server prints its slips
    and prints them automatically. The issuing view calls this after the commit."""
    printer = KioskPrinter.of(device.settings if device is not None else None)
    if not printer.escpos or not printer.auto_print:
        return printing.PrintOutcome(printer.mode, printed=False)
    return print_on_kiosk_printer(device, ticket, service, ahead, estimate)


def print_on_kiosk_printer(
    device: Device | None, ticket: Ticket, service: Service | None = None, ahead: int = 0, estimate: int = 0
) -> printing.PrintOutcome:
    """Print on the kiosk's ESC/POS printer when it has one. Call it only after the ticket is committed:
    it waits for the printer (at most PRINTER_TIMEOUT_SECONDS) and reports a failure, it never raises."""
    printer = KioskPrinter.of(device.settings if device is not None else None)
    if not printer.escpos:
        return printing.PrintOutcome(printer.mode, printed=False)
    try:
        slip = build_slip(ticket, paper=printer.paper_width_mm, service=service, ahead=ahead, estimate=estimate)
    except Exception as error:  # noqa: BLE001 - the ticket is issued; a slip that cannot be drawn is only reported
        current_app.logger.exception("slip of %s not drawn", ticket.number)
        return printing.PrintOutcome(printer.mode, printed=False, error=f"the slip could not be drawn: {error}")
    timeout = float(current_app.config.get("PRINTER_TIMEOUT_SECONDS", printing.DEFAULT_TIMEOUT_SECONDS))
    return printing.print_slip(printer, slip, timeout=timeout)


def kiosk_token_required(office) -> bool:
    """Issuing needs a registered kiosk: by the server's configuration (on in production) or the office's."""
    return bool(current_app.config.get("REQUIRE_DEVICE_TOKEN")) or office.require_device_token
