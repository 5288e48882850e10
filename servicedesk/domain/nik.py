"""Who books: the NIK (Nomor Induk Kependudukan) and an Indonesian mobile number, checked in form only.

A NIK is 16 digits: province (2), regency (2), district (2), birth date DDMMYY with 40 added to the
day for women, then a serial (4). Form checks stop typos and made-up numbers; they cannot tell
whether the person exists (that is Dukcapil's), so the desk still compares the name and last four.
"""

from __future__ import annotations

import re
from datetime import date

from .errors import DomainError


class IdentityRefused(DomainError):
    """A NIK or phone number is not plausible; `code` says which part."""

    code = "identity_invalid"


#: Province codes (kode wilayah, Permendagri 72/2019 and the 2022 Papua provinces).
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97}
)


def validate_nik(text: str) -> str:
    """The NIK's 16 digits (spaces and dots dropped), or IdentityRefused with the implausible part."""
    nik = re.sub(r"[\s.\-]", "", text or "")
    if not re.fullmatch(r"\d{16}", nik):
        raise IdentityRefused("A NIK has 16 digits.", code="nik_length")
    if int(nik[0:2]) not in PROVINCES or nik[2:4] == "00" or nik[4:6] == "00":
        raise IdentityRefused("The NIK's region code is not a known region.", code="nik_region")
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40  # women: the day of birth plus 40
    try:
        date(2000 + year, month, day)  # a leap year for 00, so 29 February stays possible
    except ValueError:
        raise IdentityRefused("The NIK's birth date code is not a date.", code="nik_birth_date") from None
    if nik[12:16] == "0000":
        raise IdentityRefused("The NIK's serial cannot be 0000.", code="nik_serial")
    return nik


def nik_last4(nik: str) -> str:
    """What the slip and the counter show, so the desk can check the booking is the person's own."""
    return nik[-4:]
