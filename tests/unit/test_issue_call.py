"""The PostgreSQL issuing call, compiled once per driver: its placeholders and argument processors agree."""

import re

from sqlalchemy.dialects.postgresql import pg8000, psycopg

from servicedesk.domain.model import TicketStatus
from servicedesk.persistence.repository import _issue_call


def test_a_driver_taking_arguments_by_name_gets_each_argument_under_its_own_name():
    sql, processors, positional = _issue_call(psycopg.dialect())
    assert not positional
    pairs = re.findall(r"(p_\w+) => %\((p_\w+)\)s", sql)
    assert pairs and all(argument == placeholder for argument, placeholder in pairs)
    assert sorted(name for name, _ in processors) == sorted(argument for argument, _ in pairs)


def test_a_driver_taking_arguments_by_position_gets_them_in_the_order_of_the_placeholders():
    sql, processors, positional = _issue_call(pg8000.dialect())
    assert positional
    assert re.findall(r"(p_\w+) => %s", sql) == [name for name, _ in processors]


def test_the_arguments_are_converted_as_their_columns_convert_them():
    _, processors, _ = _issue_call(psycopg.dialect())
    assert dict(processors)["p_status"](TicketStatus.WAITING) == "waiting"
