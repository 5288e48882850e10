"""Text longer than its column is refused by the set-up use cases themselves, whoever calls them
(a page, the command line, a script): a coded `too_long` on the field, never a database error on
PostgreSQL and never a silently stored value on SQLite. The pages' own form checks are tested with
each page (test_admin_*.py); these call the use cases without a form in front."""

import pytest

from servicedesk.domain.errors import Invalid
from servicedesk.extensions import db
from servicedesk.persistence import tables
from servicedesk.services import admin
from servicedesk.web.context import unit_of_work

OFFICE = {
    "name": "ULT Disdik",
    "address": "",
    "time_zone": "Asia/Jakarta",
    "language": "id",
    "running_text": "",
    "paper_width_mm": "80",
    "number_reading": "words",
    "transfer_position": "original",
    "head_name": "",
    "head_nip": "",
}


def refusal(app, call) -> tuple[dict, int]:
    """The field errors of a refused use case, and how many audit rows exist after it."""
    with app.app_context():
        with pytest.raises(Invalid) as refused:
            call(unit_of_work())
        db.session.rollback()
        return (
            {field: (error.code, error.params) for field, error in refused.value.errors.items()},
            db.session.query(tables.audit_log).count(),
        )


def test_a_counter_name_or_area_over_100_characters_is_refused_on_its_field(app, office):
    def create(uow):
        data = {"number": 9, "name": "L" * 101, "area": "A" * 101, "call_order": "oldest", "service_ids": []}
        admin.create_counter(uow, actor_id=None, data=data)

    errors, _ = refusal(app, create)
    assert errors == {"name": ("too_long", {"n": 100}), "area": ("too_long", {"n": 100})}
    with app.app_context():
        assert db.session.query(tables.counters).filter_by(number=9).count() == 0


def test_a_holiday_name_over_200_characters_is_refused_and_nothing_is_recorded(app, office):
    with app.app_context():
        before = db.session.query(tables.audit_log).count()
    errors, after = refusal(
        app, lambda uow: admin.add_holiday(uow, actor_id=None, data={"day": "2026-08-17", "name": "H" * 201})
    )
    assert errors == {"name": ("too_long", {"n": 200})} and after == before
    with app.app_context():
        assert db.session.query(tables.holidays).count() == 0


@pytest.mark.parametrize(("field", "limit"), [("name", 200), ("address", 500), ("head_name", 200)])
def test_an_office_setting_longer_than_its_column_is_refused_on_its_field(app, office, field, limit):
    data = OFFICE | {field: "x" * (limit + 1)}
    errors, _ = refusal(app, lambda uow: admin.update_office(uow, actor_id=None, data=data))
    assert errors == {field: ("too_long", {"n": limit})}


def test_a_text_exactly_as_long_as_its_column_is_stored_whole(app, office):
    with app.app_context():
        admin.add_holiday(unit_of_work(), actor_id=None, data={"day": "2026-08-17", "name": "H" * 200})
        assert [len(h.name) for h in db.session.query(tables.holidays)] == [200]
