"""MemoryIndex: band-keyed candidates, replacement on re-add, removal, and the Index protocol."""

from __future__ import annotations

import pytest

from dedupe.index import Index, MemoryIndex


def _index(entries: dict[str, tuple[int, ...]]) -> MemoryIndex[str]:
    index: MemoryIndex[str] = MemoryIndex()
    for item_id, bands in entries.items():
        index.add(item_id, bands)
    return index


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ((11, 12, 13), {"monre-1", "khanhhoa-7"}),
        ((11, 99, 99), {"monre-1", "khanhhoa-7"}),
        ((99, 99, 33), {"sonla-3"}),
        ((99, 99, 99), set()),
        ((12, 11, 0), set()),  # the same hashes in other bands are other keys
        ((), set()),
    ],
)
def test_candidates_share_at_least_one_band(query: tuple[int, ...], expected: set[str]) -> None:
    index = _index({"monre-1": (11, 12, 13), "khanhhoa-7": (11, 20, 21), "sonla-3": (30, 31, 33)})
    assert index.candidates(query) == expected


def test_adding_again_replaces_the_earlier_bands() -> None:
    index = _index({"monre-1": (11, 12, 13)})
    index.add("monre-1", (40, 41, 42))
    assert index.candidates((11, 12, 13)) == set()
    assert index.candidates((40, 0, 0)) == {"monre-1"}
    assert len(index) == 1


def test_removed_item_is_no_candidate_and_its_buckets_are_freed() -> None:
    index = _index({"monre-1": (11, 12, 13), "khanhhoa-7": (11, 20, 21)})
    index.remove("monre-1")
    index.remove("unknown")
    assert index.candidates((11, 12, 13)) == {"khanhhoa-7"}
    assert "monre-1" not in index
    assert "khanhhoa-7" in index
    index.remove("khanhhoa-7")
    assert index._buckets == {}


def test_memory_index_satisfies_the_index_protocol() -> None:
    index: Index[int] = MemoryIndex[int]()
    index.add(1, (5, 6))
    assert index.candidates((5, 0)) == {1}
