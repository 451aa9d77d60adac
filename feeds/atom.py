"""Atom 1.0 (RFC 4287) renderer: FeedPage -> bytes, with RFC 5005 paging, atom:source and `ph` fields."""

from __future__ import annotations

from feeds.model import Attribution, FeedEntry, FeedPage
from feeds.namespace import ATOM_NS, NS_PREFIX, NS_URI
from feeds.values import rfc3339
from feeds.xmlwriter import XmlWriter, write_extension

ATOM_TYPE = "application/atom+xml"
HTML_TYPE = "text/html"

# RFC 5005 §3 names the paging relations "first", "next" and "previous" ("prev" is HTML's spelling, which
# Atom readers that page archives do not look for).
PAGING_RELS = (("first", "first_url"), ("previous", "prev_url"), ("next", "next_url"))

# Republications are other portals' copies of the story, not where its information came from (that is the
# alternate link and atom:source), so they are "related" rather than "via" (RFC 4287 §4.2.7.2).
REPUBLICATION_REL = "related"


def render_atom(page: FeedPage) -> bytes:
    """The page as an Atom feed document."""
    writer = XmlWriter()
    writer.start("feed", {"xmlns": ATOM_NS, f"xmlns:{NS_PREFIX}": NS_URI, "xml:lang": page.language})
    _feed_head(writer, page)
    for entry in page.entries:
        _entry(writer, entry)
    writer.end()
    return writer.to_bytes()


def _feed_head(writer: XmlWriter, page: FeedPage) -> None:
    writer.element("id", page.id)
    writer.element("title", page.title)
    if page.subtitle:
        writer.element("subtitle", page.subtitle)
    writer.element("updated", rfc3339(page.updated))
    _link(writer, page.self_url, "self", ATOM_TYPE)
    if page.home_url:
        _link(writer, page.home_url, "alternate", HTML_TYPE)
    for rel, attr in PAGING_RELS:
        href = getattr(page, attr)
        if href:
            _link(writer, href, rel, ATOM_TYPE)
    # RFC 4287 §4.1.1: a feed needs an author unless every entry has one.
    if not all(_author_name(entry) for entry in page.entries):
        _author(writer, page.title)


def _entry(writer: XmlWriter, entry: FeedEntry) -> None:
    writer.start("entry")
    writer.element("id", entry.id)
    writer.element("title", entry.title)
    writer.element("updated", rfc3339(entry.updated))
    writer.element("published", rfc3339(entry.published))
    _link(writer, entry.link, "alternate", HTML_TYPE)
    for republication in entry.republications:
        _link(writer, republication.url, REPUBLICATION_REL, HTML_TYPE, republication.portal_name)
    if name := _author_name(entry):
        _author(writer, name)
    for topic in entry.categories:
        writer.element("category", attrs={"term": topic})
    if entry.summary:
        writer.element("summary", entry.summary, {"type": "text"})
    if entry.content_html:
        writer.element("content", entry.content_html, {"type": "html"})
    if entry.attribution is not None:
        _source(writer, entry.attribution, entry)
    write_extension(writer, entry)
    writer.end()


def _source(writer: XmlWriter, attribution: Attribution, entry: FeedEntry) -> None:
    writer.start("source")
    writer.element("id", attribution.feed_url or attribution.portal_url)
    writer.element("title", attribution.portal_name)
    _link(writer, attribution.portal_url, "alternate", HTML_TYPE)
    if attribution.feed_url:
        _link(writer, attribution.feed_url, "self")
    # The hub does not keep the source feed's own <updated>; the entry's is the latest moment the
    # source is known to have been in this state.
    writer.element("updated", rfc3339(entry.updated))
    if attribution.agency:
        _author(writer, attribution.agency)
    writer.end()


def _author_name(entry: FeedEntry) -> str:
    return entry.author or (entry.attribution.agency if entry.attribution else "")


def _author(writer: XmlWriter, name: str) -> None:
    writer.start("author")
    writer.element("name", name)
    writer.end()


def _link(writer: XmlWriter, href: str, rel: str, type_: str = "", title: str | None = None) -> None:
    attrs = {"href": href, "rel": rel}
    if type_:
        attrs["type"] = type_
    if title:
        attrs["title"] = title
    writer.element("link", attrs=attrs)
