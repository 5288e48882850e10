"""The password policy: length, not the username, and zxcvbn's common/breached lists and patterns."""

import pytest

from servicedesk.domain.passwords import password_problem


@pytest.mark.parametrize("password", ["password", "12345678", "P@ssw0rd", "qwertyuiop", "iloveyou1", "11111111"])
def test_common_and_breached_passwords_are_refused(password):
    assert password_problem(password, username="rina").code == "password_guessable"


def test_a_password_equal_to_the_username_is_refused_whatever_its_case():
    assert password_problem("Kepala.Bidang", username="kepala.bidang").code == "password_is_username"


def test_the_persons_own_name_counts_as_a_known_word():
    assert password_problem("marlina2026", username="rina", full_name="Rina Marlina") is not None


def test_short_and_overlong_passwords_are_refused():
    short, overlong = password_problem("Ab3$xy", username="rina"), password_problem("x" * 257, username="rina")
    assert (short.code, short.details, str(short)) == (
        "too_short",
        {"n": 8, "field": "password"},
        "at least 8 characters",
    )
    assert (overlong.code, overlong.details) == ("too_long", {"n": 256, "field": "password"})


@pytest.mark.parametrize(
    "password", ["kopi-tubruk-pagi-hari", "rahasia-rina", "Loket3-Sore-Hujan", "z" * 20 + "Q7!k" * 50]
)
def test_long_or_unusual_passwords_pass(password):
    assert password_problem(password, username="rina", full_name="Rina Marlina") is None
