"""The central portal's view: a feed reader follows every page of /feeds/all and gets the stored items back.

Atom and RSS are read by feedparser; feedparser 6.0 has no JSON Feed reader, so JSON Feed pages are read
as the JSON Feed 1.1 specification names its fields, with the standard library's JSON parser.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import feedparser
import httpx
import pytest

from hub.models import Source, StoredItem
from tests.e2e.conftest import HubWorld, entry_id, json_items

PAGE_SIZE = "7"  # 48 items: seven pages, so every paging link is followed


@dataclass(frozen=True, slots=True)
class SeenEntry:
    """What a reader keeps of one entry."""

    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    author: str
    source_title: str
    source_feed: str
    republications: frozenset[str] | None  # URLs of the other portals' copies; None: the format has none


def _utc(struct: Any) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)


def _second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


async def _feedparser_pages(client: httpx.AsyncClient, fmt: str) -> list[Any]:
    entries: list[Any] = []
    url: str | None = f"/feeds/all.{fmt}?limit={PAGE_SIZE}"
    while url is not None:
        reply = await client.get(url)
        assert reply.status_code == 200, reply.text
        parsed = feedparser.parse(reply.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        entries.extend(parsed.entries)
        url = next((link.href for link in parsed.feed.links if link.rel == "next"), None)
    return entries


def _from_atom(entry: Any) -> SeenEntry:
    return SeenEntry(
        id=entry.id,
        title=entry.title,
        link=entry.link,
        published=_utc(entry.published_parsed),
        updated=_utc(entry.updated_parsed),
        author=entry.author,
        source_title=entry.source.title,
        source_feed=entry.source.id,
        republications=frozenset(link.href for link in entry.links if link.rel == "related"),
    )


def _from_rss(entry: Any) -> SeenEntry:
    return SeenEntry(
        id=entry.id,
        title=entry.title,
        link=entry.link,
        published=_utc(entry.published_parsed),
        updated=_utc(entry.updated_parsed),  # atom:updated inside the item
        author=entry.author,  # dc:creator: RSS <author> must be an e-mail address
        source_title=entry.source.title,
        source_feed=entry.source.href,
        republications=None,  # an extension element feedparser does not read
    )


def _from_json(item: dict[str, Any]) -> SeenEntry:
    attribution = item["_portalhub"]["attribution"]
    return SeenEntry(
        id=item["id"],
        title=item["title"],
        link=item["url"],
        published=datetime.fromisoformat(item["date_published"]),
        updated=datetime.fromisoformat(item["date_modified"]),
        author=item["authors"][0]["name"],
        source_title=attribution["portal"],
        source_feed=attribution["feed_url"],
        republications=frozenset(one["url"] for one in item["_portalhub"].get("republications", [])),
    )


async def _read(world: HubWorld, fmt: str) -> list[SeenEntry]:
    async with world.client() as client:
        if fmt == "json":
            return [_from_json(item) for item in await json_items(client, "/feeds/all.json", limit=PAGE_SIZE)]
        adapt = _from_atom if fmt == "atom" else _from_rss
        return [adapt(entry) for entry in await _feedparser_pages(client, fmt)]


def _expected(item: StoredItem, source: Source, copies: frozenset[str]) -> SeenEntry:
    return SeenEntry(
        id=entry_id(item),
        title=unicodedata.normalize("NFC", item.title),
        link=item.url,
        published=_second(item.published),
        updated=_second(max(item.published, item.updated or item.published)),
        author=source.agency,
        source_title=source.name,
        source_feed=source.url,
        republications=copies,
    )


@pytest.mark.parametrize("fmt", ["atom", "json", "rss"])
async def test_reader_gets_back_exactly_the_stored_items(world: HubWorld, fmt: str) -> None:
    seen = await _read(world, fmt)
    urls: dict[str, set[str]] = defaultdict(set)  # entry id -> URLs of every copy of the story
    for item, _ in world.stored():
        urls[entry_id(item)].add(item.url)
    # One entry per story: its canonical original, listing the other portals' copies.
    expected = [
        _expected(item, source, frozenset(urls[entry_id(item)] - {item.url}))
        for item, source in world.stored(canonical=True)
    ]
    if fmt == "rss":
        expected = [replace(entry, republications=None) for entry in expected]
    assert seen == expected
    assert all(unicodedata.is_normalized("NFC", entry.title) for entry in seen)
    assert fmt == "rss" or any(entry.republications for entry in seen), "the portals republish each other"


@pytest.mark.parametrize("fmt", ["atom", "json", "rss"])
async def test_reader_sees_the_stream_newest_first(world: HubWorld, fmt: str) -> None:
    seen = await _read(world, fmt)
    published = [(entry.published, entry.id) for entry in seen]
    assert [moment for moment, _ in published] == sorted((moment for moment, _ in published), reverse=True)
