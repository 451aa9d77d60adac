"""Renderers keyed by format, their media types, and `render(page, fmt)`: FeedPage -> bytes."""

from __future__ import annotations

from collections.abc import Callable

from feeds.atom import render_atom
from feeds.errors import RenderError
from feeds.jsonfeed import render_json
from feeds.model import FeedPage
from feeds.rss import render_rss

Renderer = Callable[[FeedPage], bytes]

RENDERERS: dict[str, Renderer] = {
    "atom": render_atom,
    "json": render_json,
    "rss": render_rss,
}

MEDIA_TYPES: dict[str, str] = {
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
}


def render(page: FeedPage, fmt: str) -> bytes:
    """The page in one format (`atom`, `rss`, `json`); an unknown format is a RenderError."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise RenderError(f"unknown feed format {fmt!r}", code="render.unknown_format") from None
    return renderer(page)
