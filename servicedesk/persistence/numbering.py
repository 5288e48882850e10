"""The ticket number and the daily quota, written once in SQL for both databases.

A ticket's number is the service's prefix and its daily sequence, padded to MIN_DIGITS
(domain/numbering.py) and growing past them (`A999`, `A1000`); a service takes no number past its
daily quota. Both rules exist only here, as SQLAlchemy expressions that compile to the same SQL on
SQLite and PostgreSQL: SQLite's issuing runs them as statements (persistence/repository.py), and
PostgreSQL's issue_ticket() function (persistence/issuing_function.py) is rendered from them. A
refused number is never taken (the upsert's own WHERE), so a refusal leaves no gap.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, Text, bindparam, case, cast, func, literal, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import ColumnElement

from ..domain.numbering import MIN_DIGITS
from . import tables


def number_of(prefix: ColumnElement, sequence: ColumnElement) -> ColumnElement:
    """`A` + 7 -> `A007`, `A` + 1000 -> `A1000`: below 10^MIN_DIGITS the sequence is written as the
    digits of 10^MIN_DIGITS + sequence without the leading 1 (the same SQL on both databases:
    SQLite has no lpad, PostgreSQL no printf)."""
    bound = 10**MIN_DIGITS
    padded = func.substr(cast(bound + sequence, Text), 2)
    return prefix + case((sequence < bound, padded), else_=cast(sequence, Text))


def within_quota(sequence: ColumnElement, quota: ColumnElement) -> ColumnElement:
    """A service with no quota (NULL) issues any number; otherwise up to the quota itself."""
    return or_(quota.is_(None), sequence <= quota)


def take_sequence(insert, service_id: ColumnElement, day: ColumnElement, quota: ColumnElement):
    """The service's next daily sequence, or no row past the quota (nothing written: no gap).

    `insert` is the dialect's insert() (both have ON CONFLICT). The row stays locked until the
    transaction (or PostgreSQL's one statement) ends, so kiosks of one service take turns.
    """
    t = tables.daily_sequences
    one = literal(1, Integer)
    first = select(service_id, day, one.label("last_value")).where(within_quota(one, quota))
    statement = insert(t).from_select(["service_id", "day", "last_value"], first)
    return statement.on_conflict_do_update(
        index_elements=[t.c.service_id, t.c.day],
        set_={"last_value": t.c.last_value + 1},
        where=within_quota(t.c.last_value + 1, quota),
    ).returning(t.c.last_value)


@cache
def sqlite_take_sequence():
    """SQLite's statement, built once with bound parameters service_id, day and quota."""
    t = tables.daily_sequences
    return take_sequence(
        sqlite_insert,
        bindparam("service_id", type_=t.c.service_id.type),
        bindparam("day", type_=t.c.day.type),
        bindparam("quota", type_=Integer()),
    )
