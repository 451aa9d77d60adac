"""The numpy band map answers what the dictionary index does, through adds, replacements, removals and
the merges and renumbering that keep its memory to the items it holds."""

from __future__ import annotations

import numpy as np
import pytest

from dedupe import bandmap
from dedupe.bandmap import BandMap
from dedupe.index import MemoryIndex


def _items(hits_probe: np.ndarray, hits_item: np.ndarray, probe: int) -> set[int]:
    return set(hits_item[hits_probe == probe].tolist())


@pytest.mark.parametrize("largest_run", [1 << 23, 256])
def test_lookups_match_the_memory_index_through_adds_replacements_and_removals(
    largest_run: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bandmap, "_MAX_RUN_PAIRS", largest_run)
    rng = np.random.default_rng(20261202)
    bands, memory, published = BandMap(), MemoryIndex[int](), {}
    for step in range(400):
        count = int(rng.integers(1, 80))
        ids = rng.integers(0, 2000, count)
        keys = rng.integers(-50, 50, (count, 4))
        epochs = rng.integers(0, 10_000, count)
        bands.add(ids, epochs, keys)
        for item_id, row, epoch in zip(ids.tolist(), keys.tolist(), epochs.tolist(), strict=True):
            memory.add(item_id, row)
            published[item_id] = epoch
        if step % 5 == 0:
            gone = rng.integers(0, 2000, 20).tolist()
            bands.discard(gone)
            for item_id in gone:
                memory.remove(item_id)
        probes = rng.integers(-50, 50, (8, 4))
        hits = bands.lookup(probes)
        for probe, row in enumerate(probes.tolist()):
            assert _items(hits.probe, hits.item_id, probe) == memory.candidates(row)
        assert all(published[i] == e for i, e in zip(hits.item_id.tolist(), hits.epoch.tolist(), strict=True))
    assert len(bands) == len(memory)
    assert all(len(run.keys) <= max(largest_run, 80 * 4) for run in bands._runs)
    if largest_run > bands.pairs:
        assert len(bands._runs) <= 2 * np.log2(bands.pairs)  # runs of similar size were merged


def test_a_band_value_matches_only_in_its_own_band() -> None:
    bands = BandMap()
    bands.add([1], [0], np.array([[5, 17, 9, 4]]))
    assert bands.lookup(np.array([[17, 5, 4, 9]])).item_id.tolist() == []
    assert bands.lookup(np.array([[0, 17, 0, 0]])).item_id.tolist() == [1]


def test_adding_an_item_again_replaces_its_bands_even_within_one_batch() -> None:
    bands = BandMap()
    bands.add([7, 7], [10, 20], np.array([[1, 1], [2, 2]]))
    assert bands.lookup(np.array([[1, 1]])).item_id.tolist() == []
    hits = bands.lookup(np.array([[2, 2]]))
    assert set(zip(hits.item_id.tolist(), hits.epoch.tolist(), strict=True)) == {(7, 20)}
    assert len(bands) == 1


def test_evicted_items_leave_and_their_memory_is_given_back() -> None:
    bands = BandMap()
    for day in range(200):
        ids = np.arange(day * 100, day * 100 + 100)
        bands.add(ids, np.full(100, day), np.stack([ids, ids + 1], axis=1))
        bands.evict_before(day - 10)
    assert len(bands) == 11 * 100
    assert bands.pairs <= 4 * 11 * 100 * 2  # dead pairs are dropped at merges
    assert len(bands._item) <= 4 * 11 * 100  # slots of evicted items are reused
    assert bands.lookup(np.array([[50, 0]])).item_id.tolist() == []
    assert bands.lookup(np.array([[19_950, 0]])).item_id.tolist() == [19_950]


def test_item_ids_must_be_database_ids() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        BandMap().add([-1], [0], np.array([[1]]))
