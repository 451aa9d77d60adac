"""The numpy band map answers what the dictionary index does, through adds, replacements, removals, the
table of recent pairs and its spills, the in-place merges into the base, and the renumbering that keep
its memory to the items it holds."""

from __future__ import annotations

import numpy as np
import pytest

from dedupe import bandmap
from dedupe.bandmap import BandMap
from dedupe.index import MemoryIndex


def _items(hits_probe: np.ndarray, hits_item: np.ndarray, probe: int) -> set[int]:
    return set(hits_item[hits_probe == probe].tolist())


@pytest.mark.parametrize(("share", "least", "chunk"), [(16, 1 << 16, 1 << 20), (2, 8, 7), (3, 1, 1)])
def test_lookups_match_the_memory_index_through_adds_replacements_and_removals(
    share: int, least: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bandmap, "_RECENT_SHARE", share)
    monkeypatch.setattr(bandmap, "_RECENT_LEAST", least)
    monkeypatch.setattr(bandmap, "_CHUNK_PAIRS", chunk)
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


def test_recent_pairs_are_merged_into_the_base_once_they_are_a_sixteenth_of_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bandmap, "_RECENT_LEAST", 8)
    bands = BandMap()
    bands.add(np.arange(1600), np.zeros(1600), np.arange(3200).reshape(1600, 2))
    sizes = []
    for first in range(1600, 1800, 20):
        keys = np.arange(2 * first, 2 * first + 40).reshape(20, 2)
        bands.add(np.arange(first, first + 20), np.zeros(20), keys)
        sizes.append((bands._base.size if bands._base else 0, bands._recent.size))
    assert sizes[:5] == [(3200, 40), (3200, 80), (3200, 120), (3200, 160), (3400, 0)]  # 200 = 3,200 / 16
    assert bands.lookup(np.array([[3598, 0], [3400, 0]])).item_id.tolist() == [1799, 1700]


def test_the_recent_table_spills_to_the_next_bucket_and_hands_back_what_finds_no_room() -> None:
    table = bandmap._Recent.sized(8)  # one bucket and one for its spills: every key has the same home
    keys = bandmap._mixed(np.arange(100).reshape(-1, 1)).reshape(-1)
    slots = np.arange(100, dtype=np.uint32)
    left_keys, left_slots = table.insert(keys, slots)
    held = 2 * bandmap._BUCKET_KEYS
    assert (table.size, len(left_keys)) == (held, 100 - held)
    found = {
        row: slot
        for rows, found_slots in table.matches(keys)
        for row, slot in zip(rows.tolist(), found_slots.tolist(), strict=True)
    }
    assert sorted(found.values()) + sorted(left_slots.tolist()) == list(range(100))
    assert all(found[row] == row for row in found)  # each key found with its own slot


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
    assert bands.pairs == 11 * 100 * 2  # pairs of evicted items leave at once
    assert len(bands._item) <= 4 * 11 * 100  # slots of evicted items are reused
    assert bands.lookup(np.array([[50, 0]])).item_id.tolist() == []
    assert bands.lookup(np.array([[19_950, 0]])).item_id.tolist() == [19_950]


def test_item_ids_must_be_database_ids() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        BandMap().add([-1], [0], np.array([[1]]))


def test_evicting_most_items_gives_the_base_memory_back() -> None:
    bands = BandMap()
    ids = np.arange(50_000)
    bands.add(ids, ids, np.stack([ids, ids + 1], axis=1))
    bands.evict_before(49_000)
    assert bands.pairs == 2 * 1000
    assert bands._base is not None
    assert len(bands._base.keys) == 2 * 1000 * 9 // 8  # an eighth to grow into
    assert bands.lookup(np.array([[49_500, 0]])).item_id.tolist() == [49_500]


def test_a_band_key_many_articles_share_goes_to_the_overflow_and_is_found() -> None:
    bands = BandMap()
    ids = np.arange(300)
    bands.add(ids, ids, np.stack([np.full(300, 42), ids], axis=1))  # band 1: one key for all
    assert bands._overflow is not None
    assert bands._recent.size + bands._overflow.size == 600
    hits = bands.lookup(np.array([[42, -1], [-1, 7]]))
    assert sorted(hits.item_id[hits.probe == 0].tolist()) == list(range(300))
    assert hits.item_id[hits.probe == 1].tolist() == [7]
