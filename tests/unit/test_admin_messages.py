"""The admin pages translate coded errors through one table that says what the domain says."""

import re
from pathlib import Path

from servicedesk.domain.errors import FIELD_RULES, FieldInvalid, Invalid
from servicedesk.web.admin.messages import MESSAGES

ADMIN = Path(__file__).parents[2] / "servicedesk" / "web" / "admin"


def test_every_rule_the_domain_codes_has_one_message_on_the_pages_with_the_same_english():
    assert set(MESSAGES) == set(FIELD_RULES)
    assert {code: str(text) for code, text in MESSAGES.items()} == FIELD_RULES


def test_a_field_error_carries_its_code_field_and_parameters_and_reads_in_english_on_a_terminal():
    refused = Invalid([FieldInvalid("too_long", "name", n=40)])
    [error] = refused.errors.values()
    assert (refused.code, error.code, error.field, error.params) == ("invalid", "too_long", "name", {"n": 40})
    assert refused.details == {"name": {"n": 40, "field": "name"}}
    assert str(error) == "at most 40 characters"


def test_no_admin_page_reads_english_text_back_with_a_regular_expression():
    for name in ("base.py", "messages.py", "forms.py"):
        assert not re.search(r"^import re$", (ADMIN / name).read_text(), re.M), name
    assert not any("PARAMETRIZED" in path.read_text() for path in ADMIN.glob("*.py"))
