"""Band buckets of many items in numpy arrays: band keys in, (item id, publication time) of every item
sharing a band out.

A dictionary of sets (`MemoryIndex`, or an in-memory MinHashLSH) costs about 100 bytes per (band, item)
pair: some 3 GB for a million items of 32 bands. Here a pair costs about 13 bytes in the base, its
(mixed) band key, a 32-bit slot naming the item and its share of a directory, and 16 to 32 bytes in the
table, which holds a sixteenth of them at most (plus 17 bytes per item, and 8 per item id up to the
highest). Keys are mixed so their top bits are uniform. Pairs live in a base and a table (and a small
overflow), each looked up in one pass or two whatever the size, so that a lookup in a million items
costs about what it costs in a hundred thousand (the sorted runs of a log-structured merge, one more for
every doubling, would each add a pass):

- the base: one run sorted by key, with where every top-bits bucket starts; a lookup reads a directory
  entry and a bucket of about four keys.
- the recent pairs: an open-addressing table of eight-key buckets (one cache line each), where adding a
  harvest's pairs costs the same whatever the map holds; a lookup reads a key's bucket and at most the
  next. Pairs finding no room in either (a band key that many articles share) go to a small sorted
  overflow run.

Once the recent pairs reach a sixteenth of the base, they are sorted and merged into the base in place,
a chunk at a time from the end, so that neither the merge nor the base's growth (a `realloc`, which
remaps large blocks without copying) needs room for a second base.

An item added again replaces its earlier bands; items published before `evict_before`'s bound leave at
once. Pairs of items gone leave the base at its next merge. Memory follows the items kept, not the
history added.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["BandHits", "BandMap"]

I64 = npt.NDArray[np.int64]
U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
_Array = TypeVar("_Array", U32, U64)
# Mixed into each key with its band's number, so equal values in two bands are different keys even when
# the keys were not made by `fingerprint.band_keys` (which mixes the number in already).
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)
# MurmurHash3's finaliser constants: a bijection of 64-bit values whose top bits are uniform for any input.
_MUR1, _MUR2, _SHIFT = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33)
_KEYS_PER_BUCKET = 4  # the base's directory has a bucket per this many pairs (a power of two near it)
_NO_SLOT = -1
_NO_PAIRS = (np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint32))
# The recent pairs join the base once they are this share of it: each merge rewrites the base, so a
# larger share rewrites it less often, and holds more pairs in the (less compact) table.
_RECENT_SHARE = 16
_RECENT_LEAST = 1 << 16  # pairs the table takes at least (some 2,000 articles of 32 bands)
_BUCKET_KEYS = 8  # a table bucket: eight 64-bit keys, one cache line
_TABLE_LOAD = 0.75  # the table's buckets are at most this full on average when it is merged
# The overflow (pairs finding no room in their bucket or the next: a band key many articles share fills
# both) is sorted anew at each harvest, so it is merged into the base once it is this share of the table.
_OVERFLOW_SHARE = 8
# Pairs moved at a time when the base is rewritten in place: the extra memory of a merge, a pruning or a
# directory (12 MB), whatever the base holds.
_CHUNK_PAIRS = 1 << 20
_GROWTH = 8  # the base's arrays grow by an eighth at least (and shrink when less than half is used)


@dataclass(frozen=True, slots=True)
class BandHits:
    """Every (probe, item) pair sharing a band: `probe[i]` is the row of the looked-up bands whose band
    was shared by item `item_id[i]`, published at `epoch[i]` (seconds since 1970)."""

    probe: I64
    item_id: I64
    epoch: I64


@dataclass(slots=True)
class _Run:
    """Pairs sorted by mixed key, the first `size` of `keys` and `slots` (the base's arrays have room to
    grow); `starts[b]` is the first pair whose key's top bits are `b` or more."""

    keys: U64
    slots: U32
    starts: U32
    shift: np.uint64

    @classmethod
    def of(cls, keys: U64, slots: U32, size: int | None = None) -> _Run:
        return cls(keys, slots, *_directory(keys, len(keys) if size is None else size))

    @property
    def size(self) -> int:
        return int(self.starts[-1])


@dataclass(slots=True)
class _Recent:
    """Pairs added since the last merge, in an open-addressing table: a pair goes to its key's bucket
    (top bits) or, when that is full, the next one, which is then marked as holding spilled pairs; a
    lookup reads a key's bucket and, if marked, the next. Two reads at most, however the keys cluster:
    a pair finding no room in either goes back to the caller."""

    keys: U64  # bucket b holds keys[b * _BUCKET_KEYS : b * _BUCKET_KEYS + fill[b]]
    slots: U32
    fill: npt.NDArray[np.uint8]
    spilled: npt.NDArray[np.bool_]  # some pair of this bucket went to the next
    shift: np.uint64
    capacity: int  # pairs it takes before being merged into the base
    size: int = 0

    @classmethod
    def sized(cls, capacity: int) -> _Recent:
        buckets = 1 << max(0, int(capacity / (_BUCKET_KEYS * _TABLE_LOAD)) - 1).bit_length()
        entries = (buckets + 1) * _BUCKET_KEYS  # one bucket more, for the last one's spills
        fill = np.zeros(buckets + 1, dtype=np.uint8)
        spilled = np.zeros(buckets + 1, dtype=bool)
        shift = np.uint64(64 - (buckets.bit_length() - 1))
        return cls(np.empty(entries, np.uint64), np.empty(entries, np.uint32), fill, spilled, shift, capacity)

    @property
    def nbytes(self) -> int:
        return sum(array.nbytes for array in (self.keys, self.slots, self.fill, self.spilled))

    def insert(self, keys: U64, slots: U32) -> tuple[U64, U32]:
        """Place the pairs in their buckets, then what did not fit in the next ones; returns the pairs
        that found room in neither."""
        at = self._homes(keys)
        pending = np.arange(len(keys))
        for spill in (False, True):
            if not len(pending):
                break
            order = np.argsort(at[pending], kind="stable")
            pending = pending[order]
            buckets = at[pending]
            starts = np.flatnonzero(np.r_[True, buckets[1:] != buckets[:-1]])
            rank = np.arange(len(buckets)) - np.repeat(starts, np.diff(np.r_[starts, len(buckets)]))
            fits = rank < _BUCKET_KEYS - self.fill[buckets]
            placed = buckets[fits]
            where = placed * _BUCKET_KEYS + self.fill[placed] + rank[fits]
            self.keys[where], self.slots[where] = keys[pending[fits]], slots[pending[fits]]
            taken, counts = np.unique(placed, return_counts=True)
            self.fill[taken] += counts.astype(np.uint8)
            self.size += len(placed)
            pending = pending[~fits]
            if not spill:
                self.spilled[at[pending]] = True
                at[pending] += 1
        return keys[pending], slots[pending]

    def matches(self, keys: U64) -> Iterator[tuple[I64, U32]]:
        """(index into `keys`, slot) of every pair held whose key equals a looked-up key."""
        at = self._homes(keys)
        active = np.arange(len(keys))
        table = self.keys.reshape(-1, _BUCKET_KEYS)
        columns = np.arange(_BUCKET_KEYS, dtype=np.uint8)
        for spill in (False, True):
            buckets = at[active]
            equal = (table[buckets] == keys[active, None]) & (columns < self.fill[buckets, None])
            rows, cols = np.nonzero(equal)
            if len(rows):
                yield active[rows], self.slots[buckets[rows] * _BUCKET_KEYS + cols]
            if spill:
                return
            active = active[self.spilled[buckets]]
            at[active] += 1

    def pairs(self) -> tuple[U64, U32]:
        """Every pair held, in no order."""
        used = np.arange(_BUCKET_KEYS, dtype=np.uint8) < self.fill[:, None]
        return self.keys.reshape(-1, _BUCKET_KEYS)[used], self.slots.reshape(-1, _BUCKET_KEYS)[used]

    def _homes(self, keys: U64) -> I64:
        return (keys >> self.shift).astype(np.int64)


class BandMap:
    """Band keys of items, looked up a batch at a time."""

    def __init__(self) -> None:
        self._base: _Run | None = None
        self._recent = _Recent.sized(_RECENT_LEAST)
        self._overflow: _Run | None = None  # recent pairs the table had no room for
        self._item = np.empty(0, dtype=np.int64)  # slot -> item id
        self._epoch = np.empty(0, dtype=np.int64)  # slot -> publication, seconds since 1970
        self._live = np.empty(0, dtype=bool)  # slot -> still the item's current bands
        self._used = 0  # slots handed out
        self._slot_of = np.empty(0, dtype=np.int64)  # item id -> its current slot, or -1
        self._floor: int | None = None  # items published before this are gone
        self._dropped = 0  # items dropped since the base was last pruned (pairs there may be dead)

    def __len__(self) -> int:
        """Items held."""
        return int(np.count_nonzero(self._live[: self._used]))

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (the base with its room to grow and its directory, the table,
        slots, item ids)."""
        runs = sum(run.keys.nbytes + run.slots.nbytes + run.starts.nbytes for run in self._runs)
        slots = self._item.nbytes + self._epoch.nbytes + self._live.nbytes + self._slot_of.nbytes
        return runs + self._recent.nbytes + slots

    @property
    def pairs(self) -> int:
        """(band, item) pairs held, dead ones included until the base's next merge."""
        return sum(run.size for run in self._runs) + self._recent.size

    def _overflow_pairs(self) -> list[tuple[U64, U32]]:
        """The overflow's pairs, as a list to join with others (empty when there is none)."""
        return [] if self._overflow is None else [_pairs_of(self._overflow)]

    @property
    def _runs(self) -> list[_Run]:
        return [run for run in (self._base, self._overflow) if run is not None]

    def add(self, item_ids: Sequence[int] | I64, epochs: Sequence[int] | I64, bands: I64) -> None:
        """Add items: `bands[i]` holds the band keys of `item_ids[i]`, published at `epochs[i]`."""
        ids = np.asarray(item_ids, dtype=np.int64)
        if not len(ids):
            return
        if ids.min() < 0:
            msg = "item ids are database ids: zero or more"
            raise ValueError(msg)
        matrix = np.asarray(bands, dtype=np.int64).reshape(len(ids), -1)
        first = self._grow(len(ids))
        slots = np.arange(first, first + len(ids), dtype=np.uint32)
        self._item[slots] = ids
        self._epoch[slots] = np.asarray(epochs, dtype=np.int64)
        self.discard(ids)
        self._ensure_ids(int(ids.max()))
        self._slot_of[ids] = slots  # an id given twice keeps its last bands
        self._live[slots] = kept = self._slot_of[ids] == slots
        self._dropped += len(ids) - int(np.count_nonzero(kept))
        keys, pair_slots = _mixed(matrix).reshape(-1), np.repeat(slots, matrix.shape[1])
        if self._recent.size + len(keys) > self._recent.capacity:  # a window's load comes this way
            self._merge_recent(keys, pair_slots)
            return
        left = self._recent.insert(keys, pair_slots)
        if len(left[0]):
            self._overflow = _sorted(*_joined([*self._overflow_pairs(), left]))
        overflow = 0 if self._overflow is None else self._overflow.size
        full = self._recent.size + overflow >= self._recent.capacity
        if full or overflow * _OVERFLOW_SHARE >= self._recent.capacity:
            self._merge_recent(*_NO_PAIRS)

    def discard(self, item_ids: Sequence[int] | I64) -> None:
        """Forget items (unknown ids are fine); their pairs leave at the next merge into the base."""
        ids = np.asarray(item_ids, dtype=np.int64)
        ids = ids[(ids >= 0) & (ids < len(self._slot_of))]
        slots = self._slot_of[ids]
        slots = slots[slots != _NO_SLOT]
        self._dropped += int(np.count_nonzero(self._live[slots]))
        self._live[slots] = False
        self._slot_of[ids] = _NO_SLOT

    def evict_before(self, epoch: int) -> None:
        """Forget the items published before `epoch` (seconds since 1970), and every pair of items gone."""
        self._floor = epoch
        old = np.flatnonzero(self._live[: self._used] & (self._epoch[: self._used] < epoch))
        self.discard(self._item[old])
        if self._dropped:
            self._merge_recent(*_NO_PAIRS)

    def lookup(self, bands: I64) -> BandHits:
        """The items sharing a band with each row of `bands` (one row of band keys per probe)."""
        matrix = np.asarray(bands, dtype=np.int64)
        if matrix.ndim == 1:
            matrix = matrix.reshape(1, -1)
        keys = _mixed(matrix).reshape(-1)
        found = [(rows // matrix.shape[1], slots) for rows, slots in self._matches(keys)]
        if not found:
            empty = np.empty(0, dtype=np.int64)
            return BandHits(empty, empty, empty)
        probes = np.concatenate([probe for probe, _ in found])
        slots = np.concatenate([slot for _, slot in found])
        live = self._live[slots]
        probes, slots = probes[live], slots[live]
        return BandHits(probes, self._item[slots], self._epoch[slots])

    def _matches(self, keys: U64) -> Iterator[tuple[I64, U32]]:
        """(index into `keys`, slot) of every pair held whose key equals a looked-up key: in the base,
        the table and the overflow."""
        if self._base is not None:
            yield from _run_matches(self._base, keys)
        yield from self._recent.matches(keys)
        if self._overflow is not None:
            yield from _run_matches(self._overflow, keys)

    def _merge_recent(self, keys: U64, slots: U32, *, prune: bool = False) -> None:
        """The table's and the overflow's pairs and these, sorted without the pairs that no longer count
        and merged into the base (pruned first if items were dropped: both in place); then an empty
        table sized for the base."""
        keys, slots = _joined([self._recent.pairs(), (keys, slots), *self._overflow_pairs()])
        keep = self._kept(slots)
        run = _sorted(keys[keep], slots[keep])
        base = self._base
        if base is not None and (prune or self._dropped):
            base = self._pruned_in_place(base)
        self._base, self._dropped = run if base is None else _merged_in_place(base, run), 0
        self._recent = _Recent.sized(max(_RECENT_LEAST, self._base.size // _RECENT_SHARE))
        self._overflow = None

    def _grow(self, count: int) -> int:
        """Room for `count` more slots (doubling, or renumbering when most slots are dead)."""
        if self._used + count > len(self._item) and len(self) * 2 < self._used:
            self._renumber()
        needed = self._used + count
        if needed > len(self._item):
            capacity = max(needed, 2 * len(self._item), 1024)
            self._item = np.resize(self._item, capacity)
            self._epoch = np.resize(self._epoch, capacity)
            self._live = np.resize(self._live, capacity)
            self._live[self._used :] = False
        first, self._used = self._used, needed
        return first

    def _ensure_ids(self, highest: int) -> None:
        if highest >= len(self._slot_of):
            grown = np.full(max(highest + 1, 2 * len(self._slot_of), 1024), _NO_SLOT, dtype=np.int64)
            grown[: len(self._slot_of)] = self._slot_of
            self._slot_of = grown

    def _kept(self, slots: U32) -> npt.NDArray[np.bool_]:
        """Which of these pairs still count: their item is held and not published before the floor."""
        keep = self._live[slots]
        if self._floor is not None:
            keep &= self._epoch[slots] >= self._floor
        return keep

    def _pruned_in_place(self, run: _Run) -> _Run:
        """The base without the pairs that no longer count, moved down its own arrays a chunk at a time."""
        size, kept = run.size, 0
        for begin in range(0, size, _CHUNK_PAIRS):
            end = min(size, begin + _CHUNK_PAIRS)
            keep = self._kept(run.slots[begin:end])
            count = int(np.count_nonzero(keep))
            if kept != begin or count != end - begin:
                run.keys[kept : kept + count] = run.keys[begin:end][keep]
                run.slots[kept : kept + count] = run.slots[begin:end][keep]
            kept += count
        if kept == size:
            return run
        if 2 * kept < len(run.keys):  # give memory back once most of it is unused
            room = kept + kept // _GROWTH
            run.keys.resize(room, refcheck=False)
            run.slots.resize(room, refcheck=False)
        return _Run.of(run.keys, run.slots, kept)

    def _renumber(self) -> None:
        """Pack the live slots to the front, slot arrays as long as needed, the base (holding every
        pair, the table's too) without dead pairs."""
        live = np.flatnonzero(self._live[: self._used])
        new_slot = np.full(self._used, _NO_SLOT, dtype=np.int64)
        new_slot[live] = np.arange(len(live))
        self._merge_recent(*_NO_PAIRS, prune=True)
        if (run := self._base) is not None:
            for begin in range(0, run.size, _CHUNK_PAIRS):
                end = min(run.size, begin + _CHUNK_PAIRS)
                run.slots[begin:end] = new_slot[run.slots[begin:end]]
        self._item, self._epoch = self._item[live], self._epoch[live]
        self._live = np.ones(len(live), dtype=bool)
        self._used = len(live)
        self._slot_of[:] = _NO_SLOT
        self._slot_of[self._item] = np.arange(len(live))


def _pairs_of(run: _Run) -> tuple[U64, U32]:
    return run.keys[: run.size], run.slots[: run.size]


def _joined(parts: Sequence[tuple[U64, U32]]) -> tuple[U64, U32]:
    return np.concatenate([keys for keys, _ in parts]), np.concatenate([slots for _, slots in parts])


def _sorted(keys: U64, slots: U32) -> _Run:
    """A run of these pairs (pairs of equal keys may come in any order)."""
    order = np.argsort(keys)
    return _Run.of(keys[order], slots[order])


def _run_matches(run: _Run, keys: U64) -> Iterator[tuple[I64, U32]]:
    """(index into `keys`, slot) of every pair of the run whose key equals a looked-up key, comparing
    each key with its directory bucket only."""
    buckets = (keys >> run.shift).astype(np.int64)
    first = run.starts[buckets].astype(np.int64)
    counts = run.starts[buckets + 1].astype(np.int64) - first
    total = int(counts.sum())
    if total:
        rows = np.repeat(np.arange(len(keys), dtype=np.int64), counts)
        at = np.repeat(first - (np.cumsum(counts) - counts), counts) + np.arange(total)
        equal = run.keys[at] == keys[rows]
        if equal.any():
            yield rows[equal], run.slots[at[equal]]


def _merged_in_place(base: _Run, run: _Run) -> _Run:
    """`run` merged into `base`'s own arrays (grown as needed), filled from the end a chunk at a time.

    Each pair of the base moves up by the number of `run`'s pairs placed before it, so an output chunk
    is made of the base pairs just below it and the run's pairs bound for it: those base pairs are
    copied out before the chunk is written, and none below them is written yet."""
    size, count = base.size, run.size
    keys, slots = _with_room(base.keys, size + count), _with_room(base.slots, size + count)
    to = np.searchsorted(keys[:size], run.keys[:count], side="right") + np.arange(count)
    end, old_end, new_end = size + count, size, count
    while end > 0:
        begin = max(0, end - _CHUNK_PAIRS)
        new_begin = int(np.searchsorted(to[:new_end], begin))
        old_begin = old_end - (end - begin - (new_end - new_begin))
        old_keys, old_slots = keys[old_begin:old_end].copy(), slots[old_begin:old_end].copy()
        at = to[new_begin:new_end] - begin
        from_old = np.ones(end - begin, dtype=bool)
        from_old[at] = False
        out_keys, out_slots = keys[begin:end], slots[begin:end]
        out_keys[at], out_slots[at] = run.keys[new_begin:new_end], run.slots[new_begin:new_end]
        out_keys[from_old], out_slots[from_old] = old_keys, old_slots
        end, old_end, new_end = begin, old_begin, new_begin
    return _Run.of(keys, slots, size + count)


def _with_room(array: _Array, length: int) -> _Array:
    """`array` itself, grown in place (no other array may view it) to hold `length` values."""
    if len(array) < length:
        array.resize(max(length, len(array) + len(array) // _GROWTH), refcheck=False)
    return array


def _directory(keys: U64, size: int) -> tuple[U32, np.uint64]:
    """Where each top-bits bucket of the sorted `keys[:size]` starts, and the shift giving a key's
    bucket; counted a chunk at a time (a chunk's buckets follow the previous chunk's)."""
    bits = max(0, min(30, int(size // _KEYS_PER_BUCKET).bit_length()))
    shift = np.uint64(64 - bits)
    if not bits:
        return np.array([0, size], dtype=np.uint32), shift
    starts = np.empty((1 << bits) + 1, dtype=np.uint32)
    done = 0  # buckets whose start is set
    for begin in range(0, size, _CHUNK_PAIRS):
        buckets = keys[begin : min(size, begin + _CHUNK_PAIRS)] >> shift
        top = int(buckets[-1]) + 1
        if top <= done:
            continue  # the chunk lies within one bucket, begun before it
        first = int(np.searchsorted(buckets, np.uint64(done)))
        counts = np.bincount((buckets[first:] - np.uint64(done)).astype(np.intp), minlength=top - done)
        starts[done] = begin + first
        starts[done + 1 : top] = begin + first + np.cumsum(counts[:-1])
        done = top
    starts[done:] = size
    return starts, shift


def _mixed(matrix: I64) -> U64:
    """Each key mixed with its band's number (column), then finalised so its top bits are uniform (both
    steps are bijections for a given band: distinct keys of a band stay distinct)."""
    numbers = np.arange(1, matrix.shape[1] + 1, dtype=np.uint64)
    values = matrix.view(np.uint64) ^ (numbers * _BAND_MIX)
    values = (values ^ (values >> _SHIFT)) * _MUR1
    values = (values ^ (values >> _SHIFT)) * _MUR2
    return values ^ (values >> _SHIFT)
