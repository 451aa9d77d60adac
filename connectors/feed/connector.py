"""FeedConnector ("feed"): RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom feeds of a source -> RawRecords.

Steps, per feed URL (the source URL, then `extra_urls`):
1. fetch it conditionally; not modified -> nothing to yield;
2. parse it (`parse.parse_feed`: safety, UTF-8, format, lxml or feedparser);
3. identify entries (`records.entry_records`: reused guids, digests);
4. per entry: unchanged -> identity-only record; else fetch the article page when wanted; yield.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from connectors.base import Connector, FetchResult, RawRecord
from connectors.feed.fulltext import fetch_full_text
from connectors.feed.options import FeedOptions
from connectors.feed.parse import parse_feed
from connectors.feed.records import FeedEntryRecord, entry_records, is_summary_only

logger = logging.getLogger(__name__)


class FeedConnector(Connector):
    """Harvests the feeds of one source; values stay verbatim for the hub's normaliser."""

    kind: ClassVar[str] = "feed"
    Options: ClassVar[type[FeedOptions]] = FeedOptions
    options: FeedOptions

    async def harvest(self) -> AsyncIterator[RawRecord]:
        for feed_url in (self.spec.url, *self.options.extra_urls):
            async for record in self._harvest_feed(feed_url):
                yield record

    async def _harvest_feed(self, feed_url: str) -> AsyncIterator[RawRecord]:
        result = await self.ctx.fetcher.fetch(feed_url, conditional=True)
        fetched_at = datetime.now(UTC)
        log = {"source_id": self.spec.id, "url": result.url, "stage": "parse"}
        if result.not_modified:
            logger.info("feed not modified", extra=log)
            return
        feed = await asyncio.to_thread(parse_feed, result.body, result.content_type, result.url)
        logger.info("feed parsed: %d entries by %s", len(feed.entries), feed.parser, extra=log)
        for item in entry_records(feed):
            yield await self._record(item, result, fetched_at, feed_url)

    async def _record(
        self, item: FeedEntryRecord, result: FetchResult, fetched_at: datetime, feed_url: str
    ) -> RawRecord:
        entry = item.entry
        fields: dict[str, Any] = {"base_url": entry.fields["base_url"]}
        if item.guid_reused:
            fields["guid_reused"] = True
        unchanged = item.hint is not None and self.ctx.is_unchanged(item.hint, item.digest)
        if not unchanged:
            fields = {**entry.fields, **fields, "feed_url": feed_url}
            if self.options.full_text or is_summary_only(entry, self.options.summary_min_chars):
                fields |= await fetch_full_text(
                    self.ctx.fetcher, entry.url, fields["base_url"], self.options, source_id=self.spec.id
                )
        return RawRecord(
            source_id=self.spec.id,
            content_type=self.spec.content_type,
            url=entry.url or "",
            guid=item.guid,
            fields=fields,
            fetched_at=fetched_at,
            entry_digest=item.digest,
            payload_hash=result.payload_hash,
            unchanged=unchanged,
        )
