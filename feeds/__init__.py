"""Feed renderers: a FeedPage (entries and paging links, already queried) -> Atom, RSS or JSON Feed bytes."""

from __future__ import annotations

from feeds.errors import RenderError
from feeds.model import Attribution, FeedEntry, FeedPage, Link, Republication
from feeds.namespace import NS_PREFIX, NS_URI
from feeds.registry import MEDIA_TYPES, RENDERERS, render

__all__ = [
    "MEDIA_TYPES",
    "NS_PREFIX",
    "NS_URI",
    "RENDERERS",
    "Attribution",
    "FeedEntry",
    "FeedPage",
    "Link",
    "RenderError",
    "Republication",
    "render",
]
