"""The ticket slip as ESC/POS, and a kiosk's printer settings: no database, no app; a real socket where it sends."""

from __future__ import annotations

import socket
import threading

import pytest

from servicedesk.domain.slip import (
    BROWSER,
    ESCPOS_NETWORK,
    ESCPOS_USB,
    Holder,
    KioskPrinter,
    Slip,
    clock_label,
    parse_printer,
    valid_host,
)
from servicedesk.services import printing
from tests.printers import RASTER_IMAGE, printable, raster_images


def a_slip(**changes) -> Slip:
    fields = dict(
        office_name="ULT Dinas Pendidikan Provinsi",
        office_address="Jl. Merdeka No. 1",
        label="Nomor Antrean",
        number="A017",
        priority_label="",
        service_name="Legalisir Ijazah",
        issued_date="Senin, 2 November 2026",
        issued_time="pukul 09.15 WIB",
        facts=(("Orang di depan Anda", "3"), ("Perkiraan waktu tunggu", "± 12 menit")),
        qr_url="http://kantor.local/t/abc123",
        scan_line="Pindai untuk memantau antrean di ponsel Anda",
        footer=("Mohon menunggu sampai nomor Anda dipanggil.", "Pengaduan: SMS 0812-0000-0000"),
        paper_width_mm=80,
    )
    fields.update(changes)
    return Slip(**fields)


def decode_qr(image) -> str:
    import zxingcpp

    found = zxingcpp.read_barcodes(image.convert("L"))
    assert found, "no QR code found in the picture"
    return found[0].text


# --- the slip as ESC/POS ---


@pytest.mark.parametrize("paper", [58, 80])
def test_the_escpos_slip_carries_every_line_of_the_slip(paper):
    slip = a_slip(paper_width_mm=paper)
    data = printing.escpos(slip)
    text = printable(data)
    for line in (slip.office_name.upper(), slip.label.upper(), slip.number, slip.service_name, slip.issued_date):
        assert line in text
    for label, value in slip.facts:
        assert label in text and value in text
    for line in (slip.issued_time, slip.scan_line, *slip.footer):
        assert line in text
    [qr_code] = raster_images(data)
    assert qr_code.width == printing.DOTS[paper]  # centred on a strip as wide as the paper
    assert decode_qr(qr_code) == slip.qr_url
    assert b"\x1dV" in data[-8:]  # ends with a cut


def test_long_lines_are_wrapped_at_words_to_the_paper_width():
    long_name = "Pelayanan Penerbitan Surat Keterangan Pindah Sekolah Antar Provinsi dan Kabupaten"
    data = printing.escpos(a_slip(service_name=long_name, paper_width_mm=58))
    lines = bytes(data).split(b"\n")
    wrapped = [line for line in lines if b"Pindah" in line or b"Kabupaten" in line]
    assert wrapped and all(len(line.split(b"\x1b")[-1]) <= 40 for line in wrapped)
    assert "Kabupaten" in printable(data)


def test_copies_are_printed_one_after_the_other_each_cut():
    one = printing.escpos(a_slip())
    two = printing.escpos(a_slip(), copies=2)
    assert printable(one).count("A017") == 1 and printable(two).count("A017") == 2
    assert printable(two).count("Legalisir Ijazah") == 2 and two.count(RASTER_IMAGE) >= 2
    assert two.startswith(one[: one.index(RASTER_IMAGE)])  # the second copy starts from a fresh printer


def test_a_priority_ticket_says_so_and_a_called_one_has_no_waiting_facts():
    text = printable(printing.escpos(a_slip(priority_label="PRIORITAS", facts=())))
    assert "PRIORITAS" in text and "Orang di depan Anda" not in text


# --- a kiosk's printer settings, as an admin types them ---


def test_a_kiosk_prints_from_its_browser_unless_told_otherwise():
    assert KioskPrinter.of({}).mode == BROWSER and not KioskPrinter.of({}).escpos
    assert KioskPrinter.of({"print_mode": "fax"}).mode == BROWSER
    assert KioskPrinter.of(None).copies == 1


def test_a_network_printer_needs_a_host_and_takes_port_9100_by_default():
    form = parse_printer({"print_mode": ESCPOS_NETWORK, "printer_host": "192.168.1.50", "copies": "2"})
    assert form.errors == {}
    assert form.printer.settings() == {
        "paper_width_mm": None,
        "auto_print": False,
        "copies": 2,
        "print_mode": ESCPOS_NETWORK,
        "printer_host": "192.168.1.50",
        "printer_port": 9100,
    }
    assert KioskPrinter.of(form.printer.settings()) == form.printer


@pytest.mark.parametrize(
    "host, port, field",
    [
        ("", "9100", "printer_host"),
        ("http://192.168.1.50", "9100", "printer_host"),
        ("192.168.1.50:9100", "9100", "printer_host"),
        ("printer one", "9100", "printer_host"),
        ("192.168.1.300", "9100", "printer_host"),
        ("printer.local", "0", "printer_port"),
        ("printer.local", "70000", "printer_port"),
        ("printer.local", "nine", "printer_port"),
    ],
)
def test_a_bad_network_printer_address_is_refused_on_its_field(host, port, field):
    form = parse_printer({"print_mode": ESCPOS_NETWORK, "printer_host": host, "printer_port": port})
    assert form.printer is None and list(form.errors) == [field]


def test_a_usb_printer_is_named_by_its_hex_ids():
    form = parse_printer({"print_mode": ESCPOS_USB, "usb_vendor_id": "0x04B8", "usb_product_id": "0202"})
    assert (form.printer.usb_vendor_id, form.printer.usb_product_id) == (0x04B8, 0x0202)
    assert form.printer.target == "USB 0x04b8:0x0202"
    bad = parse_printer({"print_mode": ESCPOS_USB, "usb_vendor_id": "epson", "usb_product_id": ""})
    assert set(bad.errors) == {"usb_vendor_id", "usb_product_id"}


def test_host_names_and_addresses():
    assert valid_host("printer-lobby.kantor.local") and valid_host("10.0.0.7") and valid_host("fe80::1")
    assert not valid_host("-printer") and not valid_host("a..b") and not valid_host("printer/queue")


def test_a_sign_says_the_time_the_indonesian_way():
    assert clock_label("13:00", "Asia/Makassar", "id") == "13.00 WITA"
    assert clock_label("13:00", "Asia/Jayapura", "en") == "13:00 WIT"


# --- sending, to a real socket ---


def test_a_printer_that_stops_reading_is_given_up_after_the_timeout():
    """A peer that accepts the connection and never reads: the send is bounded, it does not hang."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True)
    thread.start()
    printer = KioskPrinter(mode=ESCPOS_NETWORK, host="127.0.0.1", port=server.getsockname()[1])
    try:
        with pytest.raises(printing.PrinterFailed, match="no answer from the printer"):
            printing.send(printer, b"\x00" * 64_000_000, timeout=0.5)
    finally:
        thread.join(5)
        for connection, _ in accepted:
            connection.close()
        server.close()


def test_a_closed_port_is_reported_as_refused_and_print_slip_never_raises():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    printer = KioskPrinter(mode=ESCPOS_NETWORK, host="127.0.0.1", port=port)
    outcome = printing.print_slip(printer, a_slip(), timeout=2)
    assert outcome.printed is False and outcome.mode == ESCPOS_NETWORK
    assert outcome.error == f"the printer at 127.0.0.1:{port} refused the connection"


def test_a_booked_tickets_slip_names_its_holder_with_only_the_niks_last_four():
    holder = Holder("K7M2QX", "Siti Aminah", "0001")
    assert holder.line() == "Siti Aminah · NIK ************0001"
    assert Holder("K7M2QX", "Budi", None).line() == "Budi" and Holder("K7M2QX", None, None).line() == ""
    text = printable(printing.escpos(a_slip(holder=f"Booking K7M2QX for {holder.line()}", paper_width_mm=58)))
    assert "Siti Aminah" in text and "0001" in text and "K7M2QX" in text


def test_a_walk_in_slip_prints_no_holder_line():
    assert "NIK" not in printable(printing.escpos(a_slip()))


def test_a_journey_s_slip_prints_its_next_steps_under_their_label():
    steps = ("2. BPJS Kesehatan · Kartu BPJS", "3. Kantor Imigrasi · Paspor Baru")
    text = printable(printing.escpos(a_slip(next_label="Langkah berikutnya", next_steps=steps, paper_width_mm=58)))
    assert "Langkah berikutnya" in text
    assert text.index("Langkah berikutnya") < text.index("Kartu BPJS") < text.index("Paspor Baru")
    assert "Langkah" not in printable(printing.escpos(a_slip()))
