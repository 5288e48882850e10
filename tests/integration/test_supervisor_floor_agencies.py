"""Tenancy (issue 26): the supervisor floor is one agency's for an agency supervisor and the whole
site's for a site supervisor: queues, counters, tickets, officers' figures, alerts and no-shows."""

from __future__ import annotations

from servicedesk.domain.model import Role, User
from servicedesk.extensions import db
from tests.builders import FAST_HASH, Auth
from tests.integration.test_authorization_matrix import build_scene, build_second_agency

IMIGRASI_SUPERVISOR = "imsuper"


def _scene(app, office) -> dict:
    """Disdik: siti at counter 1 with a no-show and a called A ticket, one A waiting; immigration:
    rina at counter 9 with an M ticket called; an immigration supervisor next to the site's."""
    scene = build_second_agency(app, office, build_scene(app, office))
    with app.app_context():
        supervisor = User(IMIGRASI_SUPERVISOR, "Pengawas Imigrasi", Role.SUPERVISOR, FAST_HASH)
        supervisor.agency_id = scene["imigrasi"]
        db.session.add(supervisor)
        db.session.commit()
    return scene


def _floor(app, username: str) -> dict:
    client = app.test_client()
    Auth(client).login(username)
    return {
        "queue": client.get("/api/v1/queue").json,
        "figures": client.get("/api/v1/figures").json,
        "alerts": client.get("/api/v1/alerts").json,
        "no_shows": client.get("/api/v1/no-shows").json,
        "page": client.get("/supervisor/").get_data(as_text=True),
    }


def test_a_site_supervisor_s_floor_holds_both_agencies(app, office, clock):
    scene = _scene(app, office)
    clock.advance(minutes=20)  # the waiting A ticket and the served tickets are past 15 minutes
    floor = _floor(app, "supervisor")
    assert {q["service_id"] for q in floor["queue"]["queues"]} >= {scene["service_a"], scene["service_m"]}
    assert {c["id"] for c in floor["queue"]["counters"]} >= {scene["counter_1"], scene["counter_9"]}
    assert {t["id"] for t in floor["queue"]["tickets"]} >= {scene["called"], scene["called_m"]}
    assert {"Siti Rahmawati, S.Pd.", "Rina"} <= {f["full_name"] for f in floor["figures"]}
    assert scene["no_show"] in {t["id"] for t in floor["no_shows"]}
    assert "A" in {a["service"]["code"] for a in floor["alerts"]}
    assert "Paspor Baru" in floor["page"] and "Legalisir Ijazah" in floor["page"]


def test_an_agency_supervisor_s_floor_holds_only_their_agency(app, office, clock):
    scene = _scene(app, office)
    clock.advance(minutes=20)
    floor = _floor(app, IMIGRASI_SUPERVISOR)
    assert {q["service_id"] for q in floor["queue"]["queues"]} == {scene["service_m"]}
    assert {c["id"] for c in floor["queue"]["counters"]} == {scene["counter_9"]}
    assert {t["id"] for t in floor["queue"]["tickets"]} == {scene["called_m"]}
    assert {f["full_name"] for f in floor["figures"]} == {"Rina"}
    assert floor["no_shows"] == []
    assert {a["service"]["code"] for a in floor["alerts"]} <= {"M"}
    assert "Paspor Baru" in floor["page"]
    assert not [name for name in ("Legalisir Ijazah", "Siti Rahmawati", "Loket 1") if name in floor["page"]]
