"""ASGI middleware answering feed requests from the page cache before the framework routes them.

A request reaches FastAPI only when the cached page is missing or the change marker is stale; a
poll of an unchanged stream costs a dict lookup and a header comparison.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio

from hub.web.feedcache import FeedCache, answer, cache_key

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FEED_PREFIX = "/feeds/"


class ChangeMarker:
    """The last change marker read from the database, trusted for `ttl` seconds.

    Every process reads the marker at most once per `ttl`; changes made by another hub process are
    therefore visible within `ttl` seconds, which is what `Cache-Control: max-age` already allows.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._value: str | None = None
        self._read_at = 0.0

    def peek(self) -> str | None:
        """The marker when it is fresh, else None (the caller must read the database)."""
        if self._value is None or time.monotonic() - self._read_at > self.ttl:
            return None
        return self._value

    def set(self, value: str) -> None:
        self._value = value
        self._read_at = time.monotonic()


class FeedFastPath:
    """Wraps the app: GET/HEAD on /feeds/ with a fresh cached page is answered right here.

    When the marker has gone stale, one request goes on to the app (whose feed route reads the marker
    again) while the other polls of that moment wait for it, instead of all of them querying the database
    at once: under load, every expiry of the marker would otherwise stall the process.
    """

    def __init__(self, app: ASGIApp, *, cache: FeedCache, marker: ChangeMarker) -> None:
        self.app = app
        self.cache = cache
        self.marker = marker
        self._refreshed: anyio.Event | None = None  # set when the request reading the marker is done

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_feed_read(scope):
            await self.app(scope, receive, send)
            return
        marker = self.marker.peek()
        if marker is None and self._refreshed is not None:
            await self._refreshed.wait()
            marker = self.marker.peek()
        if marker is None:
            await self._refresh(scope, receive, send)
            return
        page = self.cache.get(cache_key(scope["path"], scope["query_string"]), marker)
        if page is None:
            await self.app(scope, receive, send)
            return
        status, headers, body = answer(page, dict(scope["headers"]), head=scope["method"] == "HEAD")
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _refresh(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._refreshed is not None:  # another request is already reading the marker: no queue of them
            await self.app(scope, receive, send)
            return
        self._refreshed = anyio.Event()
        try:
            await self.app(scope, receive, send)
        finally:
            self._refreshed.set()
            self._refreshed = None


def _is_feed_read(scope: Scope) -> bool:
    return (
        scope["type"] == "http"
        and scope["method"] in ("GET", "HEAD")
        and scope["path"].startswith(FEED_PREFIX)
    )
