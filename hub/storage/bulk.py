"""Many values in one parameter, many rows in one statement, on either database.

Why: the story stage looks up a thousand-odd candidates and updates some fifty items and stories per
harvest. An IN list of a thousand parameters costs more to render, send and parse than the lookup
takes: the values travel as one parameter (an array's text form that PostgreSQL casts, a JSON array
SQLite reads with `json_each`). An executemany costs SQLite nothing (it runs in process), but on
PostgreSQL it is one statement per row on the server; one `INSERT ... SELECT FROM unnest(...)` or
`UPDATE ... FROM unnest(...)` over a column array each does them all at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from numbers import Integral
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Insert,
    Row,
    String,
    Table,
    Update,
    any_,
    bindparam,
    cast,
    func,
    insert,
    literal_column,
    select,
    update,
)

__all__ = ["bound_values", "insert_rows", "one_of", "unnest_insert", "update_rows"]


def one_of(column: ColumnElement[Any], *, postgresql: bool, name: str = "values") -> ColumnElement[bool]:
    """`column` equals one of the values bound as `name` (`bound_values`): an index probe per value
    on both databases, and one statement text whatever the number of values (an expanding IN list
    renders, and the server parses and plans, a new text for each count)."""
    if postgresql:
        return column == any_(cast(bindparam(name, type_=String), ARRAY(column.type)))
    values = func.json_each(bindparam(name, type_=String)).table_valued("value")
    return column.in_(select(values.c.value))


def bound_values(values: Iterable[int | str], *, postgresql: bool) -> str:
    """The parameter of `one_of` holding `values` (integers or strings): PostgreSQL's text form of an
    array, which the server casts, or a JSON array. Not a list for the driver to adapt: psycopg dumps a
    list element by element, about 1.2 microseconds each, and a harvest binds thousands."""
    if not postgresql:
        return json.dumps(list(values))
    return "{" + ",".join(map(_array_element, values)) + "}"


def _array_element(value: int | str) -> str:
    if type(value) is int:
        return str(value)
    if isinstance(value, str):  # quoted: commas, braces, quotes, spaces and NULL are then plain text
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, Integral) and not isinstance(value, bool):  # numpy's integers too
        return str(int(value))
    msg = f"an array of integers or strings, not {type(value).__name__}"
    raise TypeError(msg)


def insert_rows(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    returning: tuple[str, ...] = (),
) -> list[Row[Any]]:
    """Insert rows that all name the same columns; returns the `returning` columns of each row (in no
    particular order: asking SQLite for the rows' order makes it insert them one statement each)."""
    if not rows:
        return []
    names = tuple(rows[0])
    postgresql = connection.dialect.name == "postgresql"
    statement = _insert(table, names, returning, postgresql=postgresql)
    if postgresql:
        result = connection.execute(statement, {name: [row[name] for row in rows] for name in names})
    else:
        result = connection.execute(statement, list(rows))
    return list(result) if returning else []


@lru_cache(maxsize=16)
def _insert(table: Table, names: tuple[str, ...], returning: tuple[str, ...], *, postgresql: bool) -> Insert:
    statement = unnest_insert(table, names) if postgresql else insert(table)
    return statement.returning(*(table.c[name] for name in returning)) if returning else statement


@lru_cache(maxsize=16)
def unnest_insert(table: Table, names: tuple[str, ...]) -> Insert:
    """PostgreSQL: INSERT ... SELECT * FROM unnest(:column_1, ...), one array parameter per column."""
    arrays = [bindparam(name, type_=ARRAY(table.c[name].type)) for name in names]
    return insert(table).from_select(names, select(literal_column("*")).select_from(func.unnest(*arrays)))


def update_rows(connection: Connection, table: Table, key: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Set each row's other columns on the table row whose `key` column equals the row's `key`; every
    row names the same columns."""
    if not rows:
        return
    names = tuple(rows[0])
    if connection.dialect.name == "postgresql":
        arrays = {_param(name): [row[name] for row in rows] for name in names}
        connection.execute(_unnest_update(table, key, names), arrays)
    else:
        connection.execute(_keyed_update(table, key, names), [_renamed(row) for row in rows])


@lru_cache(maxsize=16)
def _unnest_update(table: Table, key: str, names: tuple[str, ...]) -> Update:
    """UPDATE table SET c = v.c, ... FROM unnest(:key, :c, ...) AS v WHERE table.key = v.key."""
    arrays = [bindparam(_param(name), type_=ARRAY(table.c[name].type)) for name in names]
    given = func.unnest(*arrays).table_valued(*names).render_derived(name="given")
    columns = {name: given.c[name] for name in names if name != key}
    return update(table).where(table.c[key] == given.c[key]).values(columns)


@lru_cache(maxsize=16)
def _keyed_update(table: Table, key: str, names: tuple[str, ...]) -> Update:
    """UPDATE table SET c = :c_, ... WHERE key = :key_, for the driver's executemany."""
    columns: dict[str, Any] = {name: bindparam(_param(name)) for name in names if name != key}
    return update(table).where(table.c[key] == bindparam(_param(key))).values(columns)


def _renamed(row: Mapping[str, Any]) -> dict[str, Any]:
    return {_param(name): value for name, value in row.items()}


def _param(column: str) -> str:
    """A column's parameter name: SQLAlchemy reserves the column's own for the value it sets."""
    return f"{column}_"
