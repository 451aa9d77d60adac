"""The parsed feed both parsers (lxml fast path, feedparser fallback) produce, and the rules they share.

Each parser fills an `EntryDraft` per entry with values as written; `finish_entry` applies the
rules common to both (link from guid, date and image fallbacks, author name) -> `ParsedEntry`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from connectors.feed.detect import FeedFormat

# Every key is always present in `ParsedEntry.fields` (None or [] when the feed has no value),
# so records from both parsers compare equal key by key.
FIELD_NAMES = (
    "author",
    "base_url",
    "body_html",
    "feed_title",
    "image_url",
    "published",
    "summary",
    "title",
    "topics",
    "updated",
)
IMAGE_MEDIA_PREFIX = "image/"

_ABSOLUTE = re.compile(r"^https?://", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@(?:[\w-]+\.)+[A-Za-z]{2,}")
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)  # tracking pixels live there
_FIRST_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)


@dataclass(slots=True)
class EntryDraft:
    """One entry's values as written, accumulated while parsing (last element of a kind wins)."""

    url: str | None = None
    guid: str | None = None
    guid_is_permalink: bool = True
    xml_base: str | None = None  # the xml:base in effect, None when the feed declares none
    title: str | None = None
    summary: str | None = None
    body_html: str | None = None
    published: str | None = None
    updated: str | None = None
    authors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    enclosure_images: list[str] = field(default_factory=list)
    media_images: list[str] = field(default_factory=list)
    thumbnails: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    url: str | None  # as found (joined with xml:base only when the feed declares one)
    guid: str | None
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    format: FeedFormat
    parser: str  # "lxml" or "feedparser": which path read it (for logs and tests)
    title: str | None
    entries: list[ParsedEntry]


def finish_entry(draft: EntryDraft, *, fmt: FeedFormat, feed_url: str, feed_title: str | None) -> ParsedEntry:
    """Apply the rules both parsers share and freeze the entry."""
    url = draft.url or _url_from_guid(draft)
    published = draft.published
    if published is None and fmt not in (FeedFormat.ATOM, FeedFormat.ATOM03):
        published = draft.updated  # RSS/RDF feeds often carry only dc:date: it is the publication date
    fields: dict[str, Any] = {
        "author": author_name(draft.authors[0]) if draft.authors else None,
        "base_url": draft.xml_base or feed_url,
        "body_html": draft.body_html,
        "feed_title": feed_title,
        "image_url": _join(draft.xml_base, _image(draft)),
        "published": published,
        "summary": draft.summary,
        "title": draft.title,
        "topics": unique(draft.topics),
        "updated": draft.updated,
    }
    return ParsedEntry(url=_join(draft.xml_base, url), guid=draft.guid, fields=fields)


def author_name(raw: str) -> str | None:
    """`ubnd@khanhhoa.gov.vn (Ban Biên tập)` -> `Ban Biên tập`; a bare address stays as it is."""
    email = _EMAIL.search(raw)
    if email is None:
        return raw.strip() or None
    rest = raw.replace(email.group(0), "").replace("()", "").replace("<>", "").strip().strip("()").strip()
    return rest or email.group(0)


def unique(values: list[str]) -> list[str]:
    """Non-empty values, first occurrence kept, in order."""
    return list(dict.fromkeys(v for v in values if v))


def clean(value: str | None) -> str | None:
    """Surrounding whitespace removed; empty -> None (both parsers treat `<title> </title>` as absent)."""
    if value is None:
        return None
    return value.strip() or None


def _url_from_guid(draft: EntryDraft) -> str | None:
    # RSS 2.0: a guid is a permalink unless isPermaLink="false"; only trust it when it looks like one.
    if draft.guid and draft.guid_is_permalink and _ABSOLUTE.match(draft.guid):
        return draft.guid
    return None


def _image(draft: EntryDraft) -> str | None:
    for candidates in (draft.enclosure_images, draft.media_images, draft.thumbnails):
        if candidates:
            return candidates[0]
    for html in (draft.body_html, draft.summary):
        match = _FIRST_IMG.search(_SCRIPT.sub("", html or ""))
        if match:
            return match.group(1)
    return None


def _join(base: str | None, url: str | None) -> str | None:
    if url is None or base is None:
        return url
    return urljoin(base, url)
