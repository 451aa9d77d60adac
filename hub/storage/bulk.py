"""Many values in one parameter, many rows in one statement, on either database.

Why: the story stage looks up a thousand-odd candidates and updates some fifty items and stories per
harvest. An IN list of a thousand parameters costs more to render, send and parse than the lookup
takes: the values travel as one parameter (an array's text form that PostgreSQL casts, a JSON array
SQLite reads with `json_each`). An executemany costs SQLite nothing (it runs in process), but on
PostgreSQL it is one statement per row on the server. There rows are inserted with one `COPY ... FROM
STDIN` (the server's bulk-load path, each row formatted by the driver's C code), or, when the new ids are
wanted, one `INSERT ... SELECT FROM unnest(...)`; updated with one `UPDATE ... FROM unnest(...)` over a
column array each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from numbers import Integral
from typing import Any

import psycopg
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Insert,
    Row,
    String,
    Table,
    Update,
    bindparam,
    cast,
    func,
    insert,
    literal_column,
    select,
    update,
)

__all__ = ["bound_values", "copy_rows", "insert_rows", "one_of", "update_rows"]


def one_of(column: ColumnElement[Any], *, postgresql: bool, name: str = "values") -> ColumnElement[bool]:
    """`column` equals one of the values bound as `name` (`bound_values`): an index probe per value
    on both databases, and one statement text whatever the number of values (an expanding IN list
    renders, and the server parses and plans, a new text for each count).

    On PostgreSQL the values are a set to join (`IN (SELECT unnest(...))`), not `= ANY(array)`: before
    the column has statistics (a new hub's first harvests) the planner took each value of an `ANY` to
    match one row in 200, so a batch of 600 seemed to match the whole table, which it then read, testing
    every row against every value."""
    if postgresql:
        return column.in_(select(func.unnest(cast(bindparam(name, type_=String), ARRAY(column.type)))))
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
    if postgresql and not returning:
        copy_rows(connection, table, names, [tuple(row[name] for name in names) for row in rows])
        return []
    statement = _insert(table, names, returning, postgresql=postgresql)
    if postgresql:
        result = connection.execute(statement, {name: [row[name] for row in rows] for name in names})
    else:
        result = connection.execute(statement, list(rows))
    return list(result) if returning else []


def copy_rows(
    connection: Connection, table: Table, names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """PostgreSQL: insert rows (tuples of the `names` columns' values) with one `COPY ... FROM STDIN` in
    the connection's transaction. Each value goes through its column type's bind processing first, as
    in any other statement (a naive time is refused, say).

    Why not an INSERT over unnest arrays: psycopg adapts each array element in Python and the server
    parses the arrays again; a harvest's sketch rows took about three times the client time that way
    (measured: 1.9 against 0.6 ms for 50 rows)."""
    names = tuple(names)
    processors = _bind_processors(table, names, connection.dialect)
    driver: psycopg.Connection[Any] = connection.connection.dbapi_connection  # type: ignore[assignment]
    with driver.cursor() as cursor, cursor.copy(_copy_statement(table, names, connection)) as copy:
        for row in rows:
            copy.write_row(_processed(row, processors) if processors else row)


def _copy_statement(table: Table, names: tuple[str, ...], connection: Connection) -> str:
    quote = connection.dialect.identifier_preparer
    return f"COPY {quote.format_table(table)} ({', '.join(map(quote.quote, names))}) FROM STDIN"


Processor = Callable[[Any], Any] | None


@lru_cache(maxsize=16)
def _bind_processors(table: Table, names: tuple[str, ...], dialect: Any) -> tuple[Processor, ...]:
    """Each column's bind processor (None where values go to the driver as they are); empty when none
    has one."""
    processors = tuple(table.c[name].type.bind_processor(dialect) for name in names)
    return processors if any(processors) else ()


def _processed(row: Sequence[Any], processors: tuple[Processor, ...]) -> list[Any]:
    pairs = zip(row, processors, strict=True)
    return [value if process is None else process(value) for value, process in pairs]


@lru_cache(maxsize=16)
def _insert(table: Table, names: tuple[str, ...], returning: tuple[str, ...], *, postgresql: bool) -> Insert:
    statement = _unnest_insert(table, names) if postgresql else insert(table)
    return statement.returning(*(table.c[name] for name in returning)) if returning else statement


@lru_cache(maxsize=16)
def _unnest_insert(table: Table, names: tuple[str, ...]) -> Insert:
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
