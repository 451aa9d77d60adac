"""RSS 2.0 renderer: FeedPage -> bytes, with atom:link paging, <source>, Dublin Core and `ph` fields."""

from __future__ import annotations

from feeds.model import FeedEntry, FeedPage
from feeds.namespace import ATOM_NS, CONTENT_NS, DC_NS, NS_PREFIX, NS_URI
from feeds.values import rfc822, rfc3339
from feeds.xmlwriter import XmlWriter, write_extension

RSS_TYPE = "application/rss+xml"

# The same RFC 5005 relations as in Atom, on atom:link elements (the RSS Advisory Board's practice).
PAGING_RELS = (("first", "first_url"), ("previous", "prev_url"), ("next", "next_url"))

# dc:identifier per content type (Circular 24/2011 maps it to the document number); an article's is its URL.
IDENTIFIER_FIELDS = {"document": "number", "service": "procedure_code"}

NAMESPACES = {
    "version": "2.0",
    "xmlns:atom": ATOM_NS,
    "xmlns:content": CONTENT_NS,
    "xmlns:dc": DC_NS,
    f"xmlns:{NS_PREFIX}": NS_URI,
}


def render_rss(page: FeedPage) -> bytes:
    """The page as an RSS 2.0 document."""
    writer = XmlWriter()
    writer.start("rss", NAMESPACES)
    writer.start("channel")
    _channel_head(writer, page)
    for entry in page.entries:
        _item(writer, entry)
    writer.end()
    writer.end()
    return writer.to_bytes()


def _channel_head(writer: XmlWriter, page: FeedPage) -> None:
    writer.element("title", page.title)
    writer.element("link", page.home_url or page.self_url)
    writer.element("description", page.subtitle or page.title)
    writer.element("language", page.language)
    writer.element("lastBuildDate", rfc822(page.updated))
    writer.element("atom:link", attrs={"href": page.self_url, "rel": "self", "type": RSS_TYPE})
    for rel, attr in PAGING_RELS:
        href = getattr(page, attr)
        if href:
            writer.element("atom:link", attrs={"href": href, "rel": rel, "type": RSS_TYPE})


def _item(writer: XmlWriter, entry: FeedEntry) -> None:
    writer.start("item")
    writer.element("title", entry.title)
    writer.element("link", entry.link)
    # A guid is a permalink only when it is the item's URL; tag: and urn: ids are not.
    writer.element("guid", entry.id, {"isPermaLink": "true" if entry.id == entry.link else "false"})
    writer.element("pubDate", rfc822(entry.published))
    if entry.summary:
        writer.element("description", entry.summary)
    if entry.content_html:
        writer.element("content:encoded", entry.content_html)
    for topic in entry.categories:
        writer.element("category", topic)
    _dublin_core(writer, entry)
    # RSS has no per-item modification time; atom:updated carries the source's last edit.
    writer.element("atom:updated", rfc3339(entry.updated))
    if entry.attribution is not None:
        attribution = entry.attribution
        url = attribution.feed_url or attribution.portal_url
        writer.element("source", attribution.portal_name, {"url": url})
    write_extension(writer, entry)
    writer.end()


def _dublin_core(writer: XmlWriter, entry: FeedEntry) -> None:
    # RSS <author> must be an e-mail address; an agency is a name, so it goes in dc:creator.
    creator = entry.author or (entry.attribution.agency if entry.attribution else "")
    if creator:
        writer.element("dc:creator", creator)
    writer.element("dc:date", rfc3339(entry.published))
    if entry.attribution is not None:
        writer.element("dc:publisher", entry.attribution.portal_name)
    identifier_field = IDENTIFIER_FIELDS.get(entry.content_type, "")
    writer.element("dc:identifier", str(entry.fields.get(identifier_field) or entry.link))
    if doc_type := entry.fields.get("doc_type"):
        writer.element("dc:type", str(doc_type))
