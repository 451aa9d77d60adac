"""The normaliser's steps over one raw record: links, content, metadata. RawRecord -> small value objects.

Each step only calls the helper modules; `normalise_record` runs them in order and builds the item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.html

from connectors.base import RawRecord
from hub.pipeline.normalise.credit import take_credit
from hub.pipeline.normalise.fields import (
    author_text,
    fallback_title,
    summary_text,
    text_field,
    title_text,
    topics_list,
)
from hub.pipeline.normalise.fragment import read_fragment
from hub.pipeline.normalise.html import read_body
from hub.pipeline.normalise.text import CONTROL_CHARS_REMOVED, remove_control_chars, repair_flags
from hub.pipeline.normalise.urls import absolute_url, canonical_url


@dataclass(frozen=True, slots=True)
class Links:
    link: str | None  # the record's own link, absolute
    page: str  # what the body's relative links and images resolve against
    canonical: str  # the item's URL
    own: str | None  # canonical link when it names this record rather than the source's listing page


@dataclass(frozen=True, slots=True)
class Content:
    title: str
    summary: str
    body_html: str
    body_text: str
    credited_source: str | None
    flags: list[str] = field(default_factory=list)
    summary_image: str | None = None  # `src` of the source summary's first image, as written
    body_tree: lxml.html.HtmlElement | None = None  # `parse_fragment(body_html)` when at hand; read-only

    @property
    def empty(self) -> bool:
        return not (self.title or self.summary or self.body_text)


@dataclass(frozen=True, slots=True)
class Metadata:
    author: str | None
    topics: list[str]
    image_url: str | None


def resolve_links(record: RawRecord, source_url: str) -> Links:
    """Absolute and canonical URLs of the record: its link, else its base URL, else the source URL."""
    base = absolute_url(text_field(record.fields, "base_url"), source_url) or source_url
    link = absolute_url(record.url, base)
    full_text = absolute_url(text_field(record.fields, "full_text_url"), link or base)
    canonical = canonical_url(link or base)
    # Feeds generated from category pages point every entry at the listing: such a link names no entry.
    own = canonical if link and canonical != canonical_url(source_url) else None
    return Links(link=link, page=full_text or link or base, canonical=canonical, own=own)


def read_content(record: RawRecord, links: Links) -> Content:
    """Title, summary, sanitised body and its text; flags for encoding repairs, removed control characters
    and a made-up title.

    Each source text is parsed once: the body's sanitised HTML is parsed for its text, and that tree is
    the one the credit step edits; the summary's one parse gives its text and its first image.
    """
    raw_title, raw_summary, raw_body = (
        text_field(record.fields, k) for k in ("title", "summary", "body_html")
    )
    flags = repair_flags(raw_title, raw_summary, raw_body)
    if CONTROL_CHARS_REMOVED in flags:  # before any parse: lxml cannot hold them, and the item is kept
        raw_title, raw_summary, raw_body = (
            remove_control_chars(t) for t in (raw_title, raw_summary, raw_body)
        )
    body = read_body(raw_body, base_url=links.page)
    summary_plain, summary_image = read_fragment(raw_summary)
    summary = summary_text(summary_plain, body.text)
    title = title_text(raw_title)
    if not title and (summary or body.text):
        title, flags = fallback_title(summary, body.text), [*flags, "title.from_body"]
    # "Nguồn: ..." leaves the body, kept on its own
    taken = take_credit(body.html, body.text, summary, tree=body.tree)
    return Content(
        title, taken.summary, taken.body_html, taken.body_text, taken.line, flags, summary_image, taken.tree
    )


def read_metadata(record: RawRecord, links: Links, content: Content) -> Metadata:
    """Author, topics and an absolute image URL (else the first image of the summary)."""
    fields = record.fields
    image = absolute_url(text_field(fields, "image_url"), links.page)
    return Metadata(
        author=author_text(fields.get("author")),
        topics=topics_list(fields.get("topics")),
        image_url=image or absolute_url(content.summary_image, links.page),
    )
