"""Feed bytes -> `ParsedFeed`: size cap, UTF-8, DOCTYPE refused/stripped, format sniffed, then parsed.

Steps:
1. cap the size (`parse.too_large`);
2. re-encode to UTF-8 with a fixed declaration when the document is in another encoding;
3. strip the DOCTYPE, refusing entity declarations (`parse.unsafe_xml`);
4. detect RSS / RDF / Atom (`parse.not_a_feed`);
5. lxml fast path for well-formed RSS 2.0, RDF and Atom 1.0; feedparser for everything else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from lxml import etree

from connectors.charset import xml_to_utf8
from connectors.feed.atom import parse_atom
from connectors.feed.detect import FeedFormat, detect_format
from connectors.feed.fallback import parse_with_feedparser
from connectors.feed.model import ParsedFeed
from connectors.feed.rdf import parse_rdf
from connectors.feed.rss import parse_rss
from connectors.feed.safety import check_size, strip_doctype
from connectors.feed.xmltree import parse_xml

logger = logging.getLogger(__name__)

FastParser = Callable[[etree._Element, str], ParsedFeed]
FAST_PARSERS: dict[FeedFormat, FastParser] = {
    FeedFormat.ATOM: parse_atom,
    FeedFormat.RDF: parse_rdf,
    FeedFormat.RSS: parse_rss,
}


def prepare_feed(body: bytes, content_type: str, url: str) -> tuple[bytes, FeedFormat]:
    """Steps 1-4: safe UTF-8 bytes and their format."""
    check_size(body, url)
    utf8, _decoded = xml_to_utf8(body, content_type)
    safe = strip_doctype(utf8, url)
    return safe, detect_format(safe, url)


def parse_feed(body: bytes, content_type: str, url: str) -> ParsedFeed:
    """Parse a fetched feed; `url` is the real (final) URL, the base for relative links."""
    safe, fmt = prepare_feed(body, content_type, url)
    parsed = parse_fast(safe, fmt, url)
    if parsed is not None:
        return parsed
    logger.info("feed is not well-formed; falling back to feedparser", extra={"url": url, "stage": "parse"})
    return parse_with_feedparser(safe, fmt, url)


def parse_fast(body: bytes, fmt: FeedFormat, url: str) -> ParsedFeed | None:
    """The lxml path; None when the format has no fast parser or the XML is not well-formed."""
    fast = FAST_PARSERS.get(fmt)
    if fast is None:
        return None
    try:
        root = parse_xml(body)
    except etree.XMLSyntaxError:
        return None
    return fast(root, url)
