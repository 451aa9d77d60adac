"""Atom 1.0 (RFC 4287) on the lxml fast path: <feed><entry> elements -> `ParsedFeed`.

Text constructs keep their markup: `type="html"` as the escaped string, `type="xhtml"` serialised.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from connectors.feed.detect import FeedFormat
from connectors.feed.model import IMAGE_MEDIA_PREFIX, EntryDraft, ParsedFeed, finish_entry
from connectors.feed.xmltree import ATOM, MEDIA_NS, text_of, xhtml_inner, xml_base

Handler = Callable[[EntryDraft, etree._Element], None]
HTML_LINK_TYPES = frozenset({"application/xhtml+xml", "text/html"})  # feedparser's "alternate" types


def parse_atom(root: etree._Element, feed_url: str) -> ParsedFeed:
    """Entries of an Atom 1.0 document."""
    title_el = root.find(ATOM + "title")
    title = None if title_el is None else construct_text(title_el)
    entries = [
        finish_entry(_read_entry(entry), fmt=FeedFormat.ATOM, feed_url=feed_url, feed_title=title)
        for entry in root.iterfind(ATOM + "entry")
    ]
    return ParsedFeed(FeedFormat.ATOM, "lxml", title, entries)


def construct_text(el: etree._Element) -> str | None:
    """An Atom text construct's value: XHTML serialised, text and HTML as written."""
    if el.get("type") == "xhtml":
        return xhtml_inner(el)
    return text_of(el)


def _read_entry(entry: etree._Element) -> EntryDraft:
    draft = EntryDraft(xml_base=xml_base(entry))
    for child in entry:
        handler = _HANDLERS.get(child.tag) if isinstance(child.tag, str) else None
        if handler is not None:
            handler(draft, child)
    return draft


def _set(name: str) -> Handler:
    def handle(draft: EntryDraft, el: etree._Element) -> None:
        setattr(draft, name, construct_text(el))

    return handle


def _content(draft: EntryDraft, el: etree._Element) -> None:
    if draft.body_html is None and el.get("src") is None:  # out-of-line content has no body here
        draft.body_html = construct_text(el)


def _link(draft: EntryDraft, el: etree._Element) -> None:
    rel, href, media = el.get("rel", "alternate"), el.get("href"), el.get("type", "text/html")
    if not href:
        return
    if rel == "alternate" and media in HTML_LINK_TYPES:
        draft.url = href  # the last alternate HTML link wins, as in feedparser
    elif rel == "enclosure" and media.startswith(IMAGE_MEDIA_PREFIX):
        draft.enclosure_images.append(href)


def _author(draft: EntryDraft, el: etree._Element) -> None:
    name, email = el.find(ATOM + "name"), el.find(ATOM + "email")
    value = (None if name is None else text_of(name)) or (None if email is None else text_of(email))
    if value:
        draft.authors.append(value)


def _category(draft: EntryDraft, el: etree._Element) -> None:
    term = (el.get("term") or "").strip()
    if term:
        draft.topics.append(term)


def _media(kind: str) -> Handler:
    def handle(draft: EntryDraft, el: etree._Element) -> None:
        url = el.get("url")
        if url and kind == "thumbnail":
            draft.thumbnails.append(url)
        elif url and (el.get("medium") == "image" or el.get("type", "").startswith(IMAGE_MEDIA_PREFIX)):
            draft.media_images.append(url)

    return handle


def _id(draft: EntryDraft, el: etree._Element) -> None:
    draft.guid = text_of(el)
    draft.guid_is_permalink = False  # an Atom id is a name, never a link


_HANDLERS: dict[str, Handler] = {
    ATOM + "author": _author,
    ATOM + "category": _category,
    ATOM + "content": _content,
    ATOM + "id": _id,
    ATOM + "link": _link,
    ATOM + "published": _set("published"),
    ATOM + "summary": _set("summary"),
    ATOM + "title": _set("title"),
    ATOM + "updated": _set("updated"),
    MEDIA_NS + "content": _media("content"),
    MEDIA_NS + "thumbnail": _media("thumbnail"),
}
