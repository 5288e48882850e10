"""The visitor's phone page: their own ticket only, the survey form, the chime, live updates."""

import io
import json
import re
import wave

from servicedesk.extensions import socketio


def issue(client, office, code="A"):
    return client.post("/api/v1/tickets", json={"service_id": office.service(code)}).json


def page_config(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="visitor-config">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_page_shows_the_visitors_own_ticket_and_nothing_of_the_others(client, office):
    issue(client, office)
    mine = issue(client, office)
    response = client.get(f"/t/{mine['token']}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A002" in html and "Legalisir Ijazah" in html
    assert "A001" not in html  # no other visitor's number, not even in the page's data
    config = page_config(html)
    assert config["ticket"]["people_ahead"] == 1
    assert config["ticket"]["estimated_wait_minutes"] == 15
    assert set(config["ticket"]) == {
        "number", "status", "priority", "service", "counter", "people_ahead",
        "estimated_wait_minutes", "recall_count", "created_at", "called_at",
    }  # fmt: skip
    assert config["urls"]["survey"] == f"/api/v1/tickets/{mine['token']}/survey"


def test_the_page_has_the_nine_survey_questions_with_indonesian_answers(client, office):
    ticket = issue(client, office)
    html = client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    assert html.count('class="v-question"') == 9
    assert "Persyaratan" in html and "Sarana dan prasarana" in html
    for label in ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai", "Dikelola dengan baik"):
        assert label in html
    assert "Batalkan nomor antrean saya" in html


def test_the_page_speaks_english_on_request(client, office):
    ticket = issue(client, office)
    html = client.get(f"/t/{ticket['token']}?lang=en").get_data(as_text=True)
    assert "Diploma Legalization" in html and "How was our service?" in html
    assert page_config(html)["strings"]["go_to_counter"] == "Please go to counter {number}"


def test_the_called_message_is_the_indonesian_sentence(client, office):
    ticket = issue(client, office)
    strings = page_config(client.get(f"/t/{ticket['token']}").get_data(as_text=True))["strings"]
    assert strings["go_to_counter"] == "Silakan menuju loket {number}"


def test_an_unknown_link_gets_a_friendly_not_found_page(client, office):
    response = client.get("/t/this-is-not-a-ticket")
    assert response.status_code == 404
    assert "Nomor antrean tidak ditemukan" in response.get_data(as_text=True)


def test_a_survey_already_answered_is_known_to_the_page(client, office, auth):
    ticket = issue(client, office)
    auth.at_counter("siti", office.counter(1))
    called = client.post(f"/api/v1/counters/{office.counter(1)}/call-next").json
    client.post(f"/api/v1/tickets/{called['id']}/start")
    client.post(f"/api/v1/tickets/{called['id']}/finish")
    assert page_config(client.get(f"/t/{ticket['token']}").get_data(as_text=True))["survey"] == {
        "answered": False,
        "expired": False,
    }
    client.post(f"/api/v1/tickets/{ticket['token']}/survey", json={"answers": {f"u{i}": 4 for i in range(1, 10)}})
    assert page_config(client.get(f"/t/{ticket['token']}").get_data(as_text=True))["survey"] == {
        "answered": True,
        "expired": False,
    }


def test_the_chime_is_a_short_wav_made_by_the_server(client):
    response = client.get("/t/chime.wav")
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    with wave.open(io.BytesIO(response.data)) as sound:
        assert sound.getnchannels() == 1 and sound.getsampwidth() == 2
        seconds = sound.getnframes() / sound.getframerate()
    assert 0.5 < seconds < 2


def test_the_phone_hears_its_call_and_its_queue_moving(app, client, office, auth):
    first = issue(client, office)
    second = issue(client, office)
    phone = socketio.test_client(app, auth={"ticket": second["token"]})
    [snapshot] = [e["args"][0] for e in phone.get_received() if e["name"] == "snapshot"]
    assert snapshot["ticket"]["people_ahead"] == 1
    auth.at_counter("siti", office.counter(1))
    client.post(f"/api/v1/counters/{office.counter(1)}/call-next")  # calls A001
    events = phone.get_received()
    line = [e["args"][0] for e in events if e["name"] == "queue.changed" and e["args"][0]["code"] == "A"][-1]
    assert line["waiting_numbers"].index(second["number"]) == 0  # the page computes "you are next"
    assert first["number"] not in line["waiting_numbers"]
    client.post(f"/api/v1/tickets/{first['id']}/start")
    client.post(f"/api/v1/tickets/{first['id']}/finish")
    phone.get_received()
    client.post(f"/api/v1/counters/{office.counter(1)}/call-next")  # calls A002
    updates = [e["args"][0] for e in phone.get_received() if e["name"] == "ticket.updated"]
    assert updates[-1]["status"] == "called" and updates[-1]["counter"]["number"] == 1
    phone.disconnect()
