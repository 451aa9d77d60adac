"""Read a response body under a byte cap that applies to the decoded (decompressed) bytes.

Input: a streaming `httpx.Response`; output: at most `limit` bytes. Decompression is done here, not by
httpx, because httpx inflates each network chunk without bound: a 64 KiB gzip chunk can become 64 MiB.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import httpx

from connectors.fetch_errors import ContentEncodingError, TooLargeError

# What we offer in Accept-Encoding: only codecs whose output we can bound chunk by chunk.
ACCEPT_ENCODING = "gzip, deflate"

_IDENTITY = frozenset({"", "identity"})


class BodyDecoder(Protocol):
    def decode(self, data: bytes, max_length: int) -> bytes: ...

    def flush(self) -> bytes: ...


class _Identity:
    def decode(self, data: bytes, max_length: int) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


class _Zlib:
    """gzip or deflate, inflating no more than `max_length` bytes per call."""

    def __init__(self, wbits: int) -> None:
        self._inflate = zlib.decompressobj(wbits)
        self._raw_fallback = wbits == zlib.MAX_WBITS  # some servers send raw deflate without the zlib header
        self._started = False

    def decode(self, data: bytes, max_length: int) -> bytes:
        try:
            out = self._inflate.decompress(data, max_length)
        except zlib.error:
            if not self._raw_fallback or self._started:
                raise
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inflate.decompress(data, max_length)
        self._started = True
        return out

    def flush(self) -> bytes:
        return self._inflate.flush()


def decoder_for(content_encoding: str, *, url: str) -> BodyDecoder:
    """The bounded decoder for a Content-Encoding header value; refuses codings we did not offer."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip().lower() not in _IDENTITY]
    if not codings:
        return _Identity()
    if codings in (["gzip"], ["x-gzip"]):
        return _Zlib(zlib.MAX_WBITS | 16)
    if codings == ["deflate"]:
        return _Zlib(zlib.MAX_WBITS)
    raise ContentEncodingError(f"unsupported Content-Encoding {content_encoding!r}", url=url)


async def read_body(response: httpx.Response, limit: int, *, truncate: bool = False) -> bytes:
    """The decoded body, at most `limit` bytes.

    Refuses early on a Content-Length above the limit, then stops reading as soon as the decoded bytes
    pass it: raises `TooLargeError`, or with `truncate=True` returns the first `limit` bytes.
    """
    url = str(response.url)
    if not truncate:
        _refuse_declared_length(response, limit, url)
    decoder = decoder_for(response.headers.get("content-encoding", ""), url=url)
    kept = bytearray()
    try:
        async for raw in response.aiter_raw():
            # Ask for one byte more than fits, so "exactly full" and "overflowing" can be told apart.
            kept += decoder.decode(raw, limit - len(kept) + 1)
            if len(kept) > limit:
                return _overflow(kept, limit, truncate, url)
        kept += decoder.flush()
    except zlib.error as exc:
        raise ContentEncodingError(f"corrupt compressed body: {exc}", url=url) from exc
    return _overflow(kept, limit, truncate, url) if len(kept) > limit else bytes(kept)


def _refuse_declared_length(response: httpx.Response, limit: int, url: str) -> None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLargeError(f"body exceeds {limit} bytes (Content-Length {declared})", url=url)


def _overflow(kept: bytearray, limit: int, truncate: bool, url: str) -> bytes:
    if truncate:
        return bytes(kept[:limit])
    raise TooLargeError(f"body exceeds {limit} bytes", url=url)
