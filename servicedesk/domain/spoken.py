"""What the waiting-room display says: numbers in Indonesian or English words, and a call as a list of clips.

A call is played as a chain of short recorded clips (bell, "nomor antrean", a letter, number words,
"silakan menuju loket", counter number words), the common practice in Indonesian queue systems:
it works offline on a plain browser with no speech engine. This module decides which clips, in
which order; it knows nothing of files or browsers, so every rule is reachable from a unit test.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

LANGUAGES = ("id", "en")
READINGS = ("words", "digits")
BELL = "bell"

_ID_ONES = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
# Indonesian scales: "se-" replaces "satu" before puluh/belas/ratus/ribu, but not before juta and up.
_ID_SCALES = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")]

_EN_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_SCALES = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand")]

#: Numbers up to this are spoken; a display never needs more, and a bound keeps the clip set finite.
LARGEST = 10**15 - 1

#: The two fixed phrases of a call, by language, each as (clip name, what it says).
PHRASES = {
    "id": (("nomor-antrean", "nomor antrean"), ("silakan-menuju-loket", "silakan menuju loket")),
    "en": (("number", "number"), ("please-go-to-counter", "please go to counter")),
}


def _check(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"a whole number is needed, not {n!r}")
    if n < 0 or n > LARGEST:
        raise ValueError(f"numbers from 0 to {LARGEST} can be spoken, not {n}")


def _id_below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_ID_ONES[hundreds], "ratus"]
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words += [_ID_ONES[rest - 10], "belas"]
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        words += [_ID_ONES[tens], "puluh"]
        if ones:
            words.append(_ID_ONES[ones])
    elif rest:
        words.append(_ID_ONES[rest])
    return words


def _id_words(n: int) -> list[str]:
    if n == 0:
        return ["nol"]
    words: list[str] = []
    for scale, name in _ID_SCALES:
        count, n = divmod(n, scale)
        if count:
            words += _id_words(count) + [name]
    thousands, n = divmod(n, 1000)
    if thousands == 1:
        words.append("seribu")
    elif thousands > 1:
        words += _id_below_thousand(thousands) + ["ribu"]
    return words + _id_below_thousand(n)


def _en_below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += [_EN_ONES[hundreds], "hundred"]
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_EN_TENS[tens])
        if ones:
            words.append(_EN_ONES[ones])
    elif rest:
        words.append(_EN_ONES[rest])
    return words


def _en_words(n: int) -> list[str]:
    if n == 0:
        return ["zero"]
    words: list[str] = []
    for scale, name in _EN_SCALES:
        count, n = divmod(n, scale)
        if count:
            words += _en_below_thousand(count) + [name]
    return words + _en_below_thousand(n)


def number_words(n: int, language: str = "id") -> list[str]:
    """The words of `n`, one per clip: 123 -> ["seratus", "dua", "puluh", "tiga"]."""
    _check(n)
    if language == "id":
        return _id_words(n)
    if language == "en":
        return _en_words(n)
    raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")


def number_text(n: int, language: str = "id") -> str:
    """`n` as written out: "dua ribu dua puluh empat", "two thousand twenty-four"."""
    return _written(number_words(n, language), language)


def _written(words: list[str], language: str) -> str:
    """Words joined as a person writes them: English tens and ones get their hyphen ("twenty-four")."""
    if language != "en":
        return " ".join(words)
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] in _EN_TENS[2:] and word in _EN_ONES[1:10]:
            joined[-1] = f"{joined[-1]}-{word}"
        else:
            joined.append(word)
    return " ".join(joined)


def digit_words(digits: str, language: str = "id") -> list[str]:
    """Digit by digit, for offices that read "A nol nol tujuh" rather than "A tujuh"."""
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"digits only, not {digits!r}")
    return [number_words(int(d), language)[0] for d in digits]


@dataclass(frozen=True)
class Clip:
    """One recorded piece of a call. `name` is its file name without extension, e.g. "id/seratus";
    `text` is what it says, for the browser's speech synthesis when the clip is missing."""

    name: str
    text: str


@dataclass(frozen=True)
class Announcement:
    text: str
    clips: tuple[Clip, ...]

    @property
    def clip_names(self) -> list[str]:
        return [clip.name for clip in self.clips]


def _word_clips(words: list[str], language: str) -> list[Clip]:
    return [Clip(f"{language}/{word}", word) for word in words]


def letter_clip(letter: str, language: str) -> Clip:
    return Clip(f"{language}/letter-{letter.lower()}", letter.upper())


def ticket_clips(number: str, language: str = "id", reading: str = "words") -> list[Clip]:
    """A ticket number as clips: each letter by name, each run of digits as a number or digit by digit.

    "A123" -> A, seratus, dua, puluh, tiga; "A007" reads "A tujuh" (or "A nol nol tujuh" by digits).
    Anything that is neither a letter nor a digit (a dash, a space) is not spoken; a run of digits too
    long to be a number is read digit by digit.
    """
    if reading not in READINGS:
        raise ValueError(f"number reading must be one of {READINGS}, not {reading!r}")
    clips: list[Clip] = []
    for letters, digits in re.findall(r"([A-Za-z]+)|([0-9]+)", number):
        if letters:
            clips += [letter_clip(letter, language) for letter in letters]
        elif reading == "digits" or int(digits) > LARGEST:
            clips += _word_clips(digit_words(digits, language), language)
        else:
            clips += _word_clips(number_words(int(digits), language), language)
    return clips


def agency_clip(code: str, name: str, language: str) -> Clip:
    """An agency's name after its counter, in a hall of several agencies ("loket dua Imigrasi"): the
    clip is recorded per install when the agency is set up (ops/announce.py record_agencies); until
    then the browser reads `name`."""
    slug = re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")
    return Clip(f"{language}/agency-{slug}", name)


def call(
    number: str, counter_number: int, *, language: str = "id", reading: str = "words", agency: Clip | None = None
) -> Announcement:
    """The call of a ticket to a counter: the bell, then
    "Nomor antrean A seratus dua puluh tiga, silakan menuju loket tiga" (or its English); in a hall of
    several agencies the counter's agency follows its number: "... loket tiga Imigrasi".

    Counter numbers are always read as numbers: "loket dua belas", never "loket satu dua".
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    (opening, first), (closing, second) = PHRASES[language]
    ticket = ticket_clips(number, language, reading)
    counter = _word_clips(number_words(counter_number, language), language)
    spoken_ticket = _written([clip.text for clip in ticket], language)
    spoken_counter = _written([clip.text for clip in counter], language)
    text = f"{first.capitalize()} {spoken_ticket}, {second} {spoken_counter}"
    clips = (Clip(BELL, ""), Clip(f"{language}/{opening}", first), *ticket, Clip(f"{language}/{closing}", second))
    if agency is not None:
        return Announcement(f"{text} {agency.text}", (*clips, *counter, agency))
    return Announcement(text, (*clips, *counter))


#: The counter alone, for a condensed call: "..., loket satu".
COUNTER_WORD = {"id": ("loket", "loket"), "en": ("counter", "counter")}

#: At most this many calls share one condensed sentence; more wait for the next.
BATCH = 4


def calls(
    pairs: list[tuple[str, int] | tuple[str, int, Clip | None]], *, language: str = "id", reading: str = "words"
) -> Announcement:
    """Several calls in one sentence, for a display that fell behind: one bell, then the numbers grouped
    by counter in the order of their first call:
    "Nomor antrean A satu, A dua, loket satu; B tiga, loket dua". One call is the ordinary sentence.
    A pair may carry the counter's agency (agency_clip) as a third item: two agencies' "loket satu" are
    two counters.
    """
    if not pairs:
        raise ValueError("at least one call is needed")
    if len(pairs) == 1:
        number, counter_number, *agency = pairs[0]
        return call(number, counter_number, language=language, reading=reading, agency=(agency or [None])[0])
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    (opening, first), _closing = PHRASES[language]
    word_name, word = COUNTER_WORD[language]
    groups: dict[tuple[int, Clip | None], list[str]] = {}
    for number, counter_number, *agency in pairs:
        groups.setdefault((counter_number, (agency or [None])[0]), []).append(number)
    clips: list[Clip] = [Clip(BELL, ""), Clip(f"{language}/{opening}", first)]
    parts: list[str] = []
    for (counter_number, agency), numbers in groups.items():
        said: list[str] = []
        for number in numbers:
            ticket = ticket_clips(number, language, reading)
            clips += ticket
            said.append(_written([clip.text for clip in ticket], language))
        counter = _word_clips(number_words(counter_number, language), language)
        clips += [Clip(f"{language}/{word_name}", word), *counter, *([agency] if agency else [])]
        where = _written([clip.text for clip in counter], language) + (f" {agency.text}" if agency else "")
        parts.append(f"{', '.join(said)}, {word} {where}")
    return Announcement(f"{first.capitalize()} {'; '.join(parts)}", tuple(clips))


def lexicon(language: str) -> dict[str, str]:
    """Every clip a call in `language` can ask for (except the bell), by name, with the text to record.

    Letters are recorded as letters (the voice spells them); words as words. Numbers are built from
    these words only, so a finite set of recordings reads every number up to LARGEST.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    entries = {f"{language}/{name}": text for name, text in PHRASES[language]}
    entries[f"{language}/{COUNTER_WORD[language][0]}"] = COUNTER_WORD[language][1]
    for letter in string.ascii_uppercase:
        clip = letter_clip(letter, language)
        entries[clip.name] = clip.text
    if language == "id":
        words = [*_ID_ONES, "sepuluh", "sebelas", "belas", "puluh", "seratus", "ratus", "seribu", "ribu"]
        words += [name for _, name in _ID_SCALES]
    else:
        words = [*_EN_ONES, *_EN_TENS[2:], "hundred", *(name for _, name in _EN_SCALES)]
    for word in words:
        entries[f"{language}/{word}"] = word
    return entries
