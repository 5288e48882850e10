"""An agency's own TV in its agency's language, with its agency's services only (issue 26): in a hall of two
agencies whose site speaks Indonesian, the immigration office's TV (English) is drawn in English, says its
calls in English (or in the site's language where no English clip is recorded) and gets its own service
standards, while the hall's TV stays Indonesian and gets every agency's."""

from __future__ import annotations

import json
import re

from servicedesk.domain.model import Service
from servicedesk.extensions import db
from servicedesk.services import tickets
from servicedesk.web.context import unit_of_work
from tests.integration.test_agency_pages import english_imigrasi, token_of
from tests.integration.test_hall_display import hall, tv


def page_config(html: str) -> dict:
    return json.loads(re.search(r'id="display-config">(.*?)</script>', html, re.S).group(1))


def info(app, token: str | None) -> dict:
    headers = {"X-Device-Token": token} if token else {}
    return app.test_client().get("/display/info", headers=headers).json


def test_an_agency_s_own_tv_gets_its_agency_s_service_standards_and_quotas_only_and_the_hall_tv_every_one(app, office):
    scene = hall(app, office)
    office.update_service("A", daily_quota=5)
    with app.app_context():
        db.session.get(Service, scene["service_m"]).daily_quota = 10
        db.session.commit()
        db.session.remove()
    m, a = str(scene["service_m"]), str(office.service("A"))

    imigrasi = info(app, scene["tv_imigrasi"])
    assert [s["code"] for s in imigrasi["standards"]] == ["M"]
    assert imigrasi["quota_left"] == {m: 9}  # the called M ticket took one number

    disdik = info(app, scene["tv_disdik"])
    assert "M" not in [s["code"] for s in disdik["standards"]] and "A" in [s["code"] for s in disdik["standards"]]
    assert m not in disdik["quota_left"] and a in disdik["quota_left"]

    for whole in (info(app, scene["display_token"]), info(app, None)):  # the hall's TV, registered or not
        assert {"A", "M"} <= {s["code"] for s in whole["standards"]}
        assert {a, m} <= set(whole["quota_left"])


def test_an_english_speaking_agency_s_tv_is_drawn_in_english_and_the_hall_tv_in_the_site_s_indonesian(app, office):
    scene = hall(app, office)
    english_imigrasi(app, scene)
    client = app.test_client()

    own = client.get(f"/display/?device={scene['tv_imigrasi']}").get_data(as_text=True)
    assert '<html lang="en">' in own and "Recent calls" in own and "Panggilan terakhir" not in own
    config = page_config(own)
    assert config["tvLanguage"] == "en" and config["text"]["counter"] == "Counter"

    for url in ("/display/", f"/display/?device={scene['display_token']}", f"/display/?device={scene['tv_disdik']}"):
        page = client.get(url).get_data(as_text=True)
        assert '<html lang="id">' in page and "Panggilan terakhir" in page, url
        assert page_config(page)["tvLanguage"] == "id" and page_config(page)["text"]["counter"] == "Loket", url

    # A TV reloaded by hand has lost its ?device=: drawn in the site's language, its snapshot says its own,
    # and display.js draws the page again with its token.
    assert page_config(client.get("/display/").get_data(as_text=True))["tvLanguage"] == "id"
    snapshot = tv(app, scene["tv_imigrasi"]).get_received()[0]["args"][0]
    assert snapshot["language"] == "en" and snapshot["agency"]["language"] == "en"
    for key in ("display_token", "tv_disdik"):
        other = tv(app, scene[key]).get_received()[0]["args"][0]
        assert other["language"] == "id" and (other["agency"] is None or other["agency"]["language"] is None)


def test_an_english_speaking_agency_s_tv_shows_its_ikm_grade_in_english(app, office):
    scene = hall(app, office)
    english_imigrasi(app, scene)
    with app.app_context():
        tickets.start(unit_of_work(), ticket_id=scene["called_m"], user_id=scene["rina"])
        tickets.finish(unit_of_work(), ticket_id=scene["called_m"], user_id=scene["rina"])
    answers = {f"u{i}": 4 for i in range(1, 10)}
    survey = f"/api/v1/tickets/{token_of(app, scene['called_m'])}/survey"
    assert app.test_client().post(survey, json={"answers": answers}).status_code == 201
    assert info(app, scene["tv_imigrasi"])["ikm"]["label"] == "Very good"
    assert info(app, scene["display_token"])["ikm"]["label"] == "Sangat baik"
    assert info(app, scene["tv_imigrasi"])["ikm"]["label"] == "Very good"  # kept per agency and language


def silence(path) -> None:
    """A recorded clip, as far as the server can tell: a file of the clip's name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF")


def test_an_agency_s_tv_says_its_calls_in_its_language_or_the_site_s_where_that_one_has_no_clips(
    app, client, office, tmp_path
):
    app.instance_path = str(tmp_path / "instance")
    app.config["VOICE_CLIPS_FOLDER"] = tmp_path / "generated"
    english = client.get("/display/announcement?number=M001&counter=9&language=en").json
    assert english["language"] == "en" and english["text"] == "Number M one, please go to counter nine"
    assert english["clips"][1]["url"] == "/display/clips/en/number"

    silence(tmp_path / "generated" / "id" / "nomor-antrean.wav")  # only Indonesian is recorded here
    said = client.get("/display/announcement?number=M001&counter=9&language=en").json
    assert said["language"] == "id" and said["text"] == "Nomor antrean M satu, silakan menuju loket sembilan"
    silence(tmp_path / "generated" / "en" / "number.wav")
    assert client.get("/display/announcement?number=M001&counter=9&language=en").json["language"] == "en"
    assert client.get("/display/announcement?number=M001&counter=9").json["language"] == "id"  # the site's

    refused = client.get("/display/announcement?number=M001&counter=9&language=fr")
    assert refused.status_code == 400 and refused.json["error"]["code"] == "invalid_call"
