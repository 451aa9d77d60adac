"""The article window's band buckets: held in memory per process, kept current from `dedupe_sketch`.

Why not a band table: a band index in the database takes 32 rows per article at random places of one
B-tree, so a harvest of 50 articles dirtied some 1,800 pages, and on SQLite writing them cost more than
the whole stage did at a million articles. Articles are candidates of each other only inside the window,
so the buckets a lookup needs are those of the window's articles: each process keeps them in a
`dedupe.bandmap.BandMap` (about 450 bytes an article, two windows of articles), loaded once from
`dedupe_sketch` and brought up to date before every lookup by reading the rows added since (`seq` only
grows). The database stays the record: a new process, or one that finds the index rebuilt, loads it again.

What the memory holds: every article published since `floor`, two windows before the newest one (or
now, if that is earlier). A probe whose window reaches before `floor` (an old article harvested late) is
answered from the database: the sketches published around it are read and bucketed for that lookup.

Consistency: lookups run inside the story stage, under its lock (`hub.storage.stories.lock_stories`), so
no other process appends sketches meanwhile. A process notices that its memory no longer matches the
database when the generation token changed (`reindex`, `SqlIndex.remove`, emptied tables) or the last
row it read is gone or another (SQLite reuses `seq` values after a rollback), and then loads anew.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, bindparam, func, insert, select

from dedupe.bandmap import I64, BandHits, BandMap
from hub.models import DedupeGeneration, DedupeSketch, table_of

__all__ = ["WindowBands", "bump_generation", "drop_windows", "window_of"]

# Databases whose window one process keeps at once (a hub uses one; tests use many in turn).
_KEPT_WINDOWS = 4
# The window held in memory reaches this many windows back from the newest article: a harvest's articles
# are mostly recent, and one published up to a window before the newest is still answered from memory.
_WINDOWS_HELD = 2
_CHUNK_ROWS = 65_536  # sketch rows read and bucketed at a time (loading, catching up)
_SKETCH = table_of(DedupeSketch)
_GENERATION = table_of(DedupeGeneration)
_TOKEN = select(_GENERATION.c.token).where(_GENERATION.c.id == 1)  # read before every lookup: built once
_ROW_COLUMNS = (_SKETCH.c.seq, _SKETCH.c.item_id, _SKETCH.c.published_epoch, _SKETCH.c.bands)
# `rows` sketch rows from `start` on (the last row read, or 0), articles' and others', for `_catch_up`.
_APPENDED = (
    select(*_ROW_COLUMNS)
    .where(_SKETCH.c.seq >= bindparam("start"))
    .order_by(_SKETCH.c.seq)
    .limit(bindparam("rows"))
)


class WindowBands:
    """One database's window of article bands in this process."""

    def __init__(self) -> None:
        self.bands = BandMap()
        self.floor: int | None = None  # articles published before this are not held (None: all are)
        self._token: str | None = None
        self._last: tuple[int, int] | None = None  # (seq, item id) of the last row read
        self._newest: int | None = None  # publication of the newest article read, seconds since 1970
        self._lock = threading.Lock()

    def candidates(
        self, connection: Connection, bands: I64, arounds: I64, reach: int, *, now: int
    ) -> list[set[int]]:
        """Per probe (row of `bands`, published at `arounds[i]`): the articles sharing a band with it and
        published within `reach` seconds of it."""
        found: list[set[int]] = [set() for _ in range(len(arounds))]
        if not len(arounds):
            return found
        with self._lock:
            self._refresh(connection, now=now, reach=reach)
            held = np.ones(len(arounds), dtype=bool) if self.floor is None else arounds - reach >= self.floor
            _collect(found, np.flatnonzero(held), self.bands.lookup(bands[held]), arounds, reach)
        late = np.flatnonzero(~held)
        for group in _groups(late, arounds, reach):
            earlier = BandMap()
            since, until = int(arounds[group].min()) - reach, int(arounds[group].max()) + reach
            for rows in _read(connection, _SKETCH.c.published_epoch.between(since, until)):
                _add_rows(earlier, rows)
            _collect(found, group, earlier.lookup(bands[group]), arounds, reach)
        return found

    def _refresh(self, connection: Connection, *, now: int, reach: int) -> None:
        token = _token(connection)
        if token != self._token or not self._catch_up(connection):
            self._load(connection, token, now=now, reach=reach)
        self._advance(now=now, reach=reach)

    def _load(self, connection: Connection, token: str, *, now: int, reach: int) -> None:
        """Everything published since two windows before the newest article (or now)."""
        self.bands, self._token, self._last, self._newest = BandMap(), token, None, None
        newest = connection.execute(select(func.max(_SKETCH.c.published_epoch))).scalar()
        self.floor = None if newest is None else min(int(newest), now) - _WINDOWS_HELD * reach
        last = connection.execute(select(func.max(_SKETCH.c.seq))).scalar()
        if last is None:
            return
        condition = _SKETCH.c.seq <= last
        if self.floor is not None:
            condition &= _SKETCH.c.published_epoch >= self.floor
        for rows in _read(connection, condition):
            self._note_newest(_add_rows(self.bands, rows))
        item = connection.execute(select(_SKETCH.c.item_id).where(_SKETCH.c.seq == last)).scalar()
        self._last = (int(last), int(item)) if item is not None else None

    def _catch_up(self, connection: Connection) -> bool:
        """Read the rows appended since the last one read: new articles, and new sketches of known items
        (which replace their earlier bands, or remove them when the item is no longer an article).
        False, having read nothing, when the last row read is gone or another (SQLite reuses `seq`
        values after a rollback): the caller loads anew.

        Runs before every lookup, so it costs one plain query when few rows came (a server-side cursor,
        as loading uses, takes several round trips): each query starts at the last row read, which
        checks it and carries on from it, a chunk at a time."""
        floor = self.floor if self.floor is not None else np.iinfo(np.int64).min
        while True:
            start = self._last[0] if self._last else 0
            rows = connection.execute(_APPENDED, {"start": start, "rows": _CHUNK_ROWS + 1}).all()
            if self._last is not None:
                if not rows or (rows[0].seq, rows[0].item_id) != self._last:
                    return False
                rows = rows[1:]
            if not rows:
                return True
            self._last = (int(rows[-1].seq), int(rows[-1].item_id))
            self.bands.discard([row.item_id for row in rows])
            held = [row for row in rows if row.bands is not None and row.published_epoch >= floor]
            self._note_newest(_add_rows(self.bands, held))
            if len(rows) < _CHUNK_ROWS:
                return True

    def _advance(self, *, now: int, reach: int) -> None:
        """Move the floor forward a window at a time as newer articles arrive, forgetting older ones."""
        if self._newest is None:
            return
        floor = min(self._newest, now) - _WINDOWS_HELD * reach
        if self.floor is None or floor >= self.floor + reach:
            self.floor = floor
            self.bands.evict_before(floor)

    def _note_newest(self, newest: int | None) -> None:
        if newest is not None and (self._newest is None or newest > self._newest):
            self._newest = newest


def window_of(connection: Connection) -> WindowBands:
    """This process's window of the database behind `connection`."""
    name = connection.engine.url.render_as_string(hide_password=True)
    with _REGISTRY_LOCK:
        window = _WINDOWS.pop(name, None) or WindowBands()
        _WINDOWS[name] = window
        while len(_WINDOWS) > _KEPT_WINDOWS:
            _WINDOWS.popitem(last=False)
    return window


def drop_windows() -> None:
    """Forget every window this process holds, as a process that just started has none."""
    with _REGISTRY_LOCK:
        _WINDOWS.clear()


def bump_generation(connection: Connection) -> None:
    """Tell every process to reload its window (after sketches were deleted for good, not replaced)."""
    connection.execute(_GENERATION.delete())


_WINDOWS: OrderedDict[str, WindowBands] = OrderedDict()
_REGISTRY_LOCK = threading.Lock()


def _token(connection: Connection) -> str:
    """The generation token, made on first use (after a rebuild, or in a new database)."""
    token = connection.execute(_TOKEN).scalar()
    if token is None:
        token = uuid.uuid4().hex
        connection.execute(insert(_GENERATION).values(id=1, token=token))
    return str(token)


def _read(connection: Connection, condition: Any) -> Iterator[Sequence[Any]]:
    """Article sketch rows (seq, item id, publication, bands) in order of seq, a chunk at a time:
    loading a million articles holds one chunk's rows in memory, not a million."""
    query = select(*_ROW_COLUMNS).where(condition, _SKETCH.c.bands.is_not(None))
    # yield_per streams (a server-side cursor on PostgreSQL) instead of fetching every row first.
    ordered = query.order_by(_SKETCH.c.seq).execution_options(yield_per=_CHUNK_ROWS)
    yield from connection.execute(ordered).partitions()


def _add_rows(bands: BandMap, rows: Sequence[Any]) -> int | None:
    """Bucket the rows' bands (grouped by band count: settings may differ between rows); returns the
    newest publication among them (None: no rows)."""
    by_width: dict[int, list[Any]] = {}
    for row in rows:
        by_width.setdefault(len(row.bands), []).append(row)
    newest: int | None = None
    for group in by_width.values():
        ids = np.fromiter((row.item_id for row in group), dtype=np.int64, count=len(group))
        epochs = np.fromiter((row.published_epoch for row in group), dtype=np.int64, count=len(group))
        keys = np.frombuffer(b"".join(row.bands for row in group), dtype="<i8").reshape(len(group), -1)
        bands.add(ids, epochs, keys)
        top = int(epochs.max())
        newest = top if newest is None else max(newest, top)
    return newest


def _collect(found: list[set[int]], probes: I64, hits: BandHits, arounds: I64, reach: int) -> None:
    """Add the hits inside each probe's window to its set; `hits.probe` indexes `probes`."""
    owners = probes[hits.probe]
    inside = np.abs(hits.epoch - arounds[owners]) <= reach
    for owner, item_id in zip(owners[inside].tolist(), hits.item_id[inside].tolist(), strict=True):
        found[owner].add(item_id)


def _groups(probes: I64, arounds: I64, reach: int) -> Iterable[I64]:
    """Probes answered from the database, in groups spanning at most a few windows, so that one read
    holds a bounded number of sketches however far apart the late articles are."""
    ordered = probes[np.argsort(arounds[probes], kind="stable")]
    start = 0
    for end in range(1, len(ordered) + 1):
        if end == len(ordered) or arounds[ordered[end]] - arounds[ordered[start]] > 2 * reach:
            yield ordered[start:end]
            start = end
