"""Ticket slips: their content, built once, and printing it on a kiosk's ESC/POS thermal printer.

The browser draws a `Slip` with kiosk/templates/slip.html; `escpos()` draws the same `Slip` as
ESC/POS bytes with python-escpos. A kiosk whose printer is on the network or on the server's USB
gets its slip from `print_slip()`, called by the issuing view only after the ticket is committed:
a printer that fails is reported, and never costs the visitor their ticket.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask_babel import gettext as _
from PIL import Image

from ..domain.estimate import wait_is_known
from ..domain.model import Office, Service, Ticket, TicketStatus
from ..domain.priority_groups import groups_of, label_of
from ..domain.slip import (
    BROWSER,
    ESCPOS_NETWORK,
    ESCPOS_USB,
    Holder,
    KioskPrinter,
    Slip,
    clock_label,
    complaint_address,
)
from . import qr

log = logging.getLogger(__name__)

#: How long the server waits for a kiosk's printer (connect and send) before it reports a failure.
DEFAULT_TIMEOUT_SECONDS = 3.0

#: Fees that mean "free of charge" on a slip.
FREE = ("gratis", "free", "rp0", "rp 0", "rp. 0", "0")


# --- the slip's content ---


def _priority_label(office: Office, ticket: Ticket, locale: str) -> str:
    """PRIORITY, with the group the visitor chose (so the officer sees it on the slip too)."""
    if not ticket.priority:
        return ""
    group = label_of(groups_of(office.priority_groups), ticket.priority_group, locale)
    return f"{_('PRIORITY')} · {group}" if group else _("PRIORITY")


def build_slip(
    *,
    office: Office,
    ticket: Ticket,
    service: Service,
    people_ahead: int,
    estimate_minutes: int,
    visitor_url: str,
    paper_width_mm: int,
    locale: str,
    counters_open: int | None = None,
    holder: Holder | None = None,
    agency_name: str = "",
    brand_colour: str = "",
    next_steps: tuple[tuple[int, str, str, str], ...] = (),
) -> Slip:
    """Everything a slip says, translated into the active locale (Flask-Babel's, which `locale` names).
    `counters_open` 0: no counter serves the service yet, so the slip says so instead of a wait.
    `holder`: the booking the ticket was checked in from, printed for the counter's check.
    `next_steps`: a journey's steps after this ticket, as (position, agency name, name, English name)."""
    issued = ticket.issued_at.astimezone(ZoneInfo(office.time_zone))
    facts: tuple[tuple[str, str], ...] = ()
    if ticket.status == TicketStatus.WAITING:
        wait = "± " + _("%(minutes)s minutes", minutes=estimate_minutes) if people_ahead else _("no queue")
        if not wait_is_known(counters_open):
            wait = _("No counter is open yet")
        facts = ((_("People ahead of you"), str(people_ahead)), (_("Estimated wait"), wait))
    footer = [_("Please wait until your number is called.")]
    if service.complaint_channel:
        footer.append(f"{_('Complaints:')} {service.complaint_channel}")
    if office.complaint_url:
        footer.append(f"SP4N-LAPOR!: {complaint_address(office.complaint_url)}")
    if (service.fee or "").strip().lower() in FREE:
        footer.append(_("This service is free of charge. Say no to gratuities."))
    else:
        footer.append(_("Fee: %(fee)s", fee=service.fee))
    return Slip(
        office_name=office.name,
        office_address=office.address or "",
        label=_("Queue number"),
        number=ticket.number,
        priority_label=_priority_label(office, ticket, locale),
        service_name=service.name_en if locale == "en" and service.name_en else service.name,
        issued_date=format_date(issued, "EEEE, d MMMM y", locale=locale),
        issued_time=f"{_('at')} {clock_label(issued.strftime('%H:%M'), office.time_zone, locale)}",
        facts=facts,
        qr_url=visitor_url,
        scan_line=_("Scan to follow your place in the queue on your phone"),
        footer=tuple(footer),
        paper_width_mm=paper_width_mm if paper_width_mm in (58, 80) else 80,
        holder=_("Booking %(code)s for %(holder)s", code=holder.code, holder=holder.line())
        if holder and holder.line()
        else "",
        agency_name=agency_name,
        brand_colour=brand_colour,
        next_label=_("Your next steps") if next_steps else "",
        next_steps=tuple(_step_line(step, locale) for step in next_steps),
    )


def _step_line(step: tuple[int, str, str, str], locale: str) -> str:
    position, agency, name, name_en = step
    service = name_en if locale == "en" and name_en else name
    return f"{position + 1}. {agency} · {service}" if agency else f"{position + 1}. {service}"


# --- the slip as ESC/POS ---

#: Characters per line in the printer's font A (12 x 24 dots) and the printable width in dots (203 dpi).
COLUMNS = {58: 32, 80: 48}
COLUMNS_FONT_B = {58: 42, 80: 64}  # the small font (9 x 17 dots), for the link
DOTS = {58: 384, 80: 576}
#: The QR code's printed size, as on the browser's slip (30 and 36 mm), in dots.
QR_DOTS = {58: 240, 80: 288}


def _qr_image(url: str, paper: int) -> Image.Image:
    """The QR code centred on a strip as wide as the paper: centring does not depend on the printer."""
    modules = Image.open(io.BytesIO(qr.png(url, box_size=1))).width  # the quiet zone included
    box = max(3, int(QR_DOTS[paper] // modules))
    code = Image.open(io.BytesIO(qr.png(url, box_size=box))).convert("1")
    strip = Image.new("1", (DOTS[paper], code.height), 1)
    strip.paste(code, ((DOTS[paper] - code.width) // 2, 0))
    return strip


def _wrapped(text: str, columns: int) -> list[str]:
    return textwrap.wrap(text, columns, break_long_words=True, break_on_hyphens=False) or [""]


def escpos(slip: Slip, copies: int = 1) -> bytes:
    """The slip as ESC/POS commands: text in the printer's font, the number at eight times its size,
    the QR code as a raster image (GS v 0), then a cut. Copies follow each other, each cut."""
    from escpos.printer import Dummy

    paper = slip.paper_width_mm
    columns = COLUMNS[paper]
    printer = Dummy()
    # The generic profile does not know the paper: say it on this instance (the profile's data is shared).
    media = {"dpi": 203, "width": {"mm": paper - 8, "pixels": DOTS[paper]}}
    printer.profile.profile_data = {**printer.profile.profile_data, "media": media}

    def lines(text: str, **style) -> None:
        printer.set_with_default(align="center", **style)
        width = COLUMNS_FONT_B[paper] if style.get("font") == "b" else columns
        for line in _wrapped(text, width // (2 if style.get("double_width") else 1)):
            printer.textln(line)

    def rule() -> None:
        printer.set_with_default(align="center")
        printer.textln("-" * columns)

    # The number as wide as the paper allows (each character is 12 dots wide at size 1), at most 6 times.
    size = max(2, min(6, DOTS[paper] // (12 * max(1, len(slip.number)))))
    for _copy in range(max(1, copies)):
        printer.hw("INIT")
        lines(slip.office_name.upper(), bold=True)
        if slip.office_address:
            lines(slip.office_address)
        rule()
        lines(slip.label.upper())
        printer.set_with_default(align="center", bold=True, custom_size=True, width=size, height=size)
        printer.textln(slip.number)
        if slip.priority_label:
            printer.set_with_default(align="center", bold=True, invert=True)
            printer.textln(f" {slip.priority_label} ")
        if slip.agency_name:
            lines(slip.agency_name, bold=True)
        lines(slip.service_name, bold=True, double_height=True)
        if slip.holder:
            lines(slip.holder, bold=True)
        lines(slip.issued_date)
        lines(slip.issued_time)
        if slip.facts:
            printer.ln()
            printer.set_with_default(align="left")
            for label, value in slip.facts:
                room = columns - len(value) - 1
                head = _wrapped(label, room)
                for line in head[:-1]:
                    printer.textln(line)
                printer.textln(head[-1].ljust(room) + " " + value)
        if slip.next_steps:
            printer.ln()
            lines(slip.next_label, bold=True)
            for step in slip.next_steps:
                lines(step)
        rule()
        printer.set_with_default(align="center")
        printer.image(_qr_image(slip.qr_url, paper), impl="bitImageRaster")
        lines(slip.scan_line, bold=True)
        lines(slip.qr_url, font="b")
        rule()
        for line in slip.footer:
            lines(line)
        printer.set_with_default()
        printer.cut()
    return printer.output


# --- sending it to the kiosk's printer ---


class PrinterFailed(Exception):
    """The kiosk's printer could not be reached or did not take the slip; the message says why."""


@dataclass(frozen=True)
class PrintOutcome:
    """What became of a slip: printed by the server, not (and why), or left to the kiosk's browser."""

    mode: str
    printed: bool
    error: str | None = None


def _send_network(printer: KioskPrinter, data: bytes, timeout: float) -> None:
    """One connection to the printer's raw port, bounded as a whole: connecting and sending share `timeout`."""
    deadline = time.monotonic() + timeout
    where = printer.target
    try:
        with socket.create_connection((printer.host, printer.port), timeout=timeout) as connection:
            connection.settimeout(max(0.1, deadline - time.monotonic()))
            connection.sendall(data)
    except ConnectionRefusedError as error:
        raise PrinterFailed(f"the printer at {where} refused the connection") from error
    except TimeoutError as error:
        raise PrinterFailed(f"no answer from the printer at {where} within {timeout:g} s") from error
    except socket.gaierror as error:
        raise PrinterFailed(f"the printer's host name {printer.host} is unknown") from error
    except OSError as error:
        raise PrinterFailed(f"the printer at {where} could not be reached: {error.strerror or error}") from error


def _send_usb(printer: KioskPrinter, data: bytes, timeout: float) -> None:
    """A printer plugged into the server itself (a one-box kiosk): libusb, bounded by `timeout`."""
    from escpos.printer import Usb

    usb = Usb(printer.usb_vendor_id, printer.usb_product_id, timeout=int(timeout * 1000))
    try:
        usb.open()
        usb._raw(data)  # python-escpos has no public call for bytes already drawn
    except Exception as error:  # noqa: BLE001 - pyusb raises its own, libusb's and assertion errors
        raise PrinterFailed(f"the USB printer {printer.target} did not take the slip: {error}") from error
    finally:
        with contextlib.suppress(Exception):  # closing a device that never opened
            usb.close()


def _off_the_event_loop(work: Callable[[], None]) -> None:
    """libusb blocks the calling thread: under gevent, run it in the hub's thread pool so other
    requests go on. Network sockets need no such care: gevent's are cooperative."""
    try:
        from gevent import get_hub, monkey
    except ImportError:
        work()
        return
    if monkey.is_module_patched("socket"):
        get_hub().threadpool.apply(work)
    else:
        work()


def send(printer: KioskPrinter, data: bytes, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
    if printer.mode == ESCPOS_NETWORK:
        _send_network(printer, data, timeout)
    elif printer.mode == ESCPOS_USB:
        _off_the_event_loop(lambda: _send_usb(printer, data, timeout))
    else:
        raise PrinterFailed("this kiosk prints from its browser")


def print_slip(printer: KioskPrinter, slip: Slip, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> PrintOutcome:
    """Print on the kiosk's ESC/POS printer. Never raises: whatever goes wrong is the outcome's `error`."""
    if not printer.escpos:
        return PrintOutcome(BROWSER, printed=False)
    try:
        send(printer, escpos(slip, copies=printer.copies), timeout)
    except PrinterFailed as failure:
        log.warning("slip %s not printed: %s", slip.number, failure)
        return PrintOutcome(printer.mode, printed=False, error=str(failure))
    except Exception as error:  # noqa: BLE001 - a printer must never turn an issued ticket into a 500
        log.exception("slip %s not printed", slip.number)
        return PrintOutcome(printer.mode, printed=False, error=f"printing failed: {error}")
    return PrintOutcome(printer.mode, printed=True)
