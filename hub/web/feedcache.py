"""Rendered feed pages kept in memory, and the HTTP answer (200, gzip, 304) built from one.

A page is valid while the stream's change marker is the one it was rendered at, so an unchanged
stream is answered without querying items again: the central portal can poll every minute cheaply.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from threading import Lock

CACHE_CONTROL = b"public, max-age=60"
VARY = b"Accept-Encoding"

RawHeaders = list[tuple[bytes, bytes]]


@dataclass(frozen=True, slots=True)
class CachedPage:
    """One rendered page with everything a conditional answer needs, precomputed once."""

    marker: str
    media_type: bytes
    body: bytes
    gzip_body: bytes
    etag: bytes  # strong, of the identity body
    gzip_etag: bytes  # strong, of the gzip representation (a different representation, a different tag)
    last_modified: bytes
    last_modified_at: datetime

    @classmethod
    def build(cls, *, marker: str, media_type: str, body: bytes, updated: datetime) -> CachedPage:
        digest = hashlib.sha256(body).hexdigest()[:32]
        updated = updated.replace(microsecond=0)
        return cls(
            marker=marker,
            media_type=media_type.encode(),
            body=body,
            gzip_body=gzip.compress(body, compresslevel=6, mtime=0),
            etag=f'"{digest}"'.encode(),
            gzip_etag=f'"{digest}-gz"'.encode(),
            last_modified=format_datetime(updated, usegmt=True).encode(),
            last_modified_at=updated,
        )


class FeedCache:
    """A bounded LRU of pages keyed by path and canonical query string; safe across threads."""

    def __init__(self, max_entries: int = 1024) -> None:
        self._pages: OrderedDict[str, CachedPage] = OrderedDict()
        self._max_entries = max_entries
        self._lock = Lock()

    def get(self, key: str, marker: str) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None or page.marker != marker:
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: CachedPage) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self._max_entries:
                self._pages.popitem(last=False)


def cache_key(path: str, query_string: bytes) -> str:
    """Same filters in any order give the same key."""
    pairs = sorted(part for part in query_string.decode("latin-1").split("&") if part)
    return path + "?" + "&".join(pairs)


def answer(page: CachedPage, headers: dict[bytes, bytes], *, head: bool) -> tuple[int, RawHeaders, bytes]:
    """Status, headers and body for a request with these (lower-case) headers."""
    use_gzip = b"gzip" in headers.get(b"accept-encoding", b"")
    etag = page.gzip_etag if use_gzip else page.etag
    common = [
        (b"etag", etag),
        (b"last-modified", page.last_modified),
        (b"cache-control", CACHE_CONTROL),
        (b"vary", VARY),
    ]
    if _not_modified(page, headers):
        return 304, common, b""
    body = page.gzip_body if use_gzip else page.body
    out = [*common, (b"content-type", page.media_type), (b"content-length", str(len(body)).encode())]
    if use_gzip:
        out.append((b"content-encoding", b"gzip"))
    return 200, out, b"" if head else body


def _not_modified(page: CachedPage, headers: dict[bytes, bytes]) -> bool:
    if_none_match = headers.get(b"if-none-match")
    if if_none_match is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
        tags = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
        return b"*" in tags or page.etag in tags or page.gzip_etag in tags
    if_modified_since = headers.get(b"if-modified-since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since.decode("latin-1"))
    except (TypeError, ValueError):
        return False
    return since.tzinfo is not None and page.last_modified_at <= since
