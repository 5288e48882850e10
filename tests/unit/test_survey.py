"""The SKM index (IKM) as PermenPANRB 14/2017 computes it, with exact fractions."""

from datetime import UTC, datetime
from fractions import Fraction

import pytest

from servicedesk.domain.survey import CODES, QUESTIONS, SurveyResponse, grade, ikm, tally

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def answers(*values: int) -> dict[str, int]:
    return dict(zip(CODES, values, strict=True))


def same_sum(total: int) -> dict[str, int]:
    return dict.fromkeys(CODES, total)


def test_a_worked_example_of_four_respondents_gives_81_25_and_grade_b():
    responses = [
        answers(4, 4, 3, 4, 3, 3, 4, 3, 3),  # 31
        answers(3, 3, 3, 4, 3, 3, 3, 3, 3),  # 28
        answers(4, 3, 2, 4, 3, 4, 4, 2, 3),  # 29
        answers(3, 3, 3, 4, 4, 3, 4, 3, 2),  # 29
    ]
    sums, respondents = tally(responses)
    assert respondents == 4
    assert sums["u1"] == 14 and sums["u4"] == 16 and sums["u9"] == 11
    index = ikm(sums, respondents)
    assert index.nrr["u1"] == Fraction(7, 2)
    assert index.nrr["u4"] == 4
    # (117 answers' total / 4 respondents / 9 elements) x 25 = 81.25
    assert index.score == Fraction(325, 4)
    assert index.grade == ("B", "Baik", "Good")


def test_every_answer_4_scores_exactly_100_because_the_weight_is_exactly_one_ninth():
    index = ikm(same_sum(4 * 10), 10)
    assert index.score == 100  # with a weight of 0.11 it would be 99
    assert index.grade[0] == "A"


def test_every_answer_1_scores_the_minimum_25_and_grade_d():
    index = ikm(same_sum(7), 7)
    assert index.score == 25
    assert index.grade == ("D", "Tidak baik", "Very poor")


def test_a_score_of_exactly_88_31_is_grade_a_and_one_published_as_88_30_is_b():
    # 2500 respondents whose NRR is 3.5324 on every element: 3.5324 x 25 = 88.31 exactly.
    at_boundary = ikm(same_sum(8831), 2500)
    assert at_boundary.score == Fraction("88.31")
    assert at_boundary.grade[0] == "A"
    hair_below = ikm({**same_sum(8831), "u9": 8830}, 2500)  # 88.3099..., published 88.31
    assert hair_below.score < Fraction("88.31")
    assert hair_below.grade[0] == "A"
    below = ikm({**same_sum(8831), "u9": 8800}, 2500)  # 88.2766..., published 88.28
    assert below.grade[0] == "B"


def test_a_score_of_exactly_76_61_is_grade_b_and_one_published_as_76_60_is_c():
    at_boundary = ikm(same_sum(7661), 2500)
    assert at_boundary.score == Fraction("76.61")
    assert at_boundary.grade == ("B", "Baik", "Good")
    assert ikm({**same_sum(7661), "u1": 7660}, 2500).grade[0] == "B"  # 76.6099..., published 76.61
    assert ikm({**same_sum(7661), "u1": 7630}, 2500).grade == ("C", "Kurang baik", "Poor")  # 76.58


def test_a_score_of_exactly_65_is_grade_c_and_a_hair_below_is_d():
    at_boundary = ikm(same_sum(13), 5)  # NRR 2.6 on every element
    assert at_boundary.score == 65
    assert at_boundary.grade[0] == "C"
    assert ikm({**same_sum(13), "u5": 12}, 5).grade[0] == "D"


def test_the_rounded_weight_0_11_would_have_given_another_grade():
    """Why the code keeps 1/9: at 88.31 the shortcut 0.11 drops the office from A to B."""
    sums, respondents = same_sum(8831), 2500
    shortcut = sum(Fraction(sums[c], respondents) for c in CODES) * Fraction("0.11") * 25
    assert grade(shortcut)[0] == "B"
    assert ikm(sums, respondents).grade[0] == "A"


def test_grade_accepts_decimal_and_float_scores_at_the_boundaries():
    assert grade(88.31)[0] == "A"
    assert grade(76.61)[0] == "B"
    assert grade(65.0)[0] == "C"
    assert grade(64.99)[0] == "D"


def test_no_respondents_means_no_index():
    assert ikm(same_sum(0), 0) is None


def test_a_response_needs_all_nine_answers():
    incomplete = answers(4, 4, 4, 4, 4, 4, 4, 4, 4)
    del incomplete["u8"]
    with pytest.raises(ValueError, match="u8"):
        SurveyResponse(1, 1, incomplete, NOW)


@pytest.mark.parametrize("bad", [0, 5, 2.5, True, "3", None])
def test_an_answer_is_a_whole_number_from_1_to_4(bad):
    with pytest.raises(ValueError, match="u3"):
        SurveyResponse(1, 1, {**answers(3, 3, 3, 3, 3, 3, 3, 3, 3), "u3": bad}, NOW)


def test_a_response_keeps_its_answers_and_where_the_visitor_was_served():
    response = SurveyResponse(7, 2, answers(1, 2, 3, 4, 4, 3, 2, 1, 4), NOW, counter_id=3, officer_id=5)
    assert response.answers() == answers(1, 2, 3, 4, 4, 3, 2, 1, 4)
    assert (response.ticket_id, response.service_id, response.counter_id, response.officer_id) == (7, 2, 3, 5)
    assert tally([response]) == (answers(1, 2, 3, 4, 4, 3, 2, 1, 4), 1)


def test_every_element_has_a_question_and_four_answers_in_both_languages():
    assert set(QUESTIONS) == set(CODES)
    for question_id, question_en, labels_id, labels_en in QUESTIONS.values():
        assert question_id.endswith("?") and question_en.endswith("?")
        assert len(labels_id) == len(labels_en) == 4
    assert QUESTIONS["u1"][2] == ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")
