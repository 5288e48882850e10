"""The display page, the announcement of a call, and the clips: generated ones and an office's own."""

from __future__ import annotations

import json
import re
from array import array

import pytest

from servicedesk.domain import guidance, spoken
from servicedesk.ops import announce
from tests.conftest import need_espeak


@pytest.fixture
def folders(app, tmp_path):
    """The office's instance folder and the generated clips, both in a scratch folder of the test's own."""
    app.instance_path = str(tmp_path / "instance")
    app.config["VOICE_CLIPS_FOLDER"] = tmp_path / "generated"
    (tmp_path / "instance" / "voice" / "id").mkdir(parents=True)
    (tmp_path / "generated" / "id").mkdir(parents=True)
    return tmp_path


def page_config(response) -> dict:
    found = re.search(r'<script type="application/json" id="display-config">(.*?)</script>', response.text, re.S)
    return json.loads(found.group(1))


def test_the_display_page_shows_the_office_and_loads_its_scripts(client, office):
    office.configure(name="Mal Pelayanan Publik Kota", running_text="Tolak gratifikasi")
    response = client.get("/display")
    assert response.status_code == 200
    assert "Mal Pelayanan Publik Kota" in response.text
    assert '<script type="module" src="/display/static/display.js">' in response.text
    # A browser runs a module only when it is served as JavaScript: ours, the shared ones and the vendor's.
    for script in ["/display/static/display.js", "/static/common/live.js", "/vendor/socket.io.esm.min.js"]:
        served = client.get(script)
        served.close()
        assert served.status_code == 200, script
        assert served.mimetype in ("text/javascript", "application/javascript"), script
    config = page_config(response)
    assert config["office"]["running_text"] == "Tolak gratifikasi"
    assert config["announcementUrl"] == "/display/announcement"
    assert config["text"]["reconnecting"] == "menghubungkan ulang…"


def test_the_display_page_has_no_inline_code(client, office):
    html = client.get("/display/").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs, _ in scripts)
    assert all(body.strip() == "" for attrs, body in scripts if "src=" in attrs)
    assert not re.search(r"\son[a-z]+=", html)


def test_the_display_page_passes_its_area_to_the_script(client, office):
    assert page_config(client.get("/display?area=Lantai 2"))["area"] == "Lantai 2"


def test_the_display_page_speaks_english_labels_when_asked(client, office):
    config = page_config(client.get("/display?lang=en"))
    assert config["text"]["reconnecting"] == "reconnecting…"
    assert config["voiceFallback"]["en"] == "Number {number}, please go to counter {counter}"


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Unit Layanan Terpadu", "ULT"), ("ULT Dinas Pendidikan", "ULT"), ("Mal Pelayanan Publik Kota", "MPP")],
)
def test_the_office_initials_stand_in_for_a_missing_logo(client, office, folders, name, initials):
    office.configure(name=name)
    html = client.get("/display/").text
    assert f'<span class="emblem" aria-hidden="true">{initials}</span>' in html
    assert client.get("/display/logo").status_code == 404


def test_an_office_logo_in_the_instance_folder_is_shown(client, office, folders):
    (folders / "instance" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert '<img class="logo" src="/display/logo"' in client.get("/display/").text
    logo = client.get("/display/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    logo.close()


def test_an_announcement_lists_the_clips_of_a_call_in_order(client, office):
    response = client.get("/display/announcement?number=A123&counter=3")
    assert response.status_code == 200
    assert response.json["language"] == "id"
    assert response.json["text"] == "Nomor antrean A seratus dua puluh tiga, silakan menuju loket tiga"
    assert [clip["url"] for clip in response.json["clips"]] == [
        "/display/clips/bell",
        "/display/clips/id/nomor-antrean",
        "/display/clips/id/letter-a",
        "/display/clips/id/seratus",
        "/display/clips/id/dua",
        "/display/clips/id/puluh",
        "/display/clips/id/tiga",
        "/display/clips/id/silakan-menuju-loket",
        "/display/clips/id/tiga",
    ]
    assert response.json["clips"][2] == {"name": "id/letter-a", "url": "/display/clips/id/letter-a", "text": "A"}


def test_an_announcement_follows_the_office_reading_and_language_without_a_reload(client, office):
    office.configure(number_reading="digits")
    assert client.get("/display/announcement?number=B017&counter=2").json["text"] == (
        "Nomor antrean B nol satu tujuh, silakan menuju loket dua"
    )
    office.configure(language="en", number_reading="words")
    said = client.get("/display/announcement?number=B017&counter=2").json
    assert said["language"] == "en"
    assert said["text"] == "Number B seventeen, please go to counter two"
    assert [clip["name"] for clip in said["clips"]] == spoken.call("B017", 2, language="en").clip_names


def test_several_calls_make_one_condensed_announcement(client, office):
    said = client.get("/display/announcement?number=A001&counter=1&number=E002&counter=2").json
    assert said["text"] == "Nomor antrean A satu, loket satu; E dua, loket dua"
    assert [clip["name"] for clip in said["clips"]].count("bell") == 1


@pytest.mark.parametrize(
    "query",
    [
        "",
        "number=A001",
        "counter=1",
        "number=A001&counter=x",
        "number=A001&counter=0",
        "number=<b>&counter=1",
        "number=A001&counter=1&number=A002",
        "&".join(f"number=A00{n}&counter=1" for n in range(1, 6)),
    ],
)
def test_an_announcement_needs_a_ticket_number_and_a_counter(client, office, query):
    response = client.get(f"/display/announcement?{query}")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_call"


def test_a_generated_clip_is_served(client, office, folders):
    (folders / "generated" / "id" / "satu.wav").write_bytes(b"RIFF generated")
    response = client.get("/display/clips/id/satu")
    assert response.status_code == 200
    assert response.data == b"RIFF generated"
    assert response.mimetype in ("audio/wav", "audio/x-wav")
    response.close()


def test_an_office_recording_takes_precedence_over_the_generated_clip(client, office, folders):
    (folders / "generated" / "id" / "satu.wav").write_bytes(b"RIFF generated")
    (folders / "instance" / "voice" / "id" / "satu.mp3").write_bytes(b"ID3 our own voice")
    response = client.get("/display/clips/id/satu")
    assert response.data == b"ID3 our own voice"
    assert response.mimetype == "audio/mpeg"
    response.close()


def test_an_office_may_keep_its_recordings_in_another_folder(client, app, office, folders):
    elsewhere = folders / "studio"
    (elsewhere).mkdir()
    (elsewhere / "bell.ogg").write_bytes(b"OggS chime")
    app.config["VOICE_FOLDER"] = elsewhere
    response = client.get("/display/clips/bell")
    assert response.data == b"OggS chime"
    response.close()


@pytest.mark.parametrize("name", ["id/nothing-here", "../../servicedesk/config", "id/../bell", "xx/satu", "id/Satu"])
def test_missing_or_strange_clip_names_are_not_found(client, office, folders, name):
    (folders / "generated" / "bell.wav").write_bytes(b"RIFF")
    assert client.get(f"/display/clips/{name}").status_code == 404


def test_the_build_records_every_clip_a_call_can_ask_for_and_only_once(tmp_path):
    need_espeak()
    recorded = announce.generate(tmp_path)
    expected = {spoken.BELL, *spoken.lexicon("id"), *spoken.lexicon("en")}
    expected |= {*guidance.lexicon("id"), *guidance.lexicon("en")}  # the kiosk's accessible mode
    assert set(recorded) == expected
    for name in expected:
        wav = (tmp_path / f"{name}.wav").read_bytes()
        assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE" and len(wav) > 4000, name
    assert announce.generate(tmp_path) == []  # up to date: nothing recorded again


def test_the_build_records_again_a_clip_that_went_missing(tmp_path):
    need_espeak()
    announce.generate(tmp_path)
    (tmp_path / "id" / "sebelas.wav").unlink()
    assert announce.generate(tmp_path) == ["id/sebelas"]


def test_the_command_reports_what_it_recorded(tmp_path, capsys):
    need_espeak()
    assert announce.main(["--folder", str(tmp_path)]) == 0
    assert "recorded" in capsys.readouterr().out


def test_a_recorded_word_is_cut_to_its_sound_and_brought_to_the_common_loudness():
    rate = 1000
    word = array("h", [0] * 500 + [1000, -2000, 1500] * 100 + [0] * 500)
    shaped = announce.shape(word, rate)
    assert len(shaped) == 10 + 300 + 10 + 60  # a little margin around the sound, then a breath
    assert max(abs(value) for value in shaped) == round(announce.PEAK * 32767)
    assert list(shaped[-60:]) == [0] * 60


def test_the_bell_is_three_notes_that_die_away():
    bell = announce.chime(rate=8000)
    assert len(bell) == 8000 * 2 + 2000  # 0.5 + 0.5 + 1.0 seconds, then a quarter second of silence
    assert max(abs(value) for value in bell) <= announce.PEAK * 32767
    assert max(abs(value) for value in bell[3900:4000]) < 500  # the first note has faded when the second strikes
