"""The SQL-backed dedupe index behaves as `dedupe.index.MemoryIndex` does, articles bounded by the window;
every process's window in memory follows what the database holds."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from sqlmodel import Session

from dedupe.index import MemoryIndex
from hub.storage.dedupe_index import IndexEntry, SqlIndex, key_digest
from tests.conftest import NOW

WINDOW = timedelta(days=30)
# Band keys as fingerprint.band_keys makes them: signed 64-bit, any value.
A = (-(2**63), 17, 2**63 - 1, 4)
B = (5, 17, 9, 4)  # shares bands 1 and 3 with A
C = (17, 5, 4, 9)  # the same values as B, in other bands: shares nothing


def test_candidates_share_a_band_number_and_hash_like_the_memory_index(session: Session) -> None:
    sql, memory = SqlIndex(session, window=WINDOW), MemoryIndex[int]()
    for item_id, bands in ((1, A), (2, B), (3, C)):
        sql.add(item_id, bands, NOW)
        memory.add(item_id, bands)
    for bands in (A, B, C, (0, 0, 0, 0)):
        assert sql.candidates(bands, NOW) == memory.candidates(bands)
    assert sql.candidates(A, NOW) == {1, 2}


@pytest.mark.parametrize(("days", "found"), [(-31, set()), (-29, {1}), (29, {1}), (31, set())])
def test_only_articles_inside_the_window_are_candidates(session: Session, days: int, found: set[int]) -> None:
    index = SqlIndex(session, window=WINDOW)
    index.add(1, A, NOW + timedelta(days=days))
    assert index.candidates(A, NOW) == found
    assert index.candidates(A) == set()  # an article is never a candidate of a document


def test_documents_and_services_are_candidates_whenever_published(session: Session) -> None:
    index = SqlIndex(session, window=WINDOW)
    index.add_entries([IndexEntry(1, A, NOW - timedelta(days=3650))])
    assert index.candidates(A) == {1}
    assert index.candidates(A, NOW) == set()  # nor a document of an article


def test_adding_again_replaces_the_bands_and_remove_forgets_the_item(session: Session) -> None:
    index = SqlIndex(session, window=WINDOW)
    index.add(1, A, NOW)
    index.add(1, C, NOW)
    index.add_keys(1, [("url", "mae.gov.vn/tin-tuc/mua-lu.htm")])
    assert (index.candidates(A, NOW), index.candidates(C, NOW)) == (set(), {1})
    index.remove(1)
    assert index.candidates(C, NOW) == set()
    assert index.find_keys([("url", "mae.gov.vn/tin-tuc/mua-lu.htm")]) == set()


def test_exact_keys_are_found_by_kind_and_value(session: Session) -> None:
    index = SqlIndex(session, window=WINDOW)
    long_url = "mae.gov.vn/tin-tuc/" + "bo-truong-chi-dao-ung-pho-mua-lu-" * 40
    index.add_keys(1, [("url", long_url), ("content", "ab" * 32)])
    index.add_keys(2, [("content", "ab" * 32)])
    assert index.find_keys([("url", long_url)]) == {1}
    assert index.find_keys([("content", "ab" * 32)]) == {1, 2}
    assert index.find_keys([("guid", long_url)]) == set()  # same value, other rung
    assert index.find_keys([]) == set()
    assert len(key_digest(long_url)) == 32


def test_an_item_without_bands_indexes_nothing_and_an_article_needs_its_time(session: Session) -> None:
    index = SqlIndex(session, window=WINDOW)
    index.add(1, ())
    assert index.candidates((), NOW) == set()
    with pytest.raises(ValueError, match="publication time"):
        index.add_entries([IndexEntry(2, A, None, windowed=True)])


def test_a_sketch_comes_back_as_stored_and_leaves_with_the_bands(session: Session) -> None:
    index = SqlIndex(session, window=WINDOW)
    signature = np.array([0, 1, 2**32 - 1, 123_456_789], dtype=np.uint64)
    index.add_entries([IndexEntry(1, A, NOW, (), signature, 212)])
    stored, count = index.sketches([1, 2])[1]
    assert (stored.tolist(), count) == (signature.tolist(), 212)
    index.remove_bands([1])
    assert index.sketches([1]) == {}
