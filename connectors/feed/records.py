"""Parsed entries -> identity and digest: reused guids dropped, entry digests, summary-only test.

Input: `ParsedFeed`. Output: `FeedEntryRecord`s (entry + digest + reuse flag) in feed order;
repeated entries are kept (the hub dedupes by identity).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass

from connectors.feed.model import ParsedEntry, ParsedFeed

_TAG = re.compile(r"<[^>]+>")
# Feed-level values repeated on every entry: a renamed channel is not an edit of its entries.
_DIGEST_EXCLUDED = frozenset({"feed_title"})


@dataclass(frozen=True, slots=True)
class FeedEntryRecord:
    entry: ParsedEntry
    guid: str | None  # None when the feed reuses the guid for different links
    digest: str
    guid_reused: bool = False

    @property
    def hint(self) -> str | None:
        """Identity hint for `HarvestContext.is_unchanged`: guid, else the link as found."""
        return self.guid or self.entry.url


def entry_records(feed: ParsedFeed) -> list[FeedEntryRecord]:
    """One record per entry, in feed order, with reused guids cleared."""
    reused = reused_guids(feed.entries)
    return [
        FeedEntryRecord(
            entry=entry,
            guid=None if entry.guid in reused else entry.guid,
            digest=entry_digest(entry),
            guid_reused=entry.guid in reused,
        )
        for entry in feed.entries
    ]


def reused_guids(entries: list[ParsedEntry]) -> set[str]:
    """Guids that two entries with different links share: they identify nothing."""
    links: dict[str, set[str | None]] = defaultdict(set)
    for entry in entries:
        if entry.guid is not None:
            links[entry.guid].add(entry.url)
    return {guid for guid, urls in links.items() if len(urls) > 1}


def entry_digest(entry: ParsedEntry) -> str:
    """sha256 hex of the entry's link, guid and fields (canonical JSON), identical for both parsers."""
    fields = {k: v for k, v in entry.fields.items() if k not in _DIGEST_EXCLUDED}
    payload = json.dumps([entry.url, entry.guid, fields], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def is_summary_only(entry: ParsedEntry, min_chars: int) -> bool:
    """No full content and a summary whose visible text is shorter than `min_chars`."""
    if entry.fields.get("body_html"):
        return False
    summary = entry.fields.get("summary") or ""
    return len(" ".join(html.unescape(_TAG.sub(" ", summary)).split())) < min_chars
