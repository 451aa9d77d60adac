"""RSS 1.0 (RDF) on the lxml fast path: <rdf:RDF> with <channel> and sibling <item>s -> `ParsedFeed`.

Items use the RSS 2.0 handler table in the RSS 1.0 namespace; `rdf:about` is the entry's guid.
"""

from __future__ import annotations

from lxml import etree

from connectors.feed.detect import FeedFormat
from connectors.feed.model import ParsedFeed, finish_entry
from connectors.feed.rss import item_handlers, read_item
from connectors.feed.xmltree import RDF_NS, RSS1, text_of


def parse_rdf(root: etree._Element, feed_url: str) -> ParsedFeed:
    """Entries of an RSS 1.0 document; items are children of the root, not of <channel>."""
    channel_title = root.find(f"{RSS1}channel/{RSS1}title")
    title = None if channel_title is None else text_of(channel_title)
    handlers = item_handlers(RSS1)
    entries = []
    for item in root.iterfind(f"{RSS1}item"):
        draft = read_item(item, handlers)
        about = item.get(f"{RDF_NS}about")
        if about:
            draft.guid, draft.guid_is_permalink = about, False  # an RDF resource name, not a link
        entries.append(finish_entry(draft, fmt=FeedFormat.RDF, feed_url=feed_url, feed_title=title))
    return ParsedFeed(FeedFormat.RDF, "lxml", title, entries)
