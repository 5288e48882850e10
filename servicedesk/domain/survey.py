"""The satisfaction survey (SKM, PermenPANRB 14/2017): nine elements answered 1-4, and the index (IKM)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
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


#: The respondent's profile as the regulation's model form asks it, each question optional:
#: field -> (Indonesian, English, ((code, Indonesian, English), ...)).
PROFILE = {
    "gender": ("Jenis kelamin", "Gender", (("l", "Laki-laki", "Male"), ("p", "Perempuan", "Female"))),
    "age_group": (
        "Usia",
        "Age",
        (
            ("u20", "Di bawah 20 tahun", "Under 20"),
            ("20_29", "20-29 tahun", "20-29"),
            ("30_39", "30-39 tahun", "30-39"),
            ("40_49", "40-49 tahun", "40-49"),
            ("50_59", "50-59 tahun", "50-59"),
            ("60", "60 tahun ke atas", "60 and over"),
        ),
    ),
    "education": (
        "Pendidikan",
        "Education",
        (
            ("sd", "SD ke bawah", "Primary school or less"),
            ("smp", "SMP", "Junior high school"),
            ("sma", "SMA", "Senior high school"),
            ("diploma", "D1-D3-D4", "Diploma (D1-D4)"),
            ("s1", "S1", "Bachelor's degree"),
            ("s2", "S2 ke atas", "Master's degree or higher"),
        ),
    ),
    "occupation": (
        "Pekerjaan",
        "Occupation",
        (
            ("pns", "PNS", "Civil servant"),
            ("tni", "TNI", "Armed forces"),
            ("polri", "POLRI", "Police"),
            ("swasta", "Swasta", "Private employee"),
            ("wirausaha", "Wirausaha", "Self-employed"),
            ("lainnya", "Lainnya", "Other"),
        ),
    ),
}
PROFILE_FIELDS = tuple(PROFILE)
SOURCES = ("online", "paper")


def profile_codes(field: str) -> tuple[str, ...]:
    return tuple(code for code, _, _ in PROFILE[field][2])


def clean_profile(profile: dict[str, str | None] | None) -> dict[str, str | None]:
    """The four profile answers, each one of its codes or None (not answered); anything else is refused."""
    profile = profile or {}
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields: {', '.join(sorted(unknown))}")
    cleaned = {}
    for name in PROFILE_FIELDS:
        value = profile.get(name) or None
        if value is not None and value not in profile_codes(name):
            raise ValueError(f"{name}: one of {', '.join(profile_codes(name))}")
        cleaned[name] = value
    return cleaned


def survey_closes_at(finished_at: datetime, link_days: int) -> datetime:
    """The survey link of a visit finished at `finished_at` works until this moment."""
    return finished_at + timedelta(days=link_days)


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
        for name, value in clean_profile(where.get("profile")).items():
            setattr(self, name, value)
        self.source: str = where.get("source", "online")
        if self.source not in SOURCES:
            raise ValueError(f"source: one of {', '.join(SOURCES)}")
        self.entered_by: int | None = where.get("entered_by")
        self.is_complaint = bool(where.get("is_complaint")) and bool(self.comment)
        self.complaint_status: str | None = "open" if self.is_complaint else None
        self.complaint_response: str | None = None
        self.complaint_answered_at: datetime | None = None
        self.complaint_answered_by: int | None = None

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


#: Krejcie and Morgan's table (1970), as PermenPANRB 14/2017 attaches it: (population N, sample S).
KREJCIE_MORGAN = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44), (55, 48),
    (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76), (100, 80), (110, 86),
    (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132),
    (210, 136), (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162), (290, 165),
    (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254), (800, 260), (850, 265),
    (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291), (1300, 297), (1400, 302), (1500, 306),
    (1600, 310), (1700, 313), (1800, 317), (1900, 320), (2000, 322), (2200, 327), (2400, 331), (2600, 335),
    (2800, 338), (3000, 341), (3500, 346), (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364),
    (8000, 367), (9000, 368), (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380),
    (50000, 381), (75000, 382), (100000, 384),
)  # fmt: skip


def krejcie_morgan(population: int) -> int:
    """Minimum respondents for the visitors served in a period, read from the regulation's table.

    A population between two rows takes the larger row's sample (the safe side, as the table is read
    by hand); 100,000 and more need 384; a sample never exceeds the population, so fewer than ten
    visitors are all asked."""
    if population <= 0:
        return 0
    for rows, sample in KREJCIE_MORGAN:
        if population <= rows:
            return min(population, sample)
    return KREJCIE_MORGAN[-1][1]


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
