"""The dedupe index in the database: sketches, LSH bands and exact keys, implementing `dedupe.index.Index`.

Two kinds of items: articles are candidates of each other only inside the window; documents and services
whenever they were published. An article's bands ride in its appended `dedupe_sketch` row and are looked
up in the window this process holds in memory (`hub.storage.dedupe_window`): a harvest's band writes are
appends, and its band lookups do not grow with the archive. Other items' bands are rows of `dedupe_band`,
found by one indexed `band_hash IN (...)` query for a whole batch. Exact keys (url, guid, content,
document, service) are found the same way, by digest, whenever they were stored.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import CursorResult, Executable, Select
from sqlmodel import Session

from dedupe.fingerprint import U64
from hub.models import DedupeBand, DedupeKey, DedupeSketch
from hub.storage import dedupe_sql
from hub.storage.bulk import bound_values
from hub.storage.dedupe_sql import INDEX_COLUMNS, insert_index_rows
from hub.storage.dedupe_window import bump_generation, window_of

__all__ = ["BandProbe", "IndexEntry", "SqlIndex", "index_rows", "key_digest"]

# Item ids bound into one IN list when forgetting items: far below both databases' parameter limits.
_IN_CHUNK = 4096
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BandProbe:
    """One item's bands to look up; `around`: an article's publication, whose candidates are the articles
    inside the window around it (None: an item whose candidates are found at any time)."""

    bands: Sequence[int]
    around: datetime | None = None


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the index keeps of one item: its bands (with the time that windows them), exact keys, and
    the signature and shingle count that screen it as a candidate. `windowed`: an article, a candidate
    only of articles published within the window of it."""

    item_id: int
    bands: Sequence[int]
    published: datetime | None
    keys: Sequence[tuple[str, str]] = ()
    signature: U64 | None = None
    shingle_count: int = 0
    windowed: bool = False


class SqlIndex:
    """`dedupe.index.Index` over `dedupe_sketch` (articles, through the window in memory) and `dedupe_band`
    (documents and services), plus the exact keys over `dedupe_key`.

    `window` bounds windowed candidates (articles) by publication time around the item looked up; with
    None the index serves only items found at any time (documents and services, whose copies may come
    years later), as `reindex` uses it.
    """

    def __init__(self, session: Session, *, window: timedelta | None = None) -> None:
        self.session = session
        self.window = window

    def add(self, item_id: int, bands: Sequence[int], published: datetime | None = None) -> None:
        """Index the item under its bands: with its publication time as an article, found inside the
        window; without, found at any time. Adding again replaces the earlier bands."""
        self.remove_bands([item_id])
        self.add_entries([IndexEntry(item_id, bands, published, windowed=published is not None)])

    def add_entries(self, entries: Iterable[IndexEntry]) -> None:
        """Index items not indexed yet (new items: nothing to replace), one bulk insert per table."""
        connection = self.session.connection()
        for model, rows in index_rows(entries).items():
            insert_index_rows(connection, model, rows)

    def candidates(self, bands: Sequence[int], around: datetime | None = None) -> set[int]:
        """Items sharing at least one band, published within the window around `around` when given."""
        return self.candidates_of({0: BandProbe(bands, around)})[0]

    def candidates_of(self, probes: Mapping[T, BandProbe]) -> dict[T, set[int]]:
        """`candidates` of every probe: articles from the window in memory, the others from one query."""
        found: dict[T, set[int]] = {name: set() for name in probes}
        windowed = {
            name: (probe.bands, _epoch(probe.around))
            for name, probe in probes.items()
            if probe.around is not None and self.window is not None
        }
        self._window_candidates(windowed, found)
        wanted: defaultdict[tuple[int, int], list[T]] = defaultdict(list)
        for name, probe in probes.items():
            if name not in windowed:
                for band in enumerate(probe.bands):
                    wanted[band].append(name)
        values = sorted({value for _, value in wanted})
        lookup = dedupe_sql.band_lookup(self._postgresql)
        for band_no, value, item_id in self._lookup(lookup, values):
            for name in wanted.get((band_no, value), ()):
                found[name].add(item_id)
        return found

    def _window_candidates(
        self, probes: Mapping[T, tuple[Sequence[int], int]], found: dict[T, set[int]]
    ) -> None:
        """Articles sharing a band, published within the window; probes (bands, publication epoch)
        grouped by band count."""
        if self.window is None:
            return
        by_width: defaultdict[int, list[T]] = defaultdict(list)
        for name, (keys, _) in probes.items():
            if keys:
                by_width[len(keys)].append(name)
        connection = self.session.connection()
        window, reach, now = window_of(connection), int(self.window.total_seconds()), int(time.time())
        for names in by_width.values():
            bands = np.array([probes[name][0] for name in names], dtype=np.int64)
            arounds = np.array([probes[name][1] for name in names], dtype=np.int64)
            answers = window.candidates(connection, bands, arounds, reach, now=now)
            for name, items in zip(names, answers, strict=True):
                found[name] |= items

    def remove(self, item_id: int) -> None:
        """Forget the item's bands and keys; unknown ids are fine. Processes reload their window (a
        sketch deleted for good leaves no row for them to read)."""
        self.remove_bands([item_id])
        self.remove_keys([item_id])
        bump_generation(self.session.connection())

    def remove_bands(self, item_ids: Collection[int]) -> None:
        """Forget the items' bands and sketches (what their text gave), keeping their exact keys; to be
        followed by their new entries (`add_entries`), which replace their bands in every window."""
        for chunk in _chunks(sorted(item_ids)):
            self._run(dedupe_sql.forget(DedupeBand), {"forgotten": chunk})
            self._run(dedupe_sql.forget(DedupeSketch), {"forgotten": chunk})

    def sketches(self, item_ids: Collection[int]) -> dict[int, tuple[U64, int]]:
        """Item id -> (MinHash signature, shingle count), for the items that have one."""
        found: dict[int, tuple[U64, int]] = {}
        for row in self._lookup(dedupe_sql.sketch_lookup(self._postgresql), sorted(item_ids)):
            if row.signature:
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

    def _lookup(self, statement: Select[Any], values: Sequence[int | str]) -> Iterator[Any]:
        if not values:
            return iter(())
        return iter(self._run(statement, {"values": bound_values(values, postgresql=self._postgresql)}))

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
        item_id, epoch = entry.item_id, _epoch(entry.published) if entry.published else 0
        rows[DedupeKey] += ((kind, key_digest(key), item_id) for kind, key in entry.keys)
        signature = entry.signature if entry.signature is not None and len(entry.signature) else None
        # Signature values are 32-bit: half the bytes. b"": none (an article indexed by its bands alone).
        packed = signature.astype("<u4").tobytes() if signature is not None else b""
        if entry.windowed and entry.bands:
            if entry.published is None:
                msg = "an article's bands need its publication time: the window is measured from it"
                raise ValueError(msg)
            bands = np.asarray(entry.bands, dtype="<i8").tobytes()
            rows[DedupeSketch].append((item_id, epoch, bands, packed, entry.shingle_count))
            continue
        rows[DedupeBand] += ((no, int(value), item_id, epoch) for no, value in enumerate(entry.bands))
        if signature is not None:
            rows[DedupeSketch].append((item_id, None, None, packed, entry.shingle_count))
    return rows


@lru_cache(maxsize=4096)  # a harvest's keys are digested to look them up, then to store them
def key_digest(key: str) -> str:
    """Fixed-size digest of an exact key: URLs and document keys may exceed an index entry's size."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _chunks(values: Sequence[T]) -> Iterator[list[T]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield list(values[start : start + _IN_CHUNK])
