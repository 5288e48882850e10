"""A duration between two stored moments, in seconds, as SQL on either backend."""

from __future__ import annotations

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class seconds_between(FunctionElement):  # noqa: N801 - reads as a SQL function
    """end - start in seconds, as a float."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    # julianday() counts whole milliseconds internally; rounding to 3 places gives them back exactly.
    return f"ROUND((julianday({end}) - julianday({start})) * 86400.0, 3)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element, compiler, **kw) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    # date_part() answers in double precision; EXTRACT() answers in numeric, which is slower.
    return f"date_part('epoch', {end} - {start})"
