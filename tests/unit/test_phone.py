"""One rule for an Indonesian mobile number (domain/phone.py), whoever typed it and wherever."""

from __future__ import annotations

import pytest

from servicedesk.domain.nik import IdentityRefused
from servicedesk.domain.phone import PhoneRefused, normalise_phone


@pytest.mark.parametrize(
    "typed",
    ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "(0812) 3456.7890", " 081234567890 "],
)
def test_every_way_of_typing_a_mobile_number_gives_the_one_form_gateways_address(typed):
    assert normalise_phone(typed) == "6281234567890"


@pytest.mark.parametrize(("shortest", "longest"), [("0812345678", "0812345678901")])
def test_a_mobile_number_has_10_to_13_digits_as_typed_from_08(shortest, longest):
    assert normalise_phone(shortest) == "62812345678" and normalise_phone(longest) == "62812345678901"
    for too_short_or_long in (shortest[:-1], longest + "2"):
        with pytest.raises(PhoneRefused):
            normalise_phone(too_short_or_long)


@pytest.mark.parametrize("typed", ["", None, "12345", "021 555 1234", "+1 415 555 0100", "0812abc4567", "+62"])
def test_a_landline_a_foreign_number_or_letters_are_refused_with_the_phone_code(typed):
    with pytest.raises(PhoneRefused) as refused:
        normalise_phone(typed)
    assert refused.value.code == "phone_invalid"
    assert isinstance(refused.value, IdentityRefused)  # the booking's 422, as documented
