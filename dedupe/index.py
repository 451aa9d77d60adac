"""The near-duplicate candidate index: band keys in, item ids sharing at least one band out.

`Index` is the interface the deduper needs; `MemoryIndex` serves tests, the quality gate and small
single-process runs. The hub's index (`hub.storage.dedupe_index`) keeps its rows in the database and the
article window's buckets in a `dedupe.bandmap.BandMap`, a lookup reading one bucket of a sorted base and
one of a table of recent pairs, whatever the window holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Generic, Protocol, TypeVar

ItemIdT = TypeVar("ItemIdT", bound=Hashable)


class Index(Protocol[ItemIdT]):
    """Band-keyed candidate lookup; `bands[i]` is the key of band number `i`."""

    def add(self, item_id: ItemIdT, bands: Sequence[int]) -> None:
        """Index `item_id` under each of its bands (adding again replaces the earlier bands)."""

    def candidates(self, bands: Sequence[int]) -> set[ItemIdT]:
        """Every indexed item sharing at least one (band_no, band_hash) with `bands`."""

    def remove(self, item_id: ItemIdT) -> None:
        """Forget `item_id` (tombstone, editor split, or the item left the window); unknown ids are fine."""


class MemoryIndex(Generic[ItemIdT]):
    """Dictionary-backed `Index`: buckets keyed by (band_no, band_hash), plus each item's own keys."""

    def __init__(self) -> None:
        self._buckets: defaultdict[tuple[int, int], set[ItemIdT]] = defaultdict(set)
        self._keys: dict[ItemIdT, tuple[tuple[int, int], ...]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._keys

    def add(self, item_id: ItemIdT, bands: Sequence[int]) -> None:
        if item_id in self._keys:
            self.remove(item_id)
        keys = tuple(enumerate(bands))
        self._keys[item_id] = keys
        buckets = self._buckets
        for key in keys:
            buckets[key].add(item_id)

    def candidates(self, bands: Sequence[int]) -> set[ItemIdT]:
        buckets = self._buckets
        return set().union(*[buckets[key] for key in enumerate(bands) if key in buckets])

    def remove(self, item_id: ItemIdT) -> None:
        for key in self._keys.pop(item_id, ()):
            bucket = self._buckets[key]
            bucket.discard(item_id)
            if not bucket:
                # Empty buckets are dropped so memory follows the indexed items, not history.
                del self._buckets[key]
