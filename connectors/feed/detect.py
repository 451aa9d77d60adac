"""Sniff the feed format from the root element: RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom.

Input: UTF-8 bytes without a DOCTYPE. Output: `FeedFormat`, or `ConnectorError(parse.not_a_feed)`
naming what was found instead (an HTML page, JSON, plain text).
"""

from __future__ import annotations

import enum
import re

from connectors.base import ConnectorError

ATOM_NS = "http://www.w3.org/2005/Atom"
RSS1_NS = "http://purl.org/rss/1.0/"

_HEAD_BYTES = 8192
# Skip the XML declaration, comments and processing instructions; capture the root's name and attributes.
_ROOT = re.compile(
    rb"^(?:\s|<\?.*?\?>|<!--.*?-->)*<(?P<name>[A-Za-z_][\w.:-]*)(?P<attrs>[^>]*)>",
    re.DOTALL,
)


class FeedFormat(enum.StrEnum):
    ATOM = "atom"
    ATOM03 = "atom03"  # pre-RFC Atom 0.3: only feedparser reads it
    RDF = "rdf"
    RSS = "rss"


def detect_format(body: bytes, url: str) -> FeedFormat:
    """The feed format of `body`; raise `parse.not_a_feed` naming what was found instead."""
    match = _ROOT.match(body[:_HEAD_BYTES])
    if match is None:
        raise _not_a_feed(url, _describe_non_xml(body))
    name = match.group("name").decode("ascii", "replace")
    attrs = match.group("attrs")
    local = name.rsplit(":", 1)[-1].lower()
    if local == "rss":
        return FeedFormat.RSS
    if local == "rdf":
        return FeedFormat.RDF
    if local == "feed":
        return FeedFormat.ATOM if ATOM_NS.encode() in attrs else FeedFormat.ATOM03
    found = "an HTML page" if local == "html" else f"an XML document whose root element is <{name}>"
    raise _not_a_feed(url, found)


def _describe_non_xml(body: bytes) -> str:
    start = body[:_HEAD_BYTES].lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:1024]:
        return "an HTML page"
    if start.startswith((b"{", b"[")):
        return "a JSON document"
    if not start:
        return "an empty body"
    return f"text starting with {start[:40]!r}"


def _not_a_feed(url: str, found: str) -> ConnectorError:
    return ConnectorError(
        f"{url} is not an RSS, RDF or Atom feed: found {found}", code="parse.not_a_feed", url=url
    )
