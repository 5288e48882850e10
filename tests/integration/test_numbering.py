"""The ticket number and the daily quota, written once (persistence/numbering.py), on both databases."""

import re

import pytest
from sqlalchemy import create_engine, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import NullPool

from servicedesk.extensions import db
from servicedesk.persistence import issuing_function, numbering, tables

DAY = tables.daily_sequences.c.day.type


@pytest.mark.parametrize(
    ("prefix", "sequence", "number"),
    [("A", 1, "A001"), ("B", 17, "B017"), ("KTP", 999, "KTP999"), ("A", 1000, "A1000"), ("A", 12345, "A12345")],
)
def test_a_number_is_the_prefix_and_at_least_three_digits_growing_past_999(app, prefix, sequence, number):
    with app.app_context():
        assert db.session.execute(select(numbering.number_of(literal(prefix), literal(sequence)))).scalar() == number


def take(service_id, quota, clock):
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    day, quota = literal(clock().date(), DAY), literal(quota, tables.daily_sequences.c.last_value.type)
    return db.session.execute(numbering.take_sequence(insert, literal(service_id), day, quota)).scalar()


def test_the_sequence_stops_at_the_quota_and_a_refusal_takes_no_number(app, office, clock):
    with app.app_context():
        service_id = office.service("C")
        assert [take(service_id, 2, clock) for _ in range(3)] == [1, 2, None]
        assert take(service_id, 3, clock) == 3  # the refusal left no gap
        assert take(service_id, None, clock) == 4  # no quota: any number
        last = db.session.execute(select(tables.daily_sequences.c.last_value)).scalar_one()
        db.session.rollback()
    assert last == 4


def test_a_quota_of_zero_takes_not_even_the_first_number(app, office, clock):
    with app.app_context():
        assert take(office.service("C"), 0, clock) is None
        assert db.session.execute(select(tables.daily_sequences)).all() == []
        db.session.rollback()


def test_postgresql_runs_the_issue_ticket_function_the_code_renders(postgresql_url):
    """The migrations installed what persistence/issuing_function.py renders now: a rule changed there
    without a migration that installs it fails here."""
    engine = create_engine(postgresql_url, poolclass=NullPool)
    with engine.connect() as conn:
        source, arguments = conn.execute(
            text("SELECT prosrc, pg_get_function_arguments(oid) FROM pg_proc WHERE proname = 'issue_ticket'")
        ).one()
    engine.dispose()
    assert source == issuing_function.body()
    names = lambda signature: re.findall(r"(?:^|,)\s*(?:OUT\s+)?(\w+)\s", signature)  # noqa: E731
    assert names(arguments) == names(issuing_function.SIGNATURE.removeprefix("issue_ticket(").removesuffix(")"))
