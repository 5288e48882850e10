"""The satisfaction survey (SKM, PermenPANRB 14/2017): nine elements answered 1-4, and the index (IKM)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

#: The nine elements (unsur), in the regulation's order: (code, Indonesian, English).
ELEMENTS = (
    ("u1", "Persyaratan", "Requirements"),
    ("u2", "Sistem, mekanisme dan prosedur", "Systems, mechanisms and procedures"),
    ("u3", "Waktu penyelesaian", "Completion time"),
    ("u4", "Biaya/tarif", "Cost/fee"),
    ("u5", "Produk spesifikasi jenis pelayanan", "Product specification"),
    ("u6", "Kompetensi pelaksana", "Staff competence"),
    ("u7", "Perilaku pelaksana", "Staff behaviour"),
    ("u8", "Penanganan pengaduan, saran dan masukan", "Handling of complaints and suggestions"),
    ("u9", "Sarana dan prasarana", "Facilities and infrastructure"),
)
CODES = tuple(code for code, _, _ in ELEMENTS)

#: Grade on the converted score (25-100): lower bound, grade, Indonesian label, English label.
GRADES = (
    (Decimal("88.31"), "A", "Sangat baik", "Very good"),
    (Decimal("76.61"), "B", "Baik", "Good"),
    (Decimal("65.00"), "C", "Kurang baik", "Poor"),
    (Decimal("25.00"), "D", "Tidak baik", "Very poor"),
)


class SurveyResponse:
    """One visitor's answers for one served ticket; mapped to the survey_responses table."""

    def __init__(self, ticket_id: int, service_id: int, answers: dict[str, int], submitted_at: datetime, **where):
        missing = [c for c in CODES if c not in answers]
        if missing:
            raise ValueError(f"missing answers: {', '.join(missing)}")
        for code in CODES:
            value = answers[code]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
                raise ValueError(f"{code}: answers are whole numbers from 1 to 4")
            setattr(self, code, value)
        self.ticket_id = ticket_id
        self.service_id = service_id
        self.submitted_at = submitted_at
        self.counter_id: int | None = where.get("counter_id")
        self.officer_id: int | None = where.get("officer_id")
        self.comment: str | None = where.get("comment")

    def answers(self) -> dict[str, int]:
        return {code: getattr(self, code) for code in CODES}


@dataclass(frozen=True)
class Index:
    """The IKM of a set of responses."""

    respondents: int
    nrr: dict[str, Fraction]  # mean score (nilai rata-rata) per element, exact
    score: Fraction  # converted IKM, 25-100, exact

    @property
    def grade(self) -> tuple[str, str, str]:
        return grade(self.score)


def nrr(sums: dict[str, int], respondents: int) -> dict[str, Fraction]:
    """NRR of an element = the sum of its answers / the number of respondents."""
    return {code: Fraction(sums[code], respondents) for code in CODES}


def ikm(sums: dict[str, int], respondents: int) -> Index | None:
    """IKM = sum(NRR_i x 1/9) x 25, with exactly 1/9 as the weight (not 0.11). None without respondents."""
    if respondents <= 0:
        return None
    means = nrr(sums, respondents)
    return Index(respondents, means, sum(means.values(), Fraction(0)) * Fraction(1, 9) * 25)


def round_half_up(value: Fraction | float | Decimal, places: int) -> Decimal:
    """Half-up rounding, as a published figure is rounded (88.305 -> 88.31); a float is read as written."""
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def grade(score: Fraction | Decimal | float) -> tuple[str, str, str]:
    """(grade, Indonesian label, English label) for a converted score: the one grader.

    PermenPANRB 14/2017 gives its intervals on two-decimal values (76.61-88.30 is B, 88.31-100 is A),
    so the grade goes with the two-decimal figure the reader sees: an exact 88.305 is published as
    88.31 and reads A, an exact 88.3049 is published as 88.30 and reads B."""
    published = round_half_up(score, 2)
    for lower, letter, label_id, label_en in GRADES:
        if published >= lower:
            return letter, label_id, label_en
    return GRADES[-1][1:]


def krejcie_morgan(population: int) -> int:
    """Minimum respondents for a population of visitors (95% confidence, 5% margin, P = 0.5)."""
    if population <= 0:
        return 0
    chi2, p, d = 3.841, 0.5, 0.05
    return math.ceil(chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p)))


#: The questionnaire as PermenPANRB 14/2017's model form words it: per element the question and the
#: four answers from 1 to 4, in Indonesian and English. Data, not code: the visitor's page shows these.
QUESTIONS = {
    "u1": (
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        "How well do the requirements fit the service?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not suitable", "Less suitable", "Suitable", "Very suitable"),
    ),
    "u2": (
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "How easy is the procedure of this service?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        ("Not easy", "Less easy", "Easy", "Very easy"),
    ),
    "u3": (
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "How fast was the service given?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        ("Not fast", "Less fast", "Fast", "Very fast"),
    ),
    "u4": (
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "How fair is the fee of the service?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        ("Very expensive", "Rather expensive", "Cheap", "Free"),
    ),
    "u5": (
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
        "pelayanan dengan hasil yang diberikan?",
        "Does what you received match the product the service standard promises?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Does not match", "Partly matches", "Matches", "Fully matches"),
    ),
    "u6": (
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "How competent was the officer?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        ("Not competent", "Less competent", "Competent", "Very competent"),
    ),
    "u7": (
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        "How polite and friendly was the officer?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
        ("Not polite or friendly", "Less polite and friendly", "Polite and friendly", "Very polite and friendly"),
    ),
    "u8": (
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "How are complaints, suggestions and feedback handled?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
        ("None", "Exists but does not work", "Works, not fully", "Well managed"),
    ),
    "u9": (
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "How good are the facilities?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
        ("Poor", "Fair", "Good", "Very good"),
    ),
}

#: A comment is a few sentences, not a letter: longer ones go to the complaint channel.
MAX_COMMENT = 1000


def tally(responses) -> tuple[dict[str, int], int]:
    """(sum of answers per element, number of respondents): the inputs of ikm()."""
    sums = dict.fromkeys(CODES, 0)
    count = 0
    for response in responses:
        answers = response.answers() if isinstance(response, SurveyResponse) else response
        for code in CODES:
            sums[code] += answers[code]
        count += 1
    return sums, count
