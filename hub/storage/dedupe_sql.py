"""The dedupe index's SQL: its statements, built once per database kind and reused with new parameters,
and its rows written in bulk. `hub.storage.dedupe_index` says what is looked up and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Delete,
    Select,
    bindparam,
    delete,
    insert,
    select,
)
from sqlalchemy.dialects import sqlite

from hub.models import DedupeBand, DedupeKey, DedupeSketch, table_of
from hub.storage.bulk import copy_rows, one_of

__all__ = [
    "INDEX_COLUMNS",
    "band_lookup",
    "forget",
    "insert_index_rows",
    "key_lookup",
    "sketch_lookup",
]

# The columns of the rows `index_rows` makes, in order, by table model.
INDEX_COLUMNS: dict[type, tuple[str, ...]] = {
    DedupeBand: ("band_no", "band_hash", "item_id", "published_epoch"),
    DedupeKey: ("kind", "key", "item_id"),
    DedupeSketch: ("item_id", "published_epoch", "bands", "signature", "shingle_count"),
}


def insert_index_rows(connection: Connection, model: type, rows: Sequence[tuple[object, ...]]) -> None:
    """Insert index rows (tuples of `INDEX_COLUMNS[model]`) with one driver call.

    A harvest of 50 items writes some 1,800 index rows; a Core insert builds and processes a parameter
    dictionary per row, which costs more than the database's own work. SQLite takes the tuples as they
    are (executemany); PostgreSQL a COPY (`hub.storage.bulk.copy_rows`).
    """
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        copy_rows(connection, table_of(model), INDEX_COLUMNS[model], rows)
    else:
        connection.exec_driver_sql(_positional_insert(model), list(rows))


# Statements are built once and reused with new parameters. Band keys mix in their band's number, so an
# index on the key alone finds every band of a batch with one lookup; the band number is still compared
# (in Python) so that the index answers exactly what `MemoryIndex` does for any keys it is given. The
# values travel as one parameter: an expanding IN list of thousands of parameters costs more to render
# than the lookup takes.
@lru_cache(maxsize=2)
def band_lookup(postgresql: bool) -> Select[Any]:
    table = table_of(DedupeBand)
    columns = (table.c.band_no, table.c.band_hash, table.c.item_id)
    return select(*columns).where(one_of(table.c.band_hash, postgresql=postgresql))


@lru_cache(maxsize=2)
def key_lookup(postgresql: bool) -> Select[Any]:
    table = table_of(DedupeKey)
    columns = (table.c.kind, table.c.key, table.c.item_id)
    return select(*columns).where(one_of(table.c.key, postgresql=postgresql))


@lru_cache(maxsize=2)
def sketch_lookup(postgresql: bool) -> Select[Any]:
    table = table_of(DedupeSketch)
    columns = (table.c.item_id, table.c.signature, table.c.shingle_count)
    return select(*columns).where(one_of(table.c.item_id, postgresql=postgresql))


@lru_cache(maxsize=4)
def _positional_insert(model: type) -> str:
    """SQLite: INSERT ... VALUES (?, ...), in `INDEX_COLUMNS` order, for the driver's executemany."""
    table, names = table_of(model), INDEX_COLUMNS[model]
    return str(insert(table).compile(dialect=sqlite.dialect(), column_keys=list(names)))


@lru_cache(maxsize=4)
def forget(model: type) -> Delete:
    table = table_of(model)
    return delete(table).where(table.c.item_id.in_(bindparam("forgotten", expanding=True)))
