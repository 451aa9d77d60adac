"""The dedupe index in the database: LSH band rows and exact-key rows, implementing `dedupe.index.Index`.

Lookups take a whole batch at once: one indexed `band_hash IN (...)` query for every band of every
item looked up, limited to the article window by publication time, so its cost follows the bucket sizes
inside the window, not the archive, and a harvest pays one round trip instead of one per item. Exact
keys (url, guid, content, document, service) are found the same way, by digest.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Connection,
    CursorResult,
    Delete,
    Executable,
    Insert,
    Select,
    String,
    Table,
    any_,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import TypeEngine
from sqlmodel import Session

from dedupe.fingerprint import U64
from hub.models import DedupeBand, DedupeKey, DedupeSketch

__all__ = ["INDEX_COLUMNS", "BandProbe", "IndexEntry", "SqlIndex", "index_rows", "insert_rows", "key_digest"]

# Item ids bound into one IN list when forgetting items: far below both databases' parameter limits.
_IN_CHUNK = 4096
# The columns of the rows `index_rows` makes, in order, by table model.
INDEX_COLUMNS: dict[type, tuple[str, ...]] = {
    DedupeBand: ("band_no", "band_hash", "item_id", "published_epoch"),
    DedupeKey: ("kind", "key", "item_id"),
    DedupeSketch: ("item_id", "signature", "shingle_count"),
}
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BandProbe:
    """One item's bands to look up; `around` bounds its candidates to the window (None: no bound)."""

    bands: Sequence[int]
    around: datetime | None = None


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the index keeps of one item: its bands (with the time that windows them), exact keys, and
    the signature and shingle count that screen it as a candidate."""

    item_id: int
    bands: Sequence[int]
    published: datetime | None
    keys: Sequence[tuple[str, str]] = ()
    signature: U64 | None = None
    shingle_count: int = 0


class SqlIndex:
    """`dedupe.index.Index` over `dedupe_band`, plus the exact keys over `dedupe_key`.

    `window` bounds the candidates by publication time around the item looked up (None: no bound, for
    content types whose copies may come years later, such as documents).
    """

    def __init__(self, session: Session, *, window: timedelta | None = None) -> None:
        self.session = session
        self.window = window

    def add(self, item_id: int, bands: Sequence[int], published: datetime | None = None) -> None:
        """Index the item under its bands; adding again replaces the earlier bands."""
        self.remove_bands([item_id])
        self.add_entries([IndexEntry(item_id, bands, published)])

    def add_entries(self, entries: Iterable[IndexEntry]) -> None:
        """Index items not indexed yet (new items: nothing to replace), one bulk insert per table."""
        connection = self.session.connection()
        for model, rows in index_rows(entries).items():
            insert_rows(connection, model, rows)

    def candidates(self, bands: Sequence[int], around: datetime | None = None) -> set[int]:
        """Items sharing at least one band, published within the window around `around` when given."""
        return self.candidates_of({0: BandProbe(bands, around)})[0]

    def candidates_of(self, probes: Mapping[T, BandProbe]) -> dict[T, set[int]]:
        """`candidates` of every probe, from one query."""
        wanted: defaultdict[tuple[int, int], list[T]] = defaultdict(list)
        for name, probe in probes.items():
            for band in enumerate(probe.bands):
                wanted[band].append(name)
        found: dict[T, set[int]] = {name: set() for name in probes}
        values = sorted({value for _, value in wanted})
        bounds = self._bounds([probe.around for probe in probes.values()])
        lookup = _band_lookup(self._postgresql, windowed=bool(bounds))
        arounds = {name: _epoch(probe.around) if probe.around else None for name, probe in probes.items()}
        reach = int(self.window.total_seconds()) if self.window is not None else None
        for band_no, value, item_id, published in self._lookup(lookup, values, bounds):
            for name in wanted.get((band_no, value), ()):
                around = arounds[name]
                if around is None or reach is None or abs(published - around) <= reach:
                    found[name].add(item_id)
        return found

    def remove(self, item_id: int) -> None:
        """Forget the item's bands and keys; unknown ids are fine."""
        self.remove_bands([item_id])
        self.remove_keys([item_id])

    def remove_bands(self, item_ids: Collection[int]) -> None:
        """Forget the items' bands and sketches (what their text gave), keeping their exact keys."""
        for chunk in _chunks(sorted(item_ids)):
            self._run(_forget(DedupeBand), {"forgotten": chunk})
            self._run(_forget(DedupeSketch), {"forgotten": chunk})

    def sketches(self, item_ids: Collection[int]) -> dict[int, tuple[U64, int]]:
        """Item id -> (MinHash signature, shingle count), for the items that have one."""
        found: dict[int, tuple[U64, int]] = {}
        for chunk in _chunks(sorted(item_ids)):
            for item_id, packed, count in self._run(_sketch_lookup(), {"wanted": chunk}):
                found[item_id] = (np.frombuffer(packed, dtype="<u4").astype(np.uint64), count)
        return found

    def remove_keys(self, item_ids: Collection[int]) -> None:
        for chunk in _chunks(sorted(item_ids)):
            self._run(_forget(DedupeKey), {"forgotten": chunk})

    def add_keys(self, item_id: int, keys: Iterable[tuple[str, str]]) -> None:
        """Index the item under its exact keys ((rung, key) pairs); adding again replaces them."""
        self.remove_keys([item_id])
        self.add_entries([IndexEntry(item_id, (), None, tuple(keys))])

    def find_keys(self, keys: Iterable[tuple[str, str]]) -> set[int]:
        """Items holding any of the exact keys."""
        return self.find_keys_of({0: keys})[0]

    def find_keys_of(self, wanted: Mapping[T, Iterable[tuple[str, str]]]) -> dict[T, set[int]]:
        """`find_keys` of every entry of `wanted`, from one query."""
        askers: defaultdict[tuple[str, str], list[T]] = defaultdict(list)
        for name, keys in wanted.items():
            for kind, key in keys:
                askers[(kind, key_digest(key))].append(name)
        found: dict[T, set[int]] = {name: set() for name in wanted}
        digests = sorted({digest for _, digest in askers})
        for kind, digest, item_id in self._lookup(_key_lookup(self._postgresql), digests):
            for name in askers.get((kind, digest), ()):
                found[name].add(item_id)
        return found

    def in_window(self, around: datetime | None, published: datetime) -> bool:
        """True when `published` lies within the window around `around` (always, without either)."""
        return around is None or self.window is None or abs(published - around) <= self.window

    def _bounds(self, arounds: Sequence[datetime | None]) -> dict[str, int]:
        """The span every probe's window lies in, so the query reads no bucket row outside it; {}
        when some probe has no window (documents, services) or the index has none."""
        if self.window is None or not arounds or None in arounds:
            return {}
        known = [around for around in arounds if around is not None]
        return {"since": _epoch(min(known) - self.window), "until": _epoch(max(known) + self.window)}

    def _lookup(
        self, statement: Select[Any], values: Sequence[object], params: Mapping[str, object] | None = None
    ) -> Iterator[Any]:
        if not values:
            return iter(())
        # One parameter holding every value: SQLite reads a JSON array, PostgreSQL an array.
        bound = list(values) if self._postgresql else json.dumps(values)
        return iter(self._run(statement, {"values": bound, **(params or {})}))

    @property
    def _postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _run(self, statement: Executable, params: Any) -> CursorResult[Any]:
        # Core on the session's connection (same transaction): the ORM layer costs more than these
        # index-backed statements themselves.
        return self.session.connection().execute(statement, params)


def index_rows(entries: Iterable[IndexEntry]) -> dict[type, list[tuple[object, ...]]]:
    """The band, key and sketch rows of the entries, by table model, as tuples of `INDEX_COLUMNS`."""
    rows: dict[type, list[tuple[object, ...]]] = {model: [] for model in INDEX_COLUMNS}
    for entry in entries:
        if entry.bands and entry.published is None:
            msg = "the SQL index needs the item's publication time to bound candidates by the window"
            raise ValueError(msg)
        item_id, epoch = entry.item_id, _epoch(entry.published) if entry.published else 0
        rows[DedupeBand] += ((no, int(value), item_id, epoch) for no, value in enumerate(entry.bands))
        rows[DedupeKey] += ((kind, key_digest(key), item_id) for kind, key in entry.keys)
        if entry.signature is not None and len(entry.signature):
            packed = entry.signature.astype("<u4").tobytes()  # values are 32-bit: half the bytes
            rows[DedupeSketch].append((item_id, packed, entry.shingle_count))
    return rows


def insert_rows(connection: Connection, model: type, rows: Sequence[tuple[object, ...]]) -> None:
    """Insert index rows (tuples of `INDEX_COLUMNS[model]`) with one driver call.

    A harvest of 50 items writes some 1,800 index rows; a Core insert builds and processes a parameter
    dictionary per row, which costs more than the database's own work. SQLite takes the tuples as they
    are (executemany); PostgreSQL one statement over a column array each (unnest).
    """
    if not rows:
        return
    names = INDEX_COLUMNS[model]
    if connection.dialect.name == "postgresql":
        columns = dict(zip(names, map(list, zip(*rows, strict=True)), strict=True))
        connection.execute(_unnest_insert(model), columns)
    else:
        connection.exec_driver_sql(_positional_insert(model), list(rows))


def key_digest(key: str) -> str:
    """Fixed-size digest of an exact key: URLs and document keys may exceed an index entry's size."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _chunks(values: Sequence[T]) -> Iterator[list[T]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield list(values[start : start + _IN_CHUNK])


# Statements are built once and reused with new parameters. Band keys mix in their band's number, so an
# index on the key alone finds every band of a batch with one lookup; the band number is still compared
# (in Python) so that the index answers exactly what `MemoryIndex` does for any keys it is given. The
# values travel as one parameter: an expanding IN list of thousands of parameters costs more to render
# than the lookup takes.
@lru_cache(maxsize=4)
def _band_lookup(postgresql: bool, *, windowed: bool) -> Select[Any]:
    table = _table(DedupeBand)
    columns = (table.c.band_no, table.c.band_hash, table.c.item_id, table.c.published_epoch)
    query = select(*columns).where(_one_of(table.c.band_hash, BigInteger(), postgresql=postgresql))
    if windowed:
        published = table.c.published_epoch
        query = query.where(published >= bindparam("since"), published <= bindparam("until"))
    return query


@lru_cache(maxsize=2)
def _key_lookup(postgresql: bool) -> Select[Any]:
    table = _table(DedupeKey)
    columns = (table.c.kind, table.c.key, table.c.item_id)
    return select(*columns).where(_one_of(table.c.key, String(), postgresql=postgresql))


def _one_of(
    column: ColumnElement[Any], item_type: TypeEngine[Any], *, postgresql: bool
) -> ColumnElement[bool]:
    """`column` equals one of the values bound as `values` (an index probe per value on both databases)."""
    if postgresql:
        return column == any_(bindparam("values", type_=ARRAY(item_type)))
    return column.in_(text("SELECT value FROM json_each(:values)").columns(column))


@lru_cache(maxsize=1)
def _sketch_lookup() -> Select[Any]:
    table = _table(DedupeSketch)
    columns = (table.c.item_id, table.c.signature, table.c.shingle_count)
    return select(*columns).where(table.c.item_id.in_(bindparam("wanted", expanding=True)))


@lru_cache(maxsize=4)
def _unnest_insert(model: type) -> Insert:
    """PostgreSQL: INSERT ... SELECT * FROM unnest(:column_1, ...), one array parameter per column."""
    table, names = _table(model), INDEX_COLUMNS[model]
    arrays = [bindparam(name, type_=ARRAY(table.c[name].type)) for name in names]
    return insert(table).from_select(names, select(literal_column("*")).select_from(func.unnest(*arrays)))


@lru_cache(maxsize=4)
def _positional_insert(model: type) -> str:
    """SQLite: INSERT ... VALUES (?, ...), in `INDEX_COLUMNS` order, for the driver's executemany."""
    table, names = _table(model), INDEX_COLUMNS[model]
    return str(insert(table).compile(dialect=sqlite.dialect(), column_keys=list(names)))


@lru_cache(maxsize=4)
def _forget(model: type) -> Delete:
    table = _table(model)
    return delete(table).where(table.c.item_id.in_(bindparam("forgotten", expanding=True)))


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]
