"""The flask commands an office runs from a terminal."""

from datetime import timedelta

import yaml

from servicedesk.extensions import db
from servicedesk.persistence import tables


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_seed_demo_creates_the_office_once(app):
    first = run(app, "seed-demo", "--single-office")
    assert first.exit_code == 0 and "Demo office created" in first.output
    again = run(app, "seed-demo")
    assert "not added" in again.output
    with app.app_context():
        assert db.session.query(tables.services).count() == 5
        assert db.session.query(tables.counters).count() == 4
        assert db.session.query(tables.counter_services).count() == 9


def test_seed_demo_puts_a_small_immigration_office_beside_the_education_office(app, client):
    """The demo hall has two agencies: the immigration office's officer logs in and sees only its
    own counter and services; the education office's logins work as before."""
    result = run(app, "seed-demo")
    assert result.exit_code == 0 and "imigrasi" in result.output
    with app.app_context():
        agencies = {a.code: a.id for a in db.session.query(tables.agencies)}
        services = {s.code: s.agency_id for s in db.session.query(tables.services)}
        counters = {(c.number, c.agency_id) for c in db.session.query(tables.counters)}
    assert set(agencies) == {"DISDIK", "IMIGRASI"}
    assert services == dict.fromkeys("ABCDE", agencies["DISDIK"]) | dict.fromkeys("PQ", agencies["IMIGRASI"])
    assert (5, agencies["IMIGRASI"]) in counters and len(counters) == 5
    login = client.post("/api/v1/auth/login", json={"username": "imigrasi", "password": "demo12345"})
    assert login.status_code == 200
    assert [c["number"] for c in client.get("/api/v1/counters").json] == [5]
    assert {q["service_id"] for q in client.get("/api/v1/queue").json["queues"]} == {
        sid for sid, code in _service_ids(app).items() if code in "PQ"
    }
    client.post("/api/v1/auth/logout")
    for username in ("admin", "supervisor", "siti", "budi", "agus", "dewi"):
        assert (
            client.post("/api/v1/auth/login", json={"username": username, "password": "demo12345"}).status_code == 200
        )
        client.post("/api/v1/auth/logout")


def _service_ids(app) -> dict[int, str]:
    with app.app_context():
        return {s.id: s.code for s in db.session.query(tables.services)}


def test_create_admin_makes_an_admin_that_can_log_in(app, client):
    result = run(app, "create-admin", "kepala", "--full-name", "Kepala ULT", "--password", "rahasia123")
    assert result.exit_code == 0, result.output
    login = client.post("/api/v1/auth/login", json={"username": "kepala", "password": "rahasia123"})
    assert login.status_code == 200 and login.json["role"] == "admin"


def test_create_admin_refuses_a_short_password(app):
    result = run(app, "create-admin", "kepala", "--password", "short")
    assert result.exit_code != 0 and "8 characters" in result.output


def test_create_admin_refuses_a_common_password_and_the_username(app):
    result = run(app, "create-admin", "kepala", "--password", "password123")
    assert result.exit_code != 0 and "too common" in result.output
    result = run(app, "create-admin", "kepala.bidang", "--password", "kepala.bidang")
    assert result.exit_code != 0 and "must not be the username" in result.output


CATALOGUE = """
services:
  - code: KTP
    name: Perekaman KTP-el
    name_en: Electronic ID recording
    unit: Bidang Pelayanan Pendaftaran Penduduk
    requirements: [Fotokopi Kartu Keluarga, Surat pengantar RT/RW]
    procedure: [Ambil nomor antrean, Verifikasi berkas, Perekaman biometrik]
    standard_minutes: 10
    daily_quota: 80
    cutoff_time: "14:00"
    sop_number: SOP/DUKCAPIL/01
    sop_effective_date: 2025-01-02
  - code: KK
    name: Kartu Keluarga
    standard_minutes: 15
"""


def test_import_services_creates_then_updates_by_code(app, tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text(CATALOGUE)
    result = run(app, "import-services", str(path))
    assert result.exit_code == 0, result.output
    assert "created: KTP, KK" in result.output
    path.write_text(CATALOGUE.replace("standard_minutes: 10", "standard_minutes: 12"))
    result = run(app, "import-services", str(path))
    assert "updated: KTP" in result.output and "unchanged: KK" in result.output
    with app.app_context():
        row = db.session.execute(tables.services.select().where(tables.services.c.code == "KTP")).one()
    assert row.standard_minutes == 12 and row.daily_quota == 80 and row.cutoff_time.hour == 14
    assert row.requirements == ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW"]


def test_a_catalogue_with_a_bad_row_imports_nothing_and_names_the_line(app, tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text(CATALOGUE + "  - code: K1\n    name: ''\n    standard_minutes: lama\n")
    result = run(app, "import-services", str(path))
    assert result.exit_code != 0
    assert "line 17: code" in result.output
    assert "line 17: name: is required" in result.output
    assert "line 17: standard_minutes" in result.output
    assert "nothing was imported" in result.output
    with app.app_context():
        assert db.session.query(tables.services).count() == 0


def test_a_csv_catalogue_reports_its_line_numbers(app, tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text("code,name,standard_minutes\nA,Legalisir,15\nB,,x\n")
    result = run(app, "import-services", str(path))
    assert "line 3: name" in result.output and "line 3: standard_minutes" in result.output


def test_export_then_import_changes_nothing(app, tmp_path):
    run(app, "seed-demo", "--single-office")
    for fmt in ("yaml", "csv"):
        path = tmp_path / f"catalogue.{fmt}"
        assert run(app, "export-services", "--format", fmt, "--output", str(path)).exit_code == 0
        result = run(app, "import-services", str(path))
        assert result.exit_code == 0, result.output
        assert "created: -" in result.output and "updated: -" in result.output
    exported = yaml.safe_load(run(app, "export-services").output)
    assert [s["code"] for s in exported["services"]] == ["A", "B", "C", "D", "E"]


def test_close_day_closes_open_tickets_as_not_served_and_closes_counters(app, client, office, auth, clock):
    for _ in range(3):
        client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    auth.at_counter("siti", office.counter(1))
    client.post(f"/api/v1/counters/{office.counter(1)}/call-next")
    clock.advance(hours=8)
    result = run(app, "close-day")
    assert "Closed 3 unserved ticket(s)" in result.output
    assert "(1 called, 2 waiting)" in result.output and "closed 1 counter(s)" in result.output
    with app.app_context():
        statuses = {row.status.value for row in db.session.execute(tables.tickets.select())}
        counters = {row.status.value for row in db.session.execute(tables.counters.select())}
        notes = [
            row.note
            for row in db.session.execute(
                tables.ticket_events.select().where(tables.ticket_events.c.kind == "cancelled")
            )
        ]
    assert statuses == {"cancelled"} and counters == {"closed"}
    assert notes == ["closed_at_day_end"] * 3


def test_close_day_leaves_tomorrows_tickets_alone(app, client, office, clock):
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    clock.advance(days=1)
    client.post("/api/v1/tickets", json={"service_id": office.service("A")})
    clock.set(clock.now - timedelta(days=1))
    assert "Closed 1" in run(app, "close-day").output


def test_devices_add_prints_a_token_that_a_display_can_use(app):
    from servicedesk.extensions import socketio

    run(app, "seed-demo")
    result = run(app, "devices", "add", "display", "TV Lantai 1", "--area", "Lantai 1", "--services", "A,B")
    assert result.exit_code == 0, result.output
    token = result.output.strip().rsplit(" ", 1)[-1]
    display = socketio.test_client(app, auth={"display": token})
    assert display.is_connected()
    unknown = run(app, "devices", "add", "display", "TV", "--services", "ZZ")
    assert unknown.exit_code != 0 and "No service with code ZZ" in unknown.output


def test_terminal_set_up_is_recorded_in_the_audit_trail_as_the_system(app):
    run(app, "seed-demo")
    run(app, "create-admin", "kepala", "--full-name", "Kepala ULT", "--password", "rahasia123")
    run(app, "devices", "add", "kiosk", "Anjungan 1")
    with app.app_context():
        rows = db.session.execute(tables.audit_log.select().order_by(tables.audit_log.c.id)).all()
    assert [(r.entity, r.action, r.user_id) for r in rows[-2:]] == [
        ("user", "create", None),
        ("device", "create", None),
    ]
    assert rows[-2].after["username"] == "kepala" and "password_hash" not in rows[-2].after


def test_create_admin_refuses_a_full_name_longer_than_its_column_with_a_clear_message(app):
    result = run(app, "create-admin", "kepala", "--full-name", "K" * 201, "--password", "rahasia123")
    assert result.exit_code != 0 and "full_name: at most 200 characters" in result.output
    assert "Traceback" not in result.output and "DataError" not in str(result.exception)
    with app.app_context():
        assert db.session.query(tables.users).filter_by(username="kepala").count() == 0


def test_devices_add_refuses_a_name_or_area_longer_than_its_column_with_a_clear_message(app):
    too_long_name = run(app, "devices", "add", "kiosk", "A" * 101)
    assert too_long_name.exit_code != 0 and "name: at most 100 characters" in too_long_name.output
    too_long_area = run(app, "devices", "add", "display", "TV", "--area", "L" * 101)
    assert too_long_area.exit_code != 0 and "area: at most 100 characters" in too_long_area.output
    assert run(app, "devices", "add", "kiosk", "A" * 100).exit_code == 0
    with app.app_context():
        assert [len(name) for (name,) in db.session.query(tables.devices.c.name)] == [100]


def test_an_agency_s_admin_and_device_are_made_from_the_terminal_with_its_code(app):
    run(app, "seed-demo")
    made = run(app, "create-admin", "kepala.imigrasi", "--agency", "imigrasi", "--password", "rahasia-imigrasi-1")
    assert made.exit_code == 0, made.output
    added = run(app, "devices", "add", "kiosk", "Anjungan Imigrasi", "--agency", "IMIGRASI")
    assert added.exit_code == 0, added.output
    hall = run(app, "devices", "add", "display", "TV Lobi")
    with app.app_context():
        imigrasi = db.session.query(tables.agencies).filter_by(code="IMIGRASI").one().id
        user = db.session.query(tables.users).filter_by(username="kepala.imigrasi").one()
        devices = {d.name: d.agency_id for d in db.session.query(tables.devices)}
    assert hall.exit_code == 0 and user.agency_id == imigrasi
    assert devices == {"Anjungan Imigrasi": imigrasi, "TV Lobi": None}
    unknown = run(app, "devices", "add", "kiosk", "Anjungan X", "--agency", "BPJS")
    assert unknown.exit_code != 0 and "No agency with code BPJS" in unknown.output
