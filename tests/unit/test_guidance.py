import pytest

from servicedesk.domain import guidance, spoken


def test_every_step_has_a_sentence_in_both_languages_and_a_clip_of_its_own():
    for language in spoken.LANGUAGES:
        names = [guidance.step(step, language).clip_names[-1] for step in guidance.STEPS["id"]]
        assert names == [f"{language}/kiosk-{step}" for step in ("start", "detail", "priority", "ticket", "refusal")]
        assert set(guidance.lexicon(language)) == set(names)


def test_the_ticket_step_reads_the_number_with_the_calls_own_clips():
    said = guidance.step("ticket", "id", "B017")
    assert said.clip_names == ["id/nomor-antrean", "id/letter-b", "id/tujuh", "id/belas", "id/kiosk-ticket"]
    assert said.text.startswith("Nomor antrean B tujuh belas. Silakan ambil tiket Anda")
    assert guidance.step("ticket", "en", "A1").clip_names[:3] == ["en/number", "en/letter-a", "en/one"]


def test_an_unknown_step_is_refused():
    with pytest.raises(ValueError):
        guidance.step("survey", "id")


def test_the_guidance_is_recorded_with_the_displays_voice():
    from servicedesk.ops.announce import recipes

    wanted = recipes()
    assert wanted["id/kiosk-start"].startswith("id:135:Silakan pilih jenis layanan")
    assert wanted["en/kiosk-detail"].startswith("en:140:")
