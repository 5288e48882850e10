"""What an audit row holds: readable JSON snapshots, and the fields that changed between two of them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from servicedesk.domain.audit import (
    counter_snapshot,
    diff,
    jsonable,
    office_snapshot,
    service_snapshot,
    user_snapshot,
)
from servicedesk.domain.model import Counter, Office, Role, Service, User
from servicedesk.services.audit import Period


def test_dates_times_and_enums_become_the_text_a_person_reads():
    value = {"day": date(2026, 8, 17), "cutoff": time(14, 0), "end": time.max, "role": Role.ADMIN, "n": [1, (2, 3)]}
    assert jsonable(value) == {
        "day": "2026-08-17",
        "cutoff": "14:00",
        "end": "24:00",
        "role": "admin",
        "n": [1, [2, 3]],
    }


def test_diff_names_only_the_fields_that_changed():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": (2, 3)}
    assert diff(None, {"a": 1}) == {"a": (None, 1)}
    assert diff({"a": 1}, None) == {"a": (1, None)}
    assert diff({"a": [1]}, {"a": [1]}) == {}


def test_a_service_snapshot_holds_the_standar_pelayanan_the_sop_and_the_queue_rules():
    service = Service(
        "A",
        "Legalisir Ijazah",
        requirements=["Ijazah asli"],
        sop_effective_date=date(2024, 1, 2),
        cutoff_time=time(14, 30),
        alert_wait_minutes=20,
    )
    snapshot = service_snapshot(service)
    assert snapshot["requirements"] == ["Ijazah asli"] and snapshot["sop_effective_date"] == "2024-01-02"
    assert snapshot["cutoff_time"] == "14:30" and snapshot["alert_wait_minutes"] == 20
    assert snapshot["position"] == 0 and snapshot["active"] is True


def test_a_user_snapshot_names_competences_by_code_and_never_holds_the_password_hash():
    user = User("siti", "Siti Aminah", Role.OFFICER, password_hash="scrypt:secret")
    user.competences = [Service("A", "Legalisir"), Service("B", "Mutasi")]
    snapshot = user_snapshot(user)
    assert snapshot == {
        "username": "siti",
        "full_name": "Siti Aminah",
        "role": "officer",
        "active": True,
        "competences": ["A", "B"],
    }
    assert "scrypt" not in str(snapshot)


def test_counter_and_office_snapshots_are_plain_json():
    assert counter_snapshot(Counter(3, area="Lantai 2"), ["C", "D"]) == {
        "number": 3,
        "name": "Loket 3",
        "area": "Lantai 2",
        "services": ["C", "D"],
        "call_order": "oldest",
    }
    office = office_snapshot(Office())
    assert office["time_zone"] == "Asia/Jakarta" and office["opening_hours"]["fri"][0] == ["08:00", "11:30"]


def test_a_period_of_local_days_covers_whole_days_in_the_offices_time_zone():
    start, end = Period(date(2026, 11, 2), date(2026, 11, 2)).bounds("Asia/Jayapura")
    assert start.astimezone(UTC) == datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    assert Period().bounds("Asia/Jakarta") == (None, None)
