"""RSS 0.9x/2.0 on the lxml fast path: <channel><item> elements -> `ParsedFeed`.

The item-child table is shared with RSS 1.0 (`rdf.py`), whose elements differ only in namespace.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from connectors.feed.detect import FeedFormat
from connectors.feed.model import IMAGE_MEDIA_PREFIX, EntryDraft, ParsedFeed, finish_entry
from connectors.feed.xmltree import (
    ATOM,
    CONTENT_NS,
    DC_NS,
    DCTERMS_NS,
    MEDIA_NS,
    text_of,
    xml_base,
)

Handler = Callable[[EntryDraft, etree._Element], None]


def parse_rss(root: etree._Element, feed_url: str) -> ParsedFeed:
    """Entries of an RSS 0.9x/2.0 document (root <rss>)."""
    channel = root.find("channel")
    if channel is None:
        return ParsedFeed(FeedFormat.RSS, "lxml", None, [])
    title = _child_text(channel, "title")
    handlers = item_handlers("")
    entries = [
        finish_entry(read_item(item, handlers), fmt=FeedFormat.RSS, feed_url=feed_url, feed_title=title)
        for item in channel.iterfind("item")
    ]
    return ParsedFeed(FeedFormat.RSS, "lxml", title, entries)


def read_item(item: etree._Element, handlers: dict[str, Handler]) -> EntryDraft:
    """One item's children, in document order, through the handler table."""
    draft = EntryDraft(xml_base=xml_base(item))
    for child in item:
        handler = handlers.get(child.tag) if isinstance(child.tag, str) else None
        if handler is not None:
            handler(draft, child)
    return draft


def item_handlers(ns: str) -> dict[str, Handler]:
    """Element name -> what it fills; `ns` is "" for RSS 2.0 and the RSS 1.0 namespace for RDF."""
    return {
        ATOM + "published": _set("published"),
        ATOM + "updated": _set("updated"),
        CONTENT_NS + "encoded": _body,
        DC_NS + "creator": _author,
        DC_NS + "date": _set("updated"),  # feedparser's name for it; model.finish_entry falls back
        DC_NS + "subject": _topic,
        DCTERMS_NS + "issued": _set("published"),
        DCTERMS_NS + "modified": _set("updated"),
        MEDIA_NS + "content": _media_content,
        MEDIA_NS + "thumbnail": _thumbnail,
        ns + "author": _author,
        ns + "category": _topic,
        ns + "description": _set("summary"),
        ns + "enclosure": _enclosure,
        ns + "guid": _guid,
        ns + "link": _set("url"),
        ns + "pubDate": _set("published"),
        ns + "title": _set("title"),
    }


def _set(name: str) -> Handler:
    def handle(draft: EntryDraft, el: etree._Element) -> None:
        setattr(draft, name, text_of(el))

    return handle


def _body(draft: EntryDraft, el: etree._Element) -> None:
    if draft.body_html is None:  # the first content element is the body, as feedparser's content[0]
        draft.body_html = text_of(el)


def _author(draft: EntryDraft, el: etree._Element) -> None:
    text = text_of(el)
    if text:
        draft.authors.append(text)


def _topic(draft: EntryDraft, el: etree._Element) -> None:
    text = text_of(el)
    if text:
        draft.topics.append(text)


def _guid(draft: EntryDraft, el: etree._Element) -> None:
    draft.guid = text_of(el)
    draft.guid_is_permalink = el.get("isPermaLink", "true").lower() == "true"


def _enclosure(draft: EntryDraft, el: etree._Element) -> None:
    if el.get("url") and el.get("type", "").startswith(IMAGE_MEDIA_PREFIX):
        draft.enclosure_images.append(el.get("url", ""))


def _media_content(draft: EntryDraft, el: etree._Element) -> None:
    if el.get("url") and (el.get("medium") == "image" or el.get("type", "").startswith(IMAGE_MEDIA_PREFIX)):
        draft.media_images.append(el.get("url", ""))


def _thumbnail(draft: EntryDraft, el: etree._Element) -> None:
    if el.get("url"):
        draft.thumbnails.append(el.get("url", ""))


def _child_text(el: etree._Element, tag: str) -> str | None:
    child = el.find(tag)
    return None if child is None else text_of(child)
