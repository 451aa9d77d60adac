"""Matching keys for items: URL, title and body text -> short strings that are equal for the same thing.

Pure functions; the tracking-parameter table here is also what the hub's canonical URLs drop.
"""

from __future__ import annotations

import hashlib
from urllib.parse import unquote, urlsplit

from dedupe.text import match_key

# Query parameters that only say how a reader arrived (campaign, click and share ids, sessions): they never
# name the content, so two links differing only in them are one page. Names compared case-insensitively.
# `ref` is deliberately absent: some portal CMSs use it as a content selector.
TRACKING_PARAMS: frozenset[str] = frozenset(
    (
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "dclid",
        "fbclid",
        "gbraid",
        "gclid",
        "gidzl",  # Zalo share id
        "igshid",
        "jsessionid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "msclkid",
        "phpsessid",
        "sfnsn",  # Facebook Messenger share marker
        "twclid",
        "wbraid",
        "yclid",
    )
)
# Whole families: utm_source, utm_medium ...; zarsrc (Zalo) comes with numeric suffixes on some shares.
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "zarsrc")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    """True for a query parameter that only tracks the reader (utm_*, fbclid, zarsrc ...)."""
    folded = unquote(name).strip().lower()
    return folded in TRACKING_PARAMS or folded.startswith(TRACKING_PREFIXES)


def kept_query_parts(query: str) -> list[str]:
    """The raw `name=value` parts of a query string that are not tracking, in their original order."""
    parts = (part for part in query.split("&") if part)
    return [part for part in parts if not is_tracking_param(part.split("=", 1)[0])]


def url_key(url: str) -> str:
    """Key of a URL: scheme-, www.-, port-, fragment-, tracking- and query-order-insensitive.

    'https://www.moh.gov.vn/tin?id=5&utm_source=zalo#top' and 'http://moh.gov.vn/tin?id=5' agree.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    query = "&".join(sorted(kept_query_parts(parts.query)))
    return f"{host}{path}?{query}" if query else f"{host}{path}"


def title_key(title: str) -> str:
    """Key of a title: case, tones, tone placement, đ/d and punctuation folded."""
    return match_key(title)


def content_key(text: str) -> str:
    """sha256 of the folded body text: equal for the same words whatever the spelling and markup spacing."""
    return hashlib.sha256(match_key(text).encode("utf-8")).hexdigest()
