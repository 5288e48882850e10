"""The ticket slip and the kiosk printer it goes to.

A `Slip` is what a ticket slip says, already in the visitor's language. It is built once
(services/printing.build_slip) and drawn twice: as HTML for the browser's print
(kiosk/templates/slip.html) and as ESC/POS bytes for a thermal printer (services/printing.escpos),
so the paper from either printer says the same thing.

`KioskPrinter` is how one kiosk prints, kept in the kiosk device's settings and set by an admin.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .branding import text_on
from .errors import FieldInvalid, Problems

PAPER_WIDTHS = (58, 80)

BROWSER = "browser"
ESCPOS_NETWORK = "escpos_network"
ESCPOS_USB = "escpos_usb"
PRINT_MODES = (BROWSER, ESCPOS_NETWORK, ESCPOS_USB)

#: The port of a network thermal printer's raw ("JetDirect") socket, nearly always 9100.
DEFAULT_PRINTER_PORT = 9100
MAX_COPIES = 3

# A host name as RFC 1123 allows it: dot-separated labels of letters, digits and inner hyphens.
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_USB_ID = re.compile(r"^(0x)?[0-9a-f]{1,4}$", re.IGNORECASE)

#: Indonesia's three time zones as people say them on a sign: "buka kembali pukul 13.00 WIB".
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def clock_label(hhmm: str, time_zone: str, locale: str) -> str:
    """ "13:00" as a sign says it: "13.00 WIB" in Indonesian, "13:00 WIB" in English."""
    text = hhmm.replace(":", ".") if locale == "id" else hhmm
    zone = ZONE_NAMES.get(time_zone)
    return f"{text} {zone}" if zone else text


def complaint_address(url: str) -> str:
    """The office's SP4N-LAPOR! address as printed: without the scheme, so it fits a 58 mm line."""
    url = (url or "").strip()
    for scheme in ("https://", "http://"):
        if url.lower().startswith(scheme):
            url = url[len(scheme) :]
    return url.rstrip("/")


@dataclass(frozen=True)
class Holder:
    """Whom a checked-in booking is for: a booking is not transferable, so its slip and the officer's
    console show the name and the NIK's last 4 digits for the counter to compare with the identity card."""

    code: str
    name: str | None
    nik_last4: str | None

    def line(self) -> str:
        """ "Siti Aminah · NIK ************0001": the 12 hidden digits are not printed, only marked."""
        parts = [self.name] if self.name else []
        if self.nik_last4:
            parts.append(f"NIK {'*' * 12}{self.nik_last4}")
        return " · ".join(parts)

    def to_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "nik_last4": self.nik_last4}


@dataclass(frozen=True)
class Slip:
    """What one ticket slip says, line by line, in the language it is printed in."""

    office_name: str
    office_address: str
    label: str  # "Nomor Antrean"
    number: str  # "A001", printed very large
    priority_label: str  # "PRIORITAS", or "" for a regular ticket
    service_name: str
    issued_date: str  # "Senin, 2 November 2026"
    issued_time: str  # "pukul 09.15 WIB"
    facts: tuple[tuple[str, str], ...]  # (people ahead, "3"), (estimated wait, "± 12 menit"); none once called
    qr_url: str  # the visitor's page
    scan_line: str  # what the QR code is for
    footer: tuple[str, ...]  # please wait; how to complain; the fee
    paper_width_mm: int = 80
    holder: str = ""  # a booking's: "Booking ABC234 for Siti Aminah · NIK ************0001", else ""
    agency_name: str = ""  # in a hall of several agencies (MPP), the agency serving it, above the service
    brand_colour: str = ""  # the agency's brand colour (#rrggbb) for the browser's slip; "" for none

    @property
    def brand_text(self) -> str:
        """White or black: the text on the brand colour (domain/branding.py)."""
        return text_on(self.brand_colour) if self.brand_colour else ""

    next_label: str = ""  # a journey's ticket: "Your next steps" above `next_steps`
    next_steps: tuple[str, ...] = ()  # a journey's steps after this ticket: "2. BPJS Kesehatan · Kartu BPJS"


@dataclass(frozen=True)
class KioskPrinter:
    """How one kiosk prints its slips: from the browser (the default) or by the server, over ESC/POS."""

    mode: str = BROWSER
    paper_width_mm: int | None = None  # None: the office's paper width
    copies: int = 1
    auto_print: bool = True
    host: str = ""
    port: int = DEFAULT_PRINTER_PORT
    usb_vendor_id: int | None = None
    usb_product_id: int | None = None

    @property
    def escpos(self) -> bool:
        """The server prints for this kiosk (its printer is on the network or on the server's USB)."""
        return self.mode in (ESCPOS_NETWORK, ESCPOS_USB)

    @property
    def target(self) -> str:
        """Where the slips go, for messages and logs."""
        if self.mode == ESCPOS_NETWORK:
            return f"{self.host}:{self.port}"
        if self.mode == ESCPOS_USB:
            return f"USB {usb_id(self.usb_vendor_id)}:{usb_id(self.usb_product_id)}"
        return "browser"

    def paper(self, office_default: int) -> int:
        width = self.paper_width_mm or office_default
        return width if width in PAPER_WIDTHS else 80

    @classmethod
    def of(cls, settings: Mapping | None) -> KioskPrinter:
        """Read a kiosk's stored settings; anything missing or unreadable falls back to printing from the browser."""
        settings = settings or {}
        mode = settings.get("print_mode") or BROWSER
        if mode not in PRINT_MODES:
            mode = BROWSER
        paper = settings.get("paper_width_mm")
        copies = settings.get("copies")
        return cls(
            mode=mode,
            paper_width_mm=paper if paper in PAPER_WIDTHS else None,
            copies=copies if isinstance(copies, int) and 1 <= copies <= MAX_COPIES else 1,
            auto_print=bool(settings.get("auto_print", True)),
            host=str(settings.get("printer_host") or ""),
            port=int(settings.get("printer_port") or DEFAULT_PRINTER_PORT),
            usb_vendor_id=settings.get("usb_vendor_id"),
            usb_product_id=settings.get("usb_product_id"),
        )

    def settings(self) -> dict:
        """What is stored in the device's settings: only the fields its mode uses."""
        stored: dict = {
            "paper_width_mm": self.paper_width_mm,
            "auto_print": self.auto_print,
            "copies": self.copies,
            "print_mode": self.mode,
        }
        if self.mode == ESCPOS_NETWORK:
            stored.update(printer_host=self.host, printer_port=self.port)
        elif self.mode == ESCPOS_USB:
            stored.update(usb_vendor_id=self.usb_vendor_id, usb_product_id=self.usb_product_id)
        return stored


@dataclass
class PrinterForm:
    """A kiosk's printer settings as typed into the admin form: `printer` when valid, else `errors` by field."""

    printer: KioskPrinter | None
    errors: dict[str, FieldInvalid] = field(default_factory=dict)


def usb_id(value: int | None) -> str:
    return "" if value is None else f"0x{value:04x}"


def valid_host(text: str) -> bool:
    """An IPv4/IPv6 address or a host name: no scheme, no port, no path, no spaces."""
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        pass
    if len(text) > 253 or text.endswith("."):
        return False
    labels = text.split(".")
    return all(_HOST_LABEL.match(label) for label in labels) and not labels[-1].isdigit()


def parse_printer(data: Mapping) -> PrinterForm:
    """Check what an admin typed for a kiosk's printer. The messages are the form's, one per field."""
    errors = Problems()

    def text(name: str) -> str:
        value = data.get(name)
        return "" if value is None else str(value).strip()

    paper = text("paper_width_mm")
    if paper and paper not in {str(w) for w in PAPER_WIDTHS}:
        errors.add("paper_width_mm", "paper_width")
    copies_text = text("copies") or "1"
    copies = int(copies_text) if copies_text.isdigit() else 0
    if not copies_text.isdigit():
        errors.add("copies", "whole_number")
    elif not 1 <= copies <= MAX_COPIES:
        errors.add("copies", "between", low=1, high=MAX_COPIES)
    mode = text("print_mode") or BROWSER
    if mode not in PRINT_MODES:
        errors.add("print_mode", "choose_option")

    host, port, vendor, product = "", DEFAULT_PRINTER_PORT, None, None
    if mode == ESCPOS_NETWORK:
        host = text("printer_host")
        if not host:
            errors.add("printer_host", "printer_host_required")
        elif not valid_host(host):
            errors.add("printer_host", "printer_host_format")
        port_text = text("printer_port") or str(DEFAULT_PRINTER_PORT)
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            errors.add("printer_port", "printer_port")
        else:
            port = int(port_text)
    elif mode == ESCPOS_USB:
        for name in ("usb_vendor_id", "usb_product_id"):
            value = text(name)
            if not value:
                errors.add(name, "usb_id_required")
            elif not _USB_ID.match(value):
                errors.add(name, "usb_id_format")
        if not errors.keys() & {"usb_vendor_id", "usb_product_id"}:
            vendor, product = int(text("usb_vendor_id"), 16), int(text("usb_product_id"), 16)
    if errors:
        return PrinterForm(None, errors)
    printer = KioskPrinter(
        mode=mode,
        paper_width_mm=int(paper) if paper else None,
        copies=copies,
        auto_print=bool(data.get("auto_print")),
        host=host,
        port=port,
        usb_vendor_id=vendor,
        usb_product_id=product,
    )
    return PrinterForm(printer)
