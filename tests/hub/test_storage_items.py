"""Storing a harvested batch: new rows, one version per edit, nothing written for what did not change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session

from hub.models import HarvestTrigger, Source
from hub.storage.harvests import open_harvest
from hub.storage.items import (
    StoreCounts,
    entry_digests,
    is_entry_unchanged,
    list_items,
    list_versions,
    store_items,
    topic_keys,
)
from tests.conftest import NOW, make_item

LATER = NOW + timedelta(hours=1)


@pytest.fixture
def harvest_ids(session: Session, add_source: Callable[..., Source]) -> Callable[[], int]:
    add_source()

    def next_harvest() -> int:
        harvest = open_harvest("moit-tin-tuc", session=session, trigger=HarvestTrigger.CLI, now=NOW)
        session.commit()
        assert harvest.id is not None
        return harvest.id

    return next_harvest


def _store(session: Session, items: list, harvest_id: int, now=NOW) -> StoreCounts:
    counts = store_items(items, session=session, harvest_id=harvest_id, source_id="moit-tin-tuc", now=now)
    session.commit()
    return counts


def test_first_batch_is_all_new(session: Session, harvest_ids: Callable[[], int]) -> None:
    counts = _store(session, [make_item(1), make_item(2), make_item(3)], harvest_ids())

    stored = list_items(session=session, source_id="moit-tin-tuc")
    assert counts == StoreCounts(new=3, updated=0, unchanged=0)
    assert [item.version for item in stored] == [1, 1, 1]
    assert stored[0].title == "Bộ Công Thương họp báo thường kỳ quý 1"
    assert stored[0].search_text.startswith("bo cong thuong hop bao thuong ky quy 1")
    assert stored[0].topic_keys == "|cong nghiep|"
    assert stored[0].published == NOW - timedelta(hours=1)
    assert stored[0].published.tzinfo is UTC


def test_same_batch_again_writes_nothing(session: Session, harvest_ids: Callable[[], int]) -> None:
    _store(session, [make_item(1), make_item(2)], harvest_ids())
    statements: list[str] = []
    bind = session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (conn, cursor, statement, ...)
    event.listen(bind, "before_cursor_execute", listener)
    try:
        counts = _store(session, [make_item(1), make_item(2)], harvest_ids(), now=LATER)
    finally:
        event.remove(bind, "before_cursor_execute", listener)

    assert counts == StoreCounts(new=0, updated=0, unchanged=2)
    assert [
        s for s in statements if not s.lstrip().upper().startswith(("SELECT", "BEGIN", "INSERT INTO HARVEST"))
    ] == []


def test_edited_entry_makes_exactly_one_new_version(session: Session, harvest_ids: Callable[[], int]) -> None:
    first = harvest_ids()
    _store(session, [make_item(1), make_item(2)], first)
    edited = make_item(2, title="Bộ Công Thương họp báo thường kỳ quý 2 (cập nhật)", content_hash="hash-2b")

    counts = _store(session, [make_item(1), edited], harvest_ids(), now=LATER)

    item = list_items(session=session)[1]
    versions = list_versions(item.id or 0, session=session)
    assert counts == StoreCounts(new=0, updated=1, unchanged=1)
    assert (item.version, item.title, item.first_seen_at, item.last_changed_at) == (
        2,
        "Bộ Công Thương họp báo thường kỳ quý 2 (cập nhật)",
        NOW,
        LATER,
    )
    assert [(v.version, v.title, v.content_hash, v.harvest_id, v.recorded_at) for v in versions] == [
        (1, "Bộ Công Thương họp báo thường kỳ quý 2", "hash-2", first, NOW)
    ]
    assert list_versions(list_items(session=session)[0].id or 0, session=session) == []


def test_identity_repeated_in_one_batch_is_stored_once(
    session: Session, harvest_ids: Callable[[], int]
) -> None:
    twice = [make_item(5), make_item(5, title="Bản sao")]

    counts = _store(session, twice, harvest_ids())

    assert counts == StoreCounts(new=1, updated=0, unchanged=0)
    assert [item.title for item in list_items(session=session)] == ["Bộ Công Thương họp báo thường kỳ quý 5"]


def test_same_identity_in_two_sources_is_two_items(
    session: Session, harvest_ids: Callable[[], int], add_source: Callable[..., Source]
) -> None:
    add_source("mof-tin-tuc", url="https://mof.gov.vn/rss.xml")
    _store(session, [make_item(1)], harvest_ids())
    other = store_items(
        [make_item(1, source_id="mof-tin-tuc")],
        session=session,
        harvest_id=harvest_ids(),
        source_id="mof-tin-tuc",
        now=NOW,
    )

    assert other == StoreCounts(new=1)
    assert len(list_items(session=session)) == 2


def test_entry_digest_answers_is_unchanged(session: Session, harvest_ids: Callable[[], int]) -> None:
    _store(session, [make_item(1, guid="moit-2025-0001")], harvest_ids())

    assert is_entry_unchanged("moit-tin-tuc", "moit-2025-0001", "digest-1", session=session)
    assert is_entry_unchanged(
        "moit-tin-tuc", "https://moit.gov.vn/tin-tuc/hop-bao-1.html", "digest-1", session=session
    )
    assert not is_entry_unchanged("moit-tin-tuc", "moit-2025-0001", "digest-other", session=session)
    assert not is_entry_unchanged("mof-tin-tuc", "moit-2025-0001", "digest-1", session=session)


def test_entry_digests_of_a_source_bigger_than_asked_are_not_read(
    session: Session, harvest_ids: Callable[[], int]
) -> None:
    _store(session, [make_item(1, guid="moit-2025-0001"), make_item(2)], harvest_ids())

    assert entry_digests("moit-tin-tuc", session=session, at_most=1) is None
    assert entry_digests("moit-tin-tuc", session=session, at_most=2) == {
        ("moit-2025-0001", "digest-1"),
        ("https://moit.gov.vn/tin-tuc/hop-bao-1.html", "digest-1"),
        ("https://moit.gov.vn/tin-tuc/hop-bao-2.html", "digest-2"),
    }


def test_reserialised_entry_refreshes_its_digest_without_a_version(
    session: Session, harvest_ids: Callable[[], int]
) -> None:
    _store(session, [make_item(1)], harvest_ids())

    counts = _store(session, [make_item(1, entry_digest="digest-1-new")], harvest_ids(), now=LATER)

    item = list_items(session=session)[0]
    assert counts == StoreCounts(unchanged=1)
    assert (item.version, item.entry_digest, item.last_changed_at) == (1, "digest-1-new", NOW)


@pytest.mark.parametrize(
    ("topics", "keys"),
    [
        ([], ""),
        (["Y tế"], "|y te|"),
        (["Kinh tế", "Chỉ đạo - Điều hành", "kinh tế"], "|chi dao dieu hanh|kinh te|"),
    ],
)
def test_topic_keys_fold_each_topic_between_bars(topics: list[str], keys: str) -> None:
    assert topic_keys(topics) == keys
