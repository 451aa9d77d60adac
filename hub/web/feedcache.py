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
    # Header lists of the four answers (200 or 304, identity or gzip), built once: a poll only picks one.
    answers: dict[tuple[int, bool], RawHeaders]

    @classmethod
    def build(cls, *, marker: str, media_type: str, body: bytes, updated: datetime) -> CachedPage:
        digest = hashlib.sha256(body).hexdigest()[:32]
        updated = updated.replace(microsecond=0)
        gzip_body = gzip.compress(body, compresslevel=6, mtime=0)
        last_modified = format_datetime(updated, usegmt=True).encode()
        etags = {False: f'"{digest}"'.encode(), True: f'"{digest}-gz"'.encode()}
        return cls(
            marker=marker,
            media_type=media_type.encode(),
            body=body,
            gzip_body=gzip_body,
            etag=etags[False],
            gzip_etag=etags[True],
            last_modified=last_modified,
            last_modified_at=updated,
            answers=_answers(
                etags, last_modified, media_type.encode(), {False: len(body), True: len(gzip_body)}
            ),
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
    if _not_modified(page, headers):
        return 304, list(page.answers[304, use_gzip]), b""  # a copy: middleware may add to the list
    body = b"" if head else page.gzip_body if use_gzip else page.body
    return 200, list(page.answers[200, use_gzip]), body


def _answers(
    etags: dict[bool, bytes], last_modified: bytes, media_type: bytes, lengths: dict[bool, int]
) -> dict[tuple[int, bool], RawHeaders]:
    answers: dict[tuple[int, bool], RawHeaders] = {}
    for use_gzip in (False, True):
        full = _headers(etags[use_gzip], last_modified, media_type, lengths[use_gzip])
        answers[200, use_gzip] = [*full, (b"content-encoding", b"gzip")] if use_gzip else full
        answers[304, use_gzip] = full[:4]  # validators and caching headers only
    return answers


def _headers(etag: bytes, last_modified: bytes, media_type: bytes, length: int) -> RawHeaders:
    """The validators and caching headers first (all a 304 carries), then those of the body."""
    return [
        (b"etag", etag),
        (b"last-modified", last_modified),
        (b"cache-control", CACHE_CONTROL),
        (b"vary", VARY),
        (b"content-type", media_type),
        (b"content-length", str(length).encode()),
    ]


def _not_modified(page: CachedPage, headers: dict[bytes, bytes]) -> bool:
    if_none_match = headers.get(b"if-none-match")
    if if_none_match is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
        if if_none_match in (page.etag, page.gzip_etag):  # what a poller sends back: one tag, as given
            return True
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
