"""The NIP (Nomor Induk Pegawai) of a civil servant: 18 digits that carry the holder's birth date,
the month they became a civil servant, their sex and a sequence number. The management-review pack
is signed by the head of office with name and NIP, so the office settings check the form of one."""

from __future__ import annotations

from datetime import date

LENGTH = 18


def plausible_nip(text: str) -> bool:
    """Eighteen digits whose date parts are real dates and whose sex digit is 1 or 2.

    Layout: YYYYMMDD (birth) · YYYYMM (appointment) · S (1 man, 2 woman) · NNN (sequence)."""
    if len(text) != LENGTH or not text.isascii() or not text.isdigit():
        return False
    try:
        born = date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
        appointed = date(int(text[8:12]), int(text[12:14]), 1)
    except ValueError:
        return False
    return text[14] in "12" and born.year >= 1900 and appointed > born
