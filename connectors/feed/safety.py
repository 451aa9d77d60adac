"""Make feed bytes safe to parse: cap the size, refuse entity declarations, strip the DOCTYPE.

Input: raw bytes (`check_size`), then UTF-8 bytes (`strip_doctype`). Output: bytes with no DOCTYPE,
or `ConnectorError` `parse.too_large` / `parse.unsafe_xml`. With no DTD left, no parser can expand
entities (billion laughs) or fetch external ones (XXE).
"""

from __future__ import annotations

import re

from connectors.base import ConnectorError

MAX_FEED_BYTES = 16 * 1024 * 1024  # the largest real portal feeds are a few MB
_DOCTYPE_WINDOW = 64 * 1024  # where a broken DOCTYPE's entity declarations are looked for
# The prolog before a DOCTYPE: XML declaration, processing instructions, comments (any length).
_PROLOG = re.compile(rb"(?:\s|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)

# `<!DOCTYPE name ... [ internal subset ]>`; the subset may contain `>` inside declarations.
_DOCTYPE = re.compile(rb"<!DOCTYPE\s[^\[>]*(?:\[(?P<subset>.*?)\]\s*)?>", re.IGNORECASE | re.DOTALL)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def check_size(body: bytes, url: str, *, max_bytes: int = MAX_FEED_BYTES) -> None:
    """Raise `parse.too_large` before any decoding or parsing work is spent on a huge body."""
    if len(body) > max_bytes:
        raise ConnectorError(
            f"feed at {url} is {len(body)} bytes, over the {max_bytes}-byte cap",
            code="parse.too_large",
            url=url,
        )


def strip_doctype(body: bytes, url: str) -> bytes:
    """UTF-8 bytes without their DOCTYPE; raise `parse.unsafe_xml` when it declares entities."""
    prolog = _PROLOG.match(body)
    match = _DOCTYPE.match(body, prolog.end() if prolog else 0)
    if match is None:
        if _ENTITY_DECL.search(body[:_DOCTYPE_WINDOW]):  # a malformed DOCTYPE still declaring entities
            raise _unsafe(url, "an entity declaration outside a well-formed DOCTYPE")
        return body
    if match.group("subset") and _ENTITY_DECL.search(match.group("subset")):
        # Refused, not stripped: the entries would reference entities that no longer exist.
        raise _unsafe(url, "a DOCTYPE declaring entities")
    return body[: match.start()] + body[match.end() :]


def _unsafe(url: str, what: str) -> ConnectorError:
    return ConnectorError(
        f"feed at {url} has {what}; refused before parsing", code="parse.unsafe_xml", url=url
    )
