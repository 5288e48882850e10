"""Numbers in Indonesian and English words, and a call as the ordered clips the display plays."""

from __future__ import annotations

import pytest

from servicedesk.domain import spoken

INDONESIAN = {
    0: "nol",
    1: "satu",
    2: "dua",
    7: "tujuh",
    9: "sembilan",
    10: "sepuluh",
    11: "sebelas",
    12: "dua belas",
    15: "lima belas",
    19: "sembilan belas",
    20: "dua puluh",
    21: "dua puluh satu",
    30: "tiga puluh",
    45: "empat puluh lima",
    99: "sembilan puluh sembilan",
    100: "seratus",
    101: "seratus satu",
    110: "seratus sepuluh",
    111: "seratus sebelas",
    115: "seratus lima belas",
    120: "seratus dua puluh",
    123: "seratus dua puluh tiga",
    200: "dua ratus",
    305: "tiga ratus lima",
    999: "sembilan ratus sembilan puluh sembilan",
    1000: "seribu",
    1001: "seribu satu",
    1010: "seribu sepuluh",
    1100: "seribu seratus",
    1999: "seribu sembilan ratus sembilan puluh sembilan",
    2000: "dua ribu",
    2024: "dua ribu dua puluh empat",
    10_000: "sepuluh ribu",
    11_000: "sebelas ribu",
    12_345: "dua belas ribu tiga ratus empat puluh lima",
    100_000: "seratus ribu",
    101_000: "seratus satu ribu",
    999_999: "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan",
    1_000_000: "satu juta",
    1_001_000: "satu juta seribu",
    2_500_000: "dua juta lima ratus ribu",
    1_000_000_000: "satu miliar",
    3_000_000_000_000: "tiga triliun",
}

ENGLISH = {
    0: "zero",
    1: "one",
    10: "ten",
    11: "eleven",
    12: "twelve",
    13: "thirteen",
    19: "nineteen",
    20: "twenty",
    21: "twenty-one",
    40: "forty",
    99: "ninety-nine",
    100: "one hundred",
    101: "one hundred one",
    110: "one hundred ten",
    111: "one hundred eleven",
    123: "one hundred twenty-three",
    999: "nine hundred ninety-nine",
    1000: "one thousand",
    1001: "one thousand one",
    1100: "one thousand one hundred",
    2024: "two thousand twenty-four",
    11_000: "eleven thousand",
    100_000: "one hundred thousand",
    999_999: "nine hundred ninety-nine thousand nine hundred ninety-nine",
    1_000_000: "one million",
    2_500_000: "two million five hundred thousand",
    1_000_000_000: "one billion",
    3_000_000_000_000: "three trillion",
}


@pytest.mark.parametrize(("n", "words"), INDONESIAN.items())
def test_numbers_are_read_in_indonesian_words(n, words):
    assert spoken.number_text(n, "id") == words


@pytest.mark.parametrize(("n", "words"), ENGLISH.items())
def test_numbers_are_read_in_english_words(n, words):
    assert spoken.number_text(n, "en") == words


def test_indonesian_is_the_default_language():
    assert spoken.number_text(2024) == "dua ribu dua puluh empat"


def test_number_words_come_one_per_clip():
    assert spoken.number_words(123) == ["seratus", "dua", "puluh", "tiga"]
    assert spoken.number_words(21, "en") == ["twenty", "one"]


def test_se_is_used_for_one_ten_one_hundred_and_one_thousand_but_not_one_million():
    assert spoken.number_text(10) == "sepuluh"
    assert spoken.number_text(100) == "seratus"
    assert spoken.number_text(1000) == "seribu"
    assert spoken.number_text(1_000_000) == "satu juta"
    assert spoken.number_text(1_100_000) == "satu juta seratus ribu"


def test_every_number_up_to_ten_thousand_reads_without_satu_before_a_unit():
    for n in range(10_000):
        words = spoken.number_words(n)
        pairs = list(zip(words, words[1:], strict=False))
        assert ("satu", "puluh") not in pairs and ("satu", "ratus") not in pairs and ("satu", "ribu") not in pairs
        assert words.count("nol") == (1 if n == 0 else 0)


def test_english_tens_take_a_hyphen_only_before_a_unit():
    for n in range(20, 100):
        tens, ones = divmod(n, 10)
        assert ("-" in spoken.number_text(n, "en")) == (ones != 0)


@pytest.mark.parametrize("bad", [-1, spoken.LARGEST + 1])
def test_numbers_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        spoken.number_words(bad)


@pytest.mark.parametrize("bad", [1.5, "12", True])
def test_only_whole_numbers_are_spoken(bad):
    with pytest.raises(TypeError):
        spoken.number_words(bad)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        spoken.number_words(5, "jv")
    with pytest.raises(ValueError):
        spoken.call("A001", 1, language="fr")


def test_digits_are_read_one_by_one():
    assert spoken.digit_words("007") == ["nol", "nol", "tujuh"]
    assert spoken.digit_words("120", "en") == ["one", "two", "zero"]
    with pytest.raises(ValueError):
        spoken.digit_words("1a")


def test_the_call_reads_the_letter_the_number_in_words_and_the_counter():
    said = spoken.call("A123", 3)
    assert said.text == "Nomor antrean A seratus dua puluh tiga, silakan menuju loket tiga"
    assert said.clip_names == [
        "bell",
        "id/nomor-antrean",
        "id/letter-a",
        "id/seratus",
        "id/dua",
        "id/puluh",
        "id/tiga",
        "id/silakan-menuju-loket",
        "id/tiga",
    ]


def test_leading_zeros_of_a_ticket_number_are_not_read_in_words():
    assert spoken.call("B007", 12).text == "Nomor antrean B tujuh, silakan menuju loket dua belas"


def test_an_office_may_read_ticket_numbers_digit_by_digit_but_counters_stay_numbers():
    said = spoken.call("B017", 12, reading="digits")
    assert said.text == "Nomor antrean B nol satu tujuh, silakan menuju loket dua belas"
    assert said.clip_names[2:6] == ["id/letter-b", "id/nol", "id/satu", "id/tujuh"]
    assert said.clip_names[-2:] == ["id/dua", "id/belas"]


def test_the_call_in_english():
    said = spoken.call("A123", 3, language="en")
    assert said.text == "Number A one hundred twenty-three, please go to counter three"
    assert said.clip_names == [
        "bell",
        "en/number",
        "en/letter-a",
        "en/one",
        "en/hundred",
        "en/twenty",
        "en/three",
        "en/please-go-to-counter",
        "en/three",
    ]
    assert spoken.call("E001", 2, language="en", reading="digits").text == (
        "Number E zero zero one, please go to counter two"
    )


def test_every_letter_of_a_prefix_is_spelled_and_other_signs_are_silent():
    said = spoken.call("AB-12", 1)
    assert said.clip_names[2:6] == ["id/letter-a", "id/letter-b", "id/dua", "id/belas"]
    assert said.text == "Nomor antrean A B dua belas, silakan menuju loket satu"


def test_lowercase_prefixes_use_the_same_clips():
    assert spoken.call("a5", 1).clip_names == spoken.call("A5", 1).clip_names


def test_a_run_of_digits_too_long_for_a_number_is_read_digit_by_digit():
    said = spoken.ticket_clips("A" + "1" * 16)
    assert [clip.name for clip in said[1:]] == ["id/satu"] * 16


def test_the_reading_must_be_words_or_digits():
    with pytest.raises(ValueError):
        spoken.call("A1", 1, reading="roman")


def test_clips_carry_the_text_speech_synthesis_reads_when_a_recording_is_missing():
    said = spoken.call("A21", 1)
    assert [clip.text for clip in said.clips] == [
        "",
        "nomor antrean",
        "A",
        "dua",
        "puluh",
        "satu",
        "silakan menuju loket",
        "satu",
    ]


@pytest.mark.parametrize("language", spoken.LANGUAGES)
def test_the_lexicon_holds_every_clip_any_call_can_ask_for(language):
    lexicon = spoken.lexicon(language)
    numbers = [*range(0, 2100), 9999, 12_345, 99_999, 100_000, 999_999, 1_234_567, 10**9 + 7, spoken.LARGEST]
    wanted = set()
    for n in numbers:
        for reading in spoken.READINGS:
            wanted.update(spoken.call(f"Z{n}", n % 50 + 1, language=language, reading=reading).clip_names)
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        wanted.update(spoken.call(f"{letter}1", 1, language=language).clip_names)
    assert wanted - {spoken.BELL} <= set(lexicon)
    assert all(name.startswith(f"{language}/") for name in lexicon)


def test_the_lexicon_records_letters_as_letters_and_words_as_words():
    lexicon = spoken.lexicon("id")
    assert lexicon["id/letter-q"] == "Q"
    assert lexicon["id/sebelas"] == "sebelas"
    assert lexicon["id/silakan-menuju-loket"] == "silakan menuju loket"
    assert spoken.lexicon("en")["en/please-go-to-counter"] == "please go to counter"


def test_a_burst_of_calls_is_one_sentence_with_one_bell_grouped_by_counter():
    said = spoken.calls([("A001", 1), ("B002", 2), ("A003", 1)])
    assert said.text == "Nomor antrean A satu, A tiga, loket satu; B dua, loket dua"
    assert said.clip_names == [
        "bell",
        "id/nomor-antrean",
        "id/letter-a",
        "id/satu",
        "id/letter-a",
        "id/tiga",
        "id/loket",
        "id/satu",
        "id/letter-b",
        "id/dua",
        "id/loket",
        "id/dua",
    ]
    assert set(said.clip_names) - {"bell"} <= set(spoken.lexicon("id"))


def test_a_burst_of_one_call_is_the_ordinary_sentence_and_english_has_its_own_word():
    assert spoken.calls([("A123", 3)]) == spoken.call("A123", 3)
    said = spoken.calls([("A001", 1), ("B002", 2)], language="en")
    assert said.text == "Number A one, counter one; B two, counter two"
    assert set(said.clip_names) - {"bell"} <= set(spoken.lexicon("en"))


def test_in_a_hall_of_agencies_the_call_names_the_counter_s_agency_after_its_number():
    imigrasi = spoken.agency_clip("IMIGRASI", "Imigrasi", "id")
    said = spoken.call("A001", 2, agency=imigrasi)
    assert said.text == "Nomor antrean A satu, silakan menuju loket dua Imigrasi"
    assert said.clip_names[-2:] == ["id/dua", "id/agency-imigrasi"]
    assert spoken.agency_clip("BPJS_KES", "BPJS Kesehatan", "en").name == "en/agency-bpjs-kes"


def test_a_condensed_sentence_keeps_two_agencies_counters_of_the_same_number_apart():
    disdik, imigrasi = (spoken.agency_clip(code, code.title(), "id") for code in ("DISDIK", "IMIGRASI"))
    said = spoken.calls([("A001", 1, disdik), ("M001", 1, imigrasi), ("A002", 1, disdik)])
    assert said.text == "Nomor antrean A satu, A dua, loket satu Disdik; M satu, loket satu Imigrasi"
    assert said.clip_names.count("id/agency-disdik") == 1 and said.clip_names[-1] == "id/agency-imigrasi"
