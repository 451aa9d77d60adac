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
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import CursorResult, Executable, Select
from sqlmodel import Session

from dedupe.fingerprint import U64
from hub.models import DedupeBand, DedupeKey, DedupeSketch
from hub.storage import dedupe_sql
from hub.storage.dedupe_sql import INDEX_COLUMNS, insert_rows

__all__ = ["BandProbe", "IndexEntry", "SqlIndex", "index_rows", "key_digest"]

# Item ids bound into one IN list when forgetting items: far below both databases' parameter limits.
_IN_CHUNK = 4096
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
        lookup = dedupe_sql.band_lookup(self._postgresql, windowed=bool(bounds))
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
            self._run(dedupe_sql.forget(DedupeBand), {"forgotten": chunk})
            self._run(dedupe_sql.forget(DedupeSketch), {"forgotten": chunk})

    def sketches(self, item_ids: Collection[int]) -> dict[int, tuple[U64, int]]:
        """Item id -> (MinHash signature, shingle count), for the items that have one."""
        found: dict[int, tuple[U64, int]] = {}
        for chunk in _chunks(sorted(item_ids)):
            for row in self._run(dedupe_sql.sketch_lookup(), {"wanted": chunk}):
                signature = np.frombuffer(row.signature, dtype="<u4").astype(np.uint64)
                found[row.item_id] = (signature, row.shingle_count)
        return found

    def remove_keys(self, item_ids: Collection[int]) -> None:
        for chunk in _chunks(sorted(item_ids)):
            self._run(dedupe_sql.forget(DedupeKey), {"forgotten": chunk})

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
        for kind, digest, item_id in self._lookup(dedupe_sql.key_lookup(self._postgresql), digests):
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


def key_digest(key: str) -> str:
    """Fixed-size digest of an exact key: URLs and document keys may exceed an index entry's size."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _chunks(values: Sequence[T]) -> Iterator[list[T]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield list(values[start : start + _IN_CHUNK])
