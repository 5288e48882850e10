"""One rule for an Indonesian mobile number, wherever a visitor types one (booking, WhatsApp/SMS opt-in,
a reply's sender): stored and sent as 62 and digits (0812-3456-7890 → 6281234567890), the form the
WhatsApp Cloud API and SMS gateways take, so the same person is the same string everywhere."""

from __future__ import annotations

import re

from .nik import IdentityRefused

#: 62, the mobile prefix 8, then 8 to 11 digits: 08… numbers of 10 to 13 digits as typed.
_MOBILE = re.compile(r"628\d{8,11}")


class PhoneRefused(IdentityRefused):
    """Not an Indonesian mobile number. The booking answers it as 422 `phone_invalid`; the
    notification opt-in keeps its documented 400 `invalid_contact` (services/notify.py)."""

    code = "phone_invalid"


def normalise_phone(text: str | None) -> str:
    """The number as 628…, from 08…, 628… or +628… with spaces, dots, dashes or brackets; PhoneRefused otherwise."""
    digits = re.sub(r"[\s.\-()]", "", text or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not _MOBILE.fullmatch(digits):
        raise PhoneRefused("A mobile number starts with 08 and has 10 to 13 digits.", details={"phone": text or ""})
    return digits
