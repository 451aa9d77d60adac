"""Many values in one parameter, many rows in one statement, on either database.

Why: the story stage looks up a thousand-odd candidates and updates some fifty items and stories per
harvest. An IN list of a thousand parameters costs more to render, send and parse than the lookup
takes: the values travel as one parameter (an array on PostgreSQL, a JSON array SQLite reads with
`json_each`). An executemany costs SQLite nothing (it runs in process), but on PostgreSQL it is one
statement per row on the server; one `INSERT ... SELECT FROM unnest(...)` or `UPDATE ... FROM
unnest(...)` over a column array each does them all at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Insert,
    Table,
    Update,
    any_,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)

__all__ = ["bound_values", "insert_rows", "one_of", "unnest_insert", "update_rows"]


def one_of(column: ColumnElement[Any], *, postgresql: bool) -> ColumnElement[bool]:
    """`column` equals one of the values bound as `values` (`bound_values`): an index probe per value
    on both databases."""
    if postgresql:
        return column == any_(bindparam("values", type_=ARRAY(column.type)))
    return column.in_(text("SELECT value FROM json_each(:values)").columns(column))


def bound_values(values: Iterable[object], *, postgresql: bool) -> object:
    """The parameter of `one_of` holding `values`."""
    return list(values) if postgresql else json.dumps(list(values))


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows that all name the same columns."""
    if not rows:
        return
    names = tuple(rows[0])
    if connection.dialect.name == "postgresql":
        connection.execute(unnest_insert(table, names), {name: [row[name] for row in rows] for name in names})
    else:
        connection.execute(insert(table), list(rows))


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
