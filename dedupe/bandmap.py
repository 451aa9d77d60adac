"""Band buckets of many items in numpy arrays: band keys in, (item id, publication time) of every item
sharing a band out.

A dictionary of sets (`MemoryIndex`, or an in-memory MinHashLSH) costs about 100 bytes per (band, item)
pair: some 3 GB for a million items of 32 bands. Here a pair costs about 13 bytes, its (mixed) band key,
a 32-bit slot naming the item and its share of a directory (plus 17 bytes per item, and 8 per item id up
to the highest), kept in sorted runs: adding a batch sorts the batch's pairs into a run of its own, and
runs of similar size are merged up to a cap (each pair is rewritten O(log n) times over its life). Keys
are mixed so their top bits are uniform, and each run keeps where every top-bits bucket starts: a lookup
reads a directory entry and a bucket of about four keys per run, whatever the run's size, where a binary
search of a run of millions would touch some twenty cache lines.

An item added again replaces its earlier bands; items published before `evict_before`'s bound leave at
the next merge. Memory follows the items kept, not the history added.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["BandHits", "BandMap"]

I64 = npt.NDArray[np.int64]
U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
# Mixed into each key with its band's number, so equal values in two bands are different keys even when
# the keys were not made by `fingerprint.band_keys` (which mixes the number in already).
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)
# MurmurHash3's finaliser constants: a bijection of 64-bit values whose top bits are uniform for any input.
_MUR1, _MUR2, _SHIFT = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33)
_KEYS_PER_BUCKET = 4  # a run's directory has a bucket per this many pairs (a power of two near it)
_NO_SLOT = -1
# Runs grow by merging up to this many pairs (96 MB) and no further: a merge needs room for its output
# beside its inputs, so a cap keeps that extra memory small whatever the window holds; lookups search a
# few more runs in exchange.
_MAX_RUN_PAIRS = 1 << 23


@dataclass(frozen=True, slots=True)
class BandHits:
    """Every (probe, item) pair sharing a band: `probe[i]` is the row of the looked-up bands whose band
    was shared by item `item_id[i]`, published at `epoch[i]` (seconds since 1970)."""

    probe: I64
    item_id: I64
    epoch: I64


@dataclass(slots=True)
class _Run:
    """Pairs sorted by mixed key; `starts[b]` is the first pair whose key's top bits are `b` or more."""

    keys: U64
    slots: U32
    starts: U32
    shift: np.uint64

    @classmethod
    def of(cls, keys: U64, slots: U32) -> _Run:
        bits = max(0, min(30, int(len(keys) // _KEYS_PER_BUCKET).bit_length()))
        shift = np.uint64(64 - bits)
        counts = np.bincount((keys >> shift).astype(np.int64), minlength=1 << bits) if bits else [len(keys)]
        starts = np.zeros((1 << bits) + 1, dtype=np.uint32)
        np.cumsum(counts, out=starts[1:])
        return cls(keys, slots, starts, shift)


class BandMap:
    """Band keys of items, looked up a batch at a time."""

    def __init__(self) -> None:
        self._runs: list[_Run] = []
        self._item = np.empty(0, dtype=np.int64)  # slot -> item id
        self._epoch = np.empty(0, dtype=np.int64)  # slot -> publication, seconds since 1970
        self._live = np.empty(0, dtype=bool)  # slot -> still the item's current bands
        self._used = 0  # slots handed out
        self._slot_of = np.empty(0, dtype=np.int64)  # item id -> its current slot, or -1
        self._floor: int | None = None  # items published before this leave at the next merge

    def __len__(self) -> int:
        """Items held."""
        return int(np.count_nonzero(self._live[: self._used]))

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (runs, their directories, slots, item ids)."""
        runs = sum(run.keys.nbytes + run.slots.nbytes + run.starts.nbytes for run in self._runs)
        return runs + self._item.nbytes + self._epoch.nbytes + self._live.nbytes + self._slot_of.nbytes

    @property
    def pairs(self) -> int:
        """(band, item) pairs held, dead ones included until their run is merged or pruned."""
        return sum(len(run.keys) for run in self._runs)

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
        self._live[slots] = self._slot_of[ids] == slots
        keys = _mixed(matrix).reshape(-1)
        pair_slots = np.repeat(slots, matrix.shape[1])
        if len(keys):
            order = np.argsort(keys)  # pairs of equal keys may come in any order
            self._runs.append(_Run.of(keys[order], pair_slots[order]))
            self._merge_similar()

    def discard(self, item_ids: Sequence[int] | I64) -> None:
        """Forget items (unknown ids are fine); their pairs leave at the next merge."""
        ids = np.asarray(item_ids, dtype=np.int64)
        ids = ids[(ids >= 0) & (ids < len(self._slot_of))]
        slots = self._slot_of[ids]
        self._live[slots[slots != _NO_SLOT]] = False
        self._slot_of[ids] = _NO_SLOT

    def evict_before(self, epoch: int) -> None:
        """Forget the items published before `epoch` (seconds since 1970), and every pair of items gone."""
        self._floor = epoch
        old = np.flatnonzero(self._live[: self._used] & (self._epoch[: self._used] < epoch))
        self.discard(self._item[old])
        self._runs = [run for run in map(self._pruned, self._runs) if len(run.keys)]

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
        """Per run: (index into `keys`, slot) of every stored pair whose key equals a looked-up key,
        comparing each key with its directory bucket only."""
        for run in self._runs:
            buckets = (keys >> run.shift).astype(np.int64)
            first = run.starts[buckets].astype(np.int64)
            counts = run.starts[buckets + 1].astype(np.int64) - first
            total = int(counts.sum())
            if not total:
                continue
            rows = np.repeat(np.arange(len(keys), dtype=np.int64), counts)
            at = np.repeat(first - (np.cumsum(counts) - counts), counts) + np.arange(total)
            equal = run.keys[at] == keys[rows]
            if equal.any():
                yield rows[equal], run.slots[at[equal]]

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

    def _merge_similar(self) -> None:
        """Merge the newest run into the one before while it is at least half that run's size and the
        merged run stays within `_MAX_RUN_PAIRS`."""
        while len(self._runs) >= 2:
            newer, older = len(self._runs[-1].keys), len(self._runs[-2].keys)
            if 2 * newer < older or newer + older > _MAX_RUN_PAIRS:
                return
            newest = self._runs.pop()
            merged = self._merged(self._runs.pop(), newest)
            if len(merged.keys):
                self._runs.append(merged)

    def _merged(self, older: _Run, newer: _Run) -> _Run:
        """One sorted run of both, without the pairs of items gone or published before the floor.

        Placed by binary search rather than sorted anew: the extra memory is the output and one position
        per pair of the newer run (a sort's index array would add 8 bytes per pair of both)."""
        size = len(older.keys) + len(newer.keys)
        at = np.searchsorted(older.keys, newer.keys, side="right") + np.arange(len(newer.keys))
        from_older = np.ones(size, dtype=bool)
        from_older[at] = False
        keys = np.empty(size, dtype=np.uint64)
        slots = np.empty(size, dtype=np.uint32)
        keys[at], slots[at] = newer.keys, newer.slots
        keys[from_older], slots[from_older] = older.keys, older.slots
        return self._pruned(_Run.of(keys, slots))

    def _pruned(self, run: _Run) -> _Run:
        """The run without the pairs of items gone or published before the floor."""
        keep = self._live[run.slots]
        if self._floor is not None:
            keep &= self._epoch[run.slots] >= self._floor
        return run if keep.all() else _Run.of(run.keys[keep], run.slots[keep])

    def _renumber(self) -> None:
        """Pack the live slots to the front, slot arrays as long as needed, runs without dead pairs."""
        live = np.flatnonzero(self._live[: self._used])
        new_slot = np.full(self._used, _NO_SLOT, dtype=np.int64)
        new_slot[live] = np.arange(len(live))
        runs = [run for run in map(self._pruned, self._runs) if len(run.keys)]
        self._runs = [_Run.of(run.keys, new_slot[run.slots].astype(np.uint32)) for run in runs]
        self._item, self._epoch = self._item[live], self._epoch[live]
        self._live = np.ones(len(live), dtype=bool)
        self._used = len(live)
        self._slot_of[:] = _NO_SLOT
        self._slot_of[self._item] = np.arange(len(live))


def _mixed(matrix: I64) -> U64:
    """Each key mixed with its band's number (column), then finalised so its top bits are uniform (both
    steps are bijections for a given band: distinct keys of a band stay distinct)."""
    numbers = np.arange(1, matrix.shape[1] + 1, dtype=np.uint64)
    values = matrix.view(np.uint64) ^ (numbers * _BAND_MIX)
    values = (values ^ (values >> _SHIFT)) * _MUR1
    values = (values ^ (values >> _SHIFT)) * _MUR2
    return values ^ (values >> _SHIFT)
