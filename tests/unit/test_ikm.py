"""The satisfaction index (PermenPANRB 14/2017) as the report publishes it: worked examples."""

from decimal import Decimal
from fractions import Fraction

import pytest

from servicedesk.domain.reporting import element_score, follow_up_check, ikm_figures, profile_groups, weakest_element
from servicedesk.domain.survey import CODES, grade, ikm, krejcie_morgan, round_half_up


def sums_of(*responses: tuple[int, ...]) -> dict[str, int]:
    return {code: sum(r[i] for r in responses) for i, code in enumerate(CODES)}


def test_a_worked_example_of_three_respondents():
    # Answers: (4 x9), (3 3 2 4 3 3 3 2 3), (3 3 3 4 3 3 3 3 3).
    # Sums: 10 10 9 12 10 10 10 9 10 = 90; NRR = sums / 3; sum of NRR = 30.
    # IKM = 30 x 1/9 x 25 = 83.333... -> 83.33, grade B (Baik).
    index = ikm(sums_of((4,) * 9, (3, 3, 2, 4, 3, 3, 3, 2, 3), (3, 3, 3, 4, 3, 3, 3, 3, 3)), 3)
    assert index.nrr["u3"] == Fraction(3)
    assert index.nrr["u1"] == Fraction(10, 3)
    assert index.score == Fraction(250, 3)
    published = ikm_figures(index, served=10)
    assert published.score == Decimal("83.33")
    assert published.grade == ("B", "Baik", "Good")
    assert published.nrr["u1"] == Decimal("3.33")


def test_the_weight_is_exactly_one_ninth_not_0_11():
    # Every answer 4: sum of NRR 36. Exactly: 36 / 9 x 25 = 100. With 0.111: 36 x 0.111 x 25 = 99.9,
    # and with 0.11 it would be 99.0.
    index = ikm(sums_of((4,) * 9), 1)
    assert index.score == 100
    assert ikm_figures(index, 1).score == Decimal("100.00")
    lowest = ikm(sums_of((1,) * 9), 1)
    assert lowest.score == 25
    assert ikm_figures(lowest, 1).grade[0] == "D"


@pytest.mark.parametrize(
    ("score", "letter"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25", "D"),
    ],
)
def test_grade_boundaries(score, letter):
    assert grade(Decimal(score))[0] == letter
    assert grade(float(score))[0] == letter


def test_the_grade_goes_with_the_published_two_decimal_score():
    # 100 respondents whose answers add up to 3179 points (353 for u1..u8, 355 for u9):
    # IKM = 3179 / 100 / 9 x 25 = 88.3055... Exactly it is below 88.31, but it is published
    # as 88.31, and the regulation's intervals are on two-decimal values: the reader must see A,
    # and the index itself grades the same way (one grader).
    sums = {**dict.fromkeys(CODES, 353), "u9": 355}
    index = ikm(sums, 100)
    assert index.score == Fraction(3179 * 25, 900)
    assert index.grade[0] == grade(index.score)[0] == "A"
    published = ikm_figures(index, served=120)
    assert published.score == Decimal("88.31")
    assert published.grade == ("A", "Sangat baik", "Very good")


def test_each_element_is_converted_to_the_25_to_100_scale():
    assert element_score(Decimal("3.00")) == Decimal("75.00")
    assert element_score(Decimal("3.53")) == Decimal("88.25")
    assert grade(element_score(Decimal("3.54")))[0] == "A"  # 88.50


@pytest.mark.parametrize(("population", "sample"), [(0, 0), (1, 1), (10, 10), (100, 80), (1000, 278), (10000, 370)])
def test_krejcie_morgan_sample_sizes_match_the_published_table(population, sample):
    assert krejcie_morgan(population) == sample


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (9, 9),  # below the table's first row: every visitor is asked
        (10, 10),  # the first row
        (11, 11),  # up to the next row (15 -> 14), never more than the population
        (15, 14),
        (16, 16),
        (20, 19),
        (99, 80),  # between 95 (76) and 100 (80): the larger row
        (100, 80),
        (101, 86),  # the next row is 110 -> 86
        (110, 86),
        (300, 169),
        (301, 175),  # rows step by 20 from 300
        (999, 278),
        (1000, 278),
        (1001, 285),
        (9999, 370),
        (10000, 370),
        (10001, 375),
        (75000, 382),
        (75001, 384),
        (100000, 384),  # 100,000 and more need 384
        (1_000_000, 384),
    ],
)
def test_krejcie_morgan_reads_the_regulation_table_at_its_boundaries(population, sample):
    assert krejcie_morgan(population) == sample


def test_the_table_grows_with_the_population():
    samples = [krejcie_morgan(n) for n in range(1, 20001)]
    assert samples == sorted(samples)


def test_the_sample_is_reached_only_with_enough_respondents():
    index = ikm(sums_of(*([(3,) * 9] * 80)), 80)
    assert ikm_figures(index, served=100).sample_reached
    assert not ikm_figures(index, served=1000).sample_reached
    nobody = ikm_figures(None, served=5)
    assert (nobody.score, nobody.grade, nobody.sample_needed, nobody.sample_reached) == (None, None, 5, False)


@pytest.mark.parametrize(
    ("exact", "letter"),
    [
        (Fraction("88.305"), "A"),  # published 88.31
        (Fraction("88.3049"), "B"),  # published 88.30
        (Fraction("76.605"), "B"),  # published 76.61
        (Fraction("76.6049"), "C"),  # published 76.60
        (Fraction("64.995"), "C"),  # published 65.00
        (Fraction("64.9949"), "D"),  # published 64.99
    ],
)
def test_the_index_and_the_report_give_the_same_grade_on_both_sides_of_each_boundary(exact, letter):
    published = round_half_up(exact, 2)
    assert grade(exact)[0] == grade(published)[0] == letter


def test_a_profile_question_lists_every_group_in_the_form_order_and_the_unanswered_last():
    # 3 men (all 4s: NRR 4, IKM 100), 1 woman (all 2s: IKM 50), none skipped the question.
    men = ikm(sums_of(*([(4,) * 9] * 3)), 3)
    woman = ikm(sums_of((2,) * 9), 1)
    groups = profile_groups("gender", {"l": (3, men), "p": (1, woman)})
    assert [(g.code, g.respondents, g.share, g.ikm.score) for g in groups] == [
        ("l", 3, Decimal("75.0"), Decimal("100.00")),
        ("p", 1, Decimal("25.0"), Decimal("50.00")),
    ]
    skipped = profile_groups("education", {None: (2, men)})
    assert [g.code for g in skipped] == ["sd", "smp", "sma", "diploma", "s1", "s2", None]
    assert skipped[-1].share == Decimal("100.0") and skipped[0].ikm.score is None


def test_the_weakest_element_is_the_lowest_nrr_and_the_first_on_a_tie():
    nrr = {code: Decimal("3.00") for code in CODES} | {"u3": Decimal("2.50"), "u7": Decimal("2.50")}
    assert weakest_element(nrr) == "u3"
    assert weakest_element({}) is None
    check = follow_up_check(nrr, {"u3": Decimal("2.51")})
    assert (check.element, check.before, check.after, check.improved) == ("u3", Decimal("2.50"), Decimal("2.51"), True)
    assert follow_up_check(nrr, {"u3": Decimal("2.50")}).improved is False
    assert follow_up_check(nrr, {}).improved is None
