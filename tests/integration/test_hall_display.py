"""The hall of several agencies on its TVs (issue 26): a hall TV shows and says every agency's calls with
the agency after the counter ("... loket sembilan Imigrasi"); an agency's own TV shows its agency's only."""

from __future__ import annotations

from pathlib import Path

from servicedesk.domain.model import Agency, Ticket, User
from servicedesk.extensions import db, socketio
from servicedesk.services import admin, tickets
from servicedesk.web.context import unit_of_work
from tests.builders import Auth
from tests.conftest import need_espeak
from tests.integration.test_authorization_matrix import IMIGRASI_OFFICER, build_scene, build_second_agency


def hall(app, office) -> dict:
    """The matrix's two agencies (Disdik: counters 1-4; Imigrasi: counter 9 with an M ticket called),
    a TV of each agency, and the hall's TV (the scene's display)."""
    scene = build_second_agency(app, office, build_scene(app, office))
    with app.app_context():
        for key, agency in (("tv_disdik", office.agency), ("tv_imigrasi", scene["imigrasi"])):
            _, scene[key] = admin.register_device(
                unit_of_work(), actor_id=None, data={"kind": "display", "name": key, "agency_id": agency}
            )
        scene["rina"] = db.session.query(User).filter_by(username=IMIGRASI_OFFICER).one().id
        db.session.remove()
    return scene


def tv(app, token: str):
    client = socketio.test_client(app, auth={"display": token})
    assert client.is_connected()
    return client


def test_an_agency_s_own_tv_starts_with_its_agency_s_counters_and_calls_only(app, office):
    scene = hall(app, office)
    snapshot = {key: tv(app, scene[key]).get_received()[0]["args"][0] for key in ("tv_imigrasi", "display_token")}
    own, whole = snapshot["tv_imigrasi"], snapshot["display_token"]
    assert own["agency"]["name"] == "Kantor Imigrasi" and not own["hall"]
    assert [c["id"] for c in own["counters"]] == [scene["counter_9"]]
    assert [q["service_id"] for q in own["queues"]] == [scene["service_m"]]
    assert {c["counter"]["agency"]["code"] for c in own["calls"]} == {"IMIGRASI"}
    assert whole["hall"] and whole["agency"] is None
    assert {c["counter"]["agency"]["code"] for c in whole["calls"]} == {"IMIGRASI", office_code(app, office)}
    assert whole["agencies"][str(scene["imigrasi"])] == "Imigrasi"


def office_code(app, office) -> str:
    with app.app_context():
        code = db.session.get(Agency, office.agency).code
        db.session.remove()
    return code


def test_a_call_reaches_the_hall_tv_and_its_own_agency_s_tv_never_the_other_agency_s(app, office):
    scene = hall(app, office)
    screens = {key: tv(app, scene[key]) for key in ("display_token", "tv_disdik", "tv_imigrasi")}
    for screen in screens.values():
        screen.get_received()
    with app.app_context():
        tickets.recall(unit_of_work(), ticket_id=scene["called_m"], user_id=scene["rina"])  # at Imigrasi's 9
        a_call = tickets.call_next(unit_of_work(), counter_id=office.counter(2), user_id=office.users["budi"])

    def calls(key) -> dict:
        heard = [e["args"][0] for e in screens[key].get_received() if e["name"] in ("ticket.called", "ticket.recalled")]
        return {call["number"]: call["counter"]["agency"]["code"] for call in heard}

    m_number = number_of(app, scene["called_m"])
    assert calls("display_token") == {m_number: "IMIGRASI", a_call.number: office_code(app, office)}
    assert calls("tv_imigrasi") == {m_number: "IMIGRASI"}
    assert calls("tv_disdik") == {a_call.number: office_code(app, office)}
    changed = [e["args"][0] for e in screens["tv_disdik"].get_received() if e["name"] == "counter.changed"]
    assert all(c["agency_id"] is not None for c in changed)  # the TV drops another agency's by this id


def number_of(app, ticket_id: int) -> str:
    with app.app_context():
        number = db.session.get(Ticket, ticket_id).number
        db.session.remove()
    return number


def test_an_agency_code_the_site_does_not_have_is_not_said(client, office):
    said = client.get("/display/announcement?number=M001&counter=9&agency=IMIGRASI").json
    assert said["text"] == "Nomor antrean M satu, silakan menuju loket sembilan"  # no such agency yet: unnamed


def test_the_hall_s_voice_names_each_counter_s_agency(app, office):
    scene = hall(app, office)
    client = app.test_client()
    code = office_code(app, office)
    said = client.get("/display/announcement?number=M001&counter=9&agency=IMIGRASI").json
    assert said["text"] == "Nomor antrean M satu, silakan menuju loket sembilan Imigrasi"
    assert said["clips"][-1] == {
        "name": "id/agency-imigrasi",
        "url": "/display/clips/id/agency-imigrasi",
        "text": "Imigrasi",
    }
    both = client.get(f"/display/announcement?number=M2&counter=1&agency=IMIGRASI&number=A5&counter=1&agency={code}")
    assert both.json["text"].endswith("loket satu Imigrasi; A lima, loket satu Disdik")
    assert client.get("/display/announcement?number=M2&counter=1&agency=IMIGRASI&agency=X").status_code == 400
    assert scene["imigrasi"]


def test_setting_up_an_agency_records_its_name_for_the_hall_s_voice(app, office, tmp_path):
    need_espeak()
    app.config["VOICE_INSTALL_FOLDER"] = tmp_path / "clips"
    build_scene(app, office)
    admin_client = app.test_client()
    Auth(admin_client).login("admin")
    form = {"code": "BPJS", "name": "BPJS Kesehatan", "short_name": "BPJS Kesehatan", "active": "1"}
    assert admin_client.post("/admin/agencies", data=form).status_code == 303
    for language in ("id", "en"):
        assert Path(tmp_path / "clips" / language / "agency-bpjs.wav").stat().st_size > 1000
    served = admin_client.get("/display/clips/id/agency-bpjs")
    served.close()
    assert served.status_code == 200
    runner = app.test_cli_runner()
    result = runner.invoke(args=["voice", "agencies"])
    assert result.exit_code == 0 and "agency clips recorded" in result.output
