from datetime import time

import pytest

from servicedesk.domain.catalogue import CatalogueInvalid, parse_catalogue

GOOD = {"code": "a", "name": "Legalisir Ijazah", "standard_minutes": "15", "requirements": "Ijazah asli | KTP"}


def test_a_good_row_is_parsed_with_lists_and_defaults():
    [row] = parse_catalogue([(2, GOOD)])
    assert row["code"] == "A"
    assert row["requirements"] == ["Ijazah asli", "KTP"]
    assert row["standard_minutes"] == 15
    assert row["name_en"] == "Legalisir Ijazah"
    assert row["fee"] == "Gratis"
    assert row["active"] is True


def test_every_bad_field_of_every_row_is_reported_with_its_line():
    rows = [(2, GOOD), (3, {"code": "A1", "name": "", "standard_minutes": "abc", "colour": "red"})]
    with pytest.raises(CatalogueInvalid) as invalid:
        parse_catalogue(rows)
    reported = {(e.line, e.field) for e in invalid.value.errors}
    assert reported == {(3, "code"), (3, "name"), (3, "standard_minutes"), (3, "colour")}


def test_a_prefix_used_twice_is_reported():
    with pytest.raises(CatalogueInvalid, match="A is also on line 2"):
        parse_catalogue([(2, GOOD), (5, GOOD)])


def test_yaml_sexagesimal_times_are_read_as_clock_times():
    [row] = parse_catalogue([(1, {**GOOD, "cutoff_time": 14 * 60})])
    assert row["cutoff_time"] == time(14, 0)


def test_a_row_carries_optional_english_versions_of_the_published_texts():
    from servicedesk.domain.catalogue import parse_row

    fields, errors = parse_row(
        {
            "code": "A",
            "name": "Legalisir Ijazah",
            "standard_minutes": 15,
            "requirements_en": "Original diploma | Copy of the diploma",
            "fee_en": "Free",
        },
        line=2,
    )
    assert errors == []
    assert fields["requirements_en"] == ["Original diploma", "Copy of the diploma"]
    assert fields["procedure_en"] == [] and fields["fee_en"] == "Free" and fields["description_en"] == ""
