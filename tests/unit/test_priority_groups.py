import pytest

from servicedesk.domain.priority_groups import DEFAULT_GROUPS, PriorityGroup, from_text, groups_of, label_of, to_text


def test_the_default_list_follows_uu_25_2009_article_29():
    keys = [g.key for g in groups_of(None)]
    assert keys == ["disabilitas", "lansia", "ibu_hamil", "anak", "korban_bencana"]
    assert groups_of([]) == DEFAULT_GROUPS


def test_an_office_list_reads_back_from_the_text_the_admin_edits():
    groups = from_text("lansia | Lanjut usia | Elderly\n\nibu_menyusui | Ibu menyusui\n")
    assert groups == (
        PriorityGroup("lansia", "Lanjut usia", "Elderly"),
        PriorityGroup("ibu_menyusui", "Ibu menyusui", ""),
    )
    assert from_text(to_text(groups)) == groups
    assert groups_of([g.to_dict() for g in groups]) == groups


def test_a_label_is_in_the_screens_language_and_an_old_key_shows_as_it_is():
    assert label_of(DEFAULT_GROUPS, "lansia", "id") == "Lanjut usia"
    assert label_of(DEFAULT_GROUPS, "lansia", "en") == "Elderly"
    assert label_of(DEFAULT_GROUPS, "veteran", "id") == "veteran"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "at least one"),
        ("lansia", "key | Indonesian name"),
        ("Lansia Tua | Lanjut usia", "small letters"),
        ("lansia | Lanjut usia\nlansia | Lansia", "twice"),
        ("\n".join(f"g{n} | Grup {n}" for n in range(13)), "at most 12"),
    ],
)
def test_a_wrong_list_says_which_line_and_why(text, says):
    with pytest.raises(ValueError, match=says):
        from_text(text)
