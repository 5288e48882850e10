import pytest

from servicedesk.domain.branding import (
    BLACK,
    WHITE,
    Brand,
    contrast_ratio,
    device_language,
    ink_on_white,
    page_language,
    relative_luminance,
    text_on,
)


def test_black_and_white_are_the_ends_of_luminance_and_contrast():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#FFFFFF") == pytest.approx(1)
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21)
    assert contrast_ratio("#0b5cad", "#0b5cad") == pytest.approx(1)


@pytest.mark.parametrize(
    ("colour", "text"),
    [
        ("#0b5cad", WHITE),  # the site's blue
        ("#7b1fa2", WHITE),  # a dark purple
        ("#b71c1c", WHITE),  # a dark red
        ("#000000", WHITE),
        ("#ffeb3b", BLACK),  # a yellow
        ("#ffffff", BLACK),
        ("#8bc34a", BLACK),  # a light green: white on it would read worse
        ("#00bcd4", BLACK),  # a cyan
    ],
)
def test_the_text_on_a_brand_colour_is_white_or_black_whichever_reads_better(colour, text):
    assert text_on(colour) == text
    other = BLACK if text == WHITE else WHITE
    assert contrast_ratio(colour, text) >= contrast_ratio(colour, other)


@pytest.mark.parametrize("colour", [f"#{v:02x}{255 - v:02x}{(v * 7) % 256:02x}" for v in range(0, 256, 15)])
def test_the_chosen_text_always_reads_at_least_at_the_large_text_contrast(colour):
    assert contrast_ratio(colour, text_on(colour)) >= 3  # WCAG AA for large text, whatever the colour


@pytest.mark.parametrize("colour", ["", "0b5cad", "#0b5cadff", "#xyzxyz", None])
def test_a_colour_that_is_not_rrggbb_is_refused(colour):
    with pytest.raises(ValueError):
        text_on(colour)


def test_the_language_the_visitor_asks_for_wins_over_everything():
    assert page_language(asked="en", remembered="id", agency="id", office="id") == "en"


def test_the_visitor_s_earlier_choice_wins_over_the_agency_s_language():
    assert page_language(asked=None, remembered="id", agency="en", office="id") == "id"


def test_the_agency_s_language_wins_over_the_site_s():
    assert page_language(asked=None, remembered=None, agency="en", office="id") == "en"


def test_an_agency_without_a_language_speaks_the_site_s():
    assert page_language(asked=None, remembered=None, agency=None, office="en") == "en"


def test_starting_over_forgets_the_last_visitor_s_choice():
    assert page_language(asked="auto", remembered="en", agency=None, office="id") == "id"
    assert page_language(asked="auto", remembered="id", agency="en", office="id") == "en"


def test_unknown_languages_are_ignored_and_indonesian_comes_last():
    assert page_language(asked="fr", remembered="xx", agency="de", office="jv") == "id"
    assert page_language(asked=None, remembered=None, agency=None, office=None) == "id"


def test_a_brand_without_a_colour_keeps_the_site_s_look():
    assert Brand("Imigrasi").text == ""
    assert Brand("Imigrasi", "#ffeb3b").text == BLACK
    assert Brand("", "#0b5cad", "en").text == WHITE


@pytest.mark.parametrize("colour", ["#0b5cad", "#7b1fa2", "#000000"])
def test_a_dark_brand_colour_is_its_own_ink_on_white(colour):
    assert ink_on_white(colour) == colour


@pytest.mark.parametrize("colour", ["#ffeb3b", "#ffffff", "#8bc34a", "#00bcd4"])
def test_a_light_brand_colour_is_darkened_until_it_reads_on_white(colour):
    ink = ink_on_white(colour)
    assert ink != colour and contrast_ratio(ink, WHITE) >= 4.5
    channels = [(int(colour[i : i + 2], 16), int(ink[i : i + 2], 16)) for i in (1, 3, 5)]
    assert all(dark <= light for light, dark in channels)  # darker on every channel: the same hue


def test_an_agency_s_own_tv_speaks_its_agency_s_language_else_the_site_s():
    assert device_language(agency="en", office="id") == "en"
    assert device_language(agency=None, office="id") == "id"
    assert device_language(agency=None, office=None) == "id"
