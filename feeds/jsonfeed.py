"""JSON Feed 1.1 renderer: FeedPage -> bytes, with next_url paging and a `_portalhub` object per item."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from feeds.model import Attribution, FeedEntry, FeedPage, Republication
from feeds.values import clean, rfc3339, scalar_text

VERSION = "https://jsonfeed.org/version/1.1"

JsonObject = dict[str, Any]


def render_json(page: FeedPage) -> bytes:
    """The page as a JSON Feed document (UTF-8, not ASCII-escaped)."""
    document = _drop_empty(
        {
            "version": VERSION,
            "title": clean(page.title),
            "home_page_url": page.home_url,
            "feed_url": page.self_url,
            "description": clean(page.subtitle),
            "next_url": page.next_url,
            "language": page.language,
            # JSON Feed has only next_url; the other RFC 5005 links travel in the extension.
            "_portalhub": _drop_empty(
                {
                    "id": page.id,
                    "updated": rfc3339(page.updated),
                    "first_url": page.first_url,
                    "prev_url": page.prev_url,
                }
            ),
            "items": [_item(entry) for entry in page.entries],
        }
    )
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _item(entry: FeedEntry) -> JsonObject:
    author = entry.author or (entry.attribution.agency if entry.attribution else "")
    # An item needs content_html or content_text (JSON Feed 1.1); without a body the summary stands in.
    body = ("content_html", entry.content_html) if entry.content_html else ("content_text", entry.summary)
    return _drop_empty(
        {
            "id": clean(entry.id),
            "url": entry.link,
            "title": clean(entry.title),
            body[0]: clean(body[1] or entry.title),
            "summary": clean(entry.summary),
            "image": entry.image_url,
            "date_published": rfc3339(entry.published),
            "date_modified": rfc3339(entry.updated),
            "authors": [{"name": clean(author)}] if author else None,
            "tags": [clean(topic) for topic in entry.categories],
            "_portalhub": _extension(entry),
        }
    )


def _extension(entry: FeedEntry) -> JsonObject:
    return _drop_empty(
        {
            "content_type": entry.content_type,
            "attribution": _attribution(entry.attribution) if entry.attribution else None,
            "republications": [_republication(one) for one in entry.republications],
            "fields": _json_value(entry.fields),
        }
    )


def _attribution(attribution: Attribution) -> JsonObject:
    return _drop_empty(
        {
            "source_id": attribution.source_id,
            "portal": clean(attribution.portal_name),
            "agency": clean(attribution.agency),
            "portal_url": attribution.portal_url,
            "feed_url": attribution.feed_url,
        }
    )


def _republication(republication: Republication) -> JsonObject:
    return {
        "url": republication.url,
        "source_id": republication.source_id,
        "portal": clean(republication.portal_name),
        "agency": clean(republication.agency),
        "published": rfc3339(republication.published),
    }


def _json_value(value: Any) -> Any:
    """Structured fields with text cleaned and dates as ISO 8601 text; nesting kept."""
    if isinstance(value, Mapping):
        return {str(key): _json_value(one) for key, one in value.items() if one is not None}
    if isinstance(value, list | tuple):
        return [_json_value(one) for one in value]
    if isinstance(value, str | date):
        return scalar_text(value)
    return value


def _drop_empty(mapping: JsonObject) -> JsonObject:
    # JSON Feed readers treat a missing key and an empty one alike; the schema rejects nulls.
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}
