"""The password policy: long enough, not the username, and not guessable.

Guessability is zxcvbn's estimate (Dropbox's algorithm, maintained on PyPI): it ships the common
and breached passwords lists (the "passwords" frequency list), English words and names, and sees
l33t, reversed, repeated and keyboard patterns, so "P@ssw0rd", "12345678" and "qwertyuiop" fail
without a hand-kept list. The person's own name and username count as known words.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from .errors import FieldInvalid

MIN_LENGTH = 8
MAX_LENGTH = 256
#: zxcvbn's score 0-4; 2 means at least 10^6 guesses ("somewhat guessable"): with the login limits
#: (web/login_limits.py) an online guesser never gets there, and a common or breached password scores 0-1.
MIN_SCORE = 2
#: zxcvbn's cost grows quickly with length; what follows the first 72 characters only makes it stronger.
CHECKED_LENGTH = 72


def password_problem(password: str, *, username: str = "", full_name: str = "") -> FieldInvalid | None:
    """Why `password` is refused (coded; the page translates the code), or None."""
    if len(password) < MIN_LENGTH:
        return FieldInvalid("too_short", "password", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return FieldInvalid("too_long", "password", n=MAX_LENGTH)
    if username and password.strip().lower() == username.strip().lower():
        return FieldInvalid("password_is_username", "password")
    known = [word for word in [username, *full_name.split()] if word]
    if zxcvbn(password[:CHECKED_LENGTH], user_inputs=known)["score"] < MIN_SCORE:
        return FieldInvalid("password_guessable", "password")
    return None
