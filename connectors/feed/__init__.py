"""The `feed` kind: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom feeds -> RawRecords."""

from connectors.feed.connector import FeedConnector
from connectors.feed.options import FeedOptions

__all__ = ["FeedConnector", "FeedOptions"]
