"""An agency's pages in its own language and colours (issue 26), as pure rules.

- `page_language`: which language a visitor's page is drawn in. The kiosk, the slip and the phone
  page of an agency with a language of its own use it, unless the visitor chose another; an
  agency's own TV too (`device_language`: no visitor chooses there).
- `text_on`: white or black text on a brand colour, whichever reads better (WCAG 2 contrast), so an
  agency's header stripe stays readable whatever colour it chose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = ("id", "en")
#: `?lang=auto`: the kiosk starts over for the next visitor and forgets the last one's choice.
FORGET = "auto"
DEFAULT_LANGUAGE = "id"

WHITE = "#ffffff"
BLACK = "#000000"
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def page_language(*, asked: str | None, remembered: str | None, agency: str | None, office: str | None) -> str:
    """The language of a page, first that applies:
    1. `asked`: the language this request asks for (?lang=, the visitor's tap on a switch);
    2. `remembered`: the visitor's earlier tap in this visit (a cookie), unless `asked` is FORGET;
    3. `agency`: the language of the agency the page is about (the one chosen on the kiosk, or
       the ticket's), None when the agency speaks the site's;
    4. `office`: the site's language; Indonesian when it names none we have."""
    if asked in LANGUAGES:
        return asked
    if remembered in LANGUAGES and asked != FORGET:
        return remembered
    for language in (agency, office):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def device_language(*, agency: str | None, office: str | None) -> str:
    """The language of an unattended device of an agency (its own TV), where no visitor chooses one:
    `page_language` without a visitor's choice, so the agency's language, else the site's."""
    return page_language(asked=None, remembered=None, agency=agency, office=office)


def relative_luminance(colour: str) -> float:
    """The WCAG 2 relative luminance of a #rrggbb colour: 0 for black, 1 for white."""
    if not _HEX.fullmatch(colour or ""):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(colour: str) -> str:
    """White or black, whichever contrasts more with `colour` (white when they tie)."""
    return WHITE if contrast_ratio(colour, WHITE) >= contrast_ratio(colour, BLACK) else BLACK


@dataclass(frozen=True)
class Brand:
    """How a ticket's pages (slip, phone page) show its agency: its name (in a hall of several
    agencies; "" otherwise), its brand colour ("" for the site's look) and its language (None: the site's)."""

    name: str = ""
    colour: str = ""
    language: str | None = None

    @property
    def text(self) -> str:
        """The colour of text on the brand colour ("" without one)."""
        return text_on(self.colour) if self.colour else ""


#: The contrast text needs on a page (WCAG 2 AA for normal text).
READABLE = 4.5


def ink_on_white(colour: str) -> str:
    """The brand colour as text (or a thin line) on white: itself when it reads at AA already, else
    darkened toward black, in steps of 5 %, until it does (a yellow brand turns an olive brown)."""
    red, green, blue = (int(colour[start : start + 2], 16) for start in (1, 3, 5))
    for step in range(21):
        keep = 1 - step / 20
        ink = f"#{round(red * keep):02x}{round(green * keep):02x}{round(blue * keep):02x}"
        if contrast_ratio(ink, WHITE) >= READABLE:
            return ink
    return BLACK
