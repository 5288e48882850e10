"""The notification rules without a database: backoff, replies, webhook signatures."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from servicedesk.domain.notify import (
    ENGLISH,
    TEMPLATES,
    Reply,
    Trigger,
    gives_up,
    message_language,
    next_attempt,
    parse_reply,
    render,
    sign,
    signatures,
    template_parameters,
    verify,
)

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def test_the_backoff_doubles_from_the_base_up_to_the_cap():
    delays = [(next_attempt(n, NOW, base=5, cap=60) - NOW).total_seconds() for n in range(1, 7)]
    assert delays == [5, 10, 20, 40, 60, 60]
    assert not gives_up(7, 8) and gives_up(8, 8)


def test_a_reply_is_one_word_whatever_its_case_and_spacing():
    assert parse_reply("  batal ") == Reply.CANCEL
    assert parse_reply("Tunda dulu") == Reply.STEP_BACK
    assert parse_reply("POSISI") == Reply.POSITION
    assert parse_reply("halo") is None and parse_reply("") is None


def test_the_whatsapp_parameters_follow_the_template_text():
    assert template_parameters(Trigger.CALLED) == ["number", "counter"]
    assert render(Trigger.CALLED, {"number": "A005", "counter": 2}) == (
        "Nomor A005 dipanggil ke loket 2. Silakan menuju loket."
    )


def test_a_signature_covers_timestamp_and_body_and_ages_out_of_the_replay_window():
    body, stamp = b'{"event":"ticket.called"}', 1_793_926_800
    header = signatures(["new", "old"], stamp, body)
    assert header == f"{sign('new', stamp, body)},{sign('old', stamp, body)}"
    assert verify("old", header, stamp, body, now=stamp + 300)
    assert not verify("old", header, stamp, body, now=stamp + 301)
    assert not verify("old", header, stamp + 1, body, now=stamp)
    assert not verify("new", sign("new", stamp, body + b" "), stamp, body, now=stamp)


def test_every_message_has_an_english_text_with_the_same_parameters_in_the_same_order():
    assert set(ENGLISH) == set(TEMPLATES)
    for trigger in TEMPLATES:
        assert re.findall(r"{(\w+)}", ENGLISH[trigger]) == template_parameters(trigger), trigger


def test_a_message_is_rendered_in_indonesian_or_english_and_in_indonesian_for_a_language_we_lack():
    values = {"number": "A005", "counter": 2}
    assert render(Trigger.CALLED, values, "en") == "Ticket A005 is called to counter 2. Please go to the counter."
    assert render(Trigger.CALLED, values, "id") == "Nomor A005 dipanggil ke loket 2. Silakan menuju loket."
    assert (
        render(Trigger.CALLED, values, "fr") == render(Trigger.CALLED, values, None) == render(Trigger.CALLED, values)
    )
    assert message_language("en") == "en" and message_language("fr") == "id" and message_language(None) == "id"


def test_a_visitor_may_reply_in_english_too():
    assert parse_reply("cancel") == Reply.CANCEL
    assert parse_reply(" Delay please") == Reply.STEP_BACK
    assert parse_reply("POSITION") == Reply.POSITION
