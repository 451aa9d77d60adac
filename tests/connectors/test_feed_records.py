"""Entry identity: reused guids cleared, digests stable, summary-only entries recognised."""

from __future__ import annotations

import pytest

from connectors.feed.detect import FeedFormat
from connectors.feed.model import EntryDraft, ParsedEntry, ParsedFeed, author_name, finish_entry
from connectors.feed.records import entry_digest, entry_records, is_summary_only

FEED_URL = "https://stp.khanhhoa.gov.vn/rss/tin-tuc.rss"


def _entry(url: str | None, guid: str | None, **values: str) -> ParsedEntry:
    draft = EntryDraft(url=url, guid=guid, guid_is_permalink=False, **values)  # type: ignore[arg-type]
    return finish_entry(draft, fmt=FeedFormat.RSS, feed_url=FEED_URL, feed_title="Sở Tư pháp")


def _feed(*entries: ParsedEntry) -> ParsedFeed:
    return ParsedFeed(FeedFormat.RSS, "lxml", "Sở Tư pháp", list(entries))


def test_guid_shared_by_different_links_is_reused() -> None:
    records = entry_records(
        _feed(_entry("/tin/1", "tin"), _entry("/tin/2", "tin"), _entry("/tin/3", "tin-3"))
    )
    assert [(r.guid, r.guid_reused, r.hint) for r in records] == [
        (None, True, "/tin/1"),
        (None, True, "/tin/2"),
        ("tin-3", False, "tin-3"),
    ]


def test_repeated_entry_keeps_its_guid() -> None:
    records = entry_records(_feed(_entry("/tin/1", "tin-1"), _entry("/tin/1", "tin-1")))
    assert [r.guid for r in records] == ["tin-1", "tin-1"]


def test_digest_ignores_the_channel_title_but_not_the_entry() -> None:
    entry = _entry("/tin/1", "tin-1", title="Phổ biến Luật Xử lý vi phạm hành chính")
    renamed = ParsedEntry(entry.url, entry.guid, {**entry.fields, "feed_title": "Sở Tư pháp tỉnh Khánh Hòa"})
    edited = ParsedEntry(entry.url, entry.guid, {**entry.fields, "title": "Phổ biến Luật (sửa đổi)"})
    assert entry_digest(renamed) == entry_digest(entry)
    assert entry_digest(edited) != entry_digest(entry)


@pytest.mark.parametrize(
    ("values", "summary_only"),
    [
        ({"summary": "<p><img src='/a.jpg'> Sở Tư pháp tổ chức hội nghị.</p>"}, True),
        ({"summary": "Sở Tư pháp " * 40}, False),
        ({"summary": "Ngắn", "body_html": "<p>Toàn văn</p>"}, False),
        ({}, True),
    ],
)
def test_summary_only_means_no_body_and_a_short_summary(values: dict[str, str], summary_only: bool) -> None:
    assert is_summary_only(_entry("/tin/1", None, **values), 400) is summary_only


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("vpubnd@khanhhoa.gov.vn (Văn phòng UBND tỉnh)", "Văn phòng UBND tỉnh"),
        ("Thanh Hà", "Thanh Hà"),
        ("banbientap@moh.gov.vn", "banbientap@moh.gov.vn"),
        ("Minh Anh <minhanh@mae.gov.vn>", "Minh Anh"),
    ],
)
def test_author_name_is_taken_from_rss_author(raw: str, name: str) -> None:
    assert author_name(raw) == name


def test_permalink_guid_stands_in_for_a_missing_link() -> None:
    draft = EntryDraft(guid="https://stp.khanhhoa.gov.vn/tin/9")
    entry = finish_entry(draft, fmt=FeedFormat.RSS, feed_url=FEED_URL, feed_title=None)
    assert entry.url == "https://stp.khanhhoa.gov.vn/tin/9"
