"""What the kiosk and the waiting-room display share: the office's emblem and the shape of a ticket number."""

from __future__ import annotations

import re

#: A ticket number as a screen may ask to have it said ("A001", "B-12"): nothing else reaches a clip.
TICKET_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,16}$")


def emblem(name: str) -> str:
    """Stands in for a logo: the office's acronym when its name starts with one ("ULT Dinas ..."),
    else the initials of its first three words ("Mal Pelayanan Publik" -> "MPP")."""
    words = name.split()
    if words and words[0].isupper() and 2 <= len(words[0]) <= 5:
        return words[0]
    return "".join(word[0] for word in words[:3]).upper()
