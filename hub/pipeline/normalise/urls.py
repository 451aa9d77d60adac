"""Links as sources write them -> absolute URLs (for fetching, for HTML) and canonical URLs (for items).

Joining is `urljoin`, never string concatenation ("https://vanban.chinhphu.vn" + "he-thong-van-ban" once gave
"https://vanban.chinhphu.vnhe-thong-van-ban"); tracking parameters are the table in `dedupe.keys`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from dedupe.keys import kept_query_parts

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left as they are when re-encoding a path or query: the URL delimiters and existing %XX escapes.
_PATH_SAFE = "/%:@!$&'()*+,;=~-._"
_QUERY_SAFE = _PATH_SAFE + "?"
# Java servlet session ids ride in the path: /tin-tuc;jsessionid=0A1B2C?id=5
_PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
_ALLOWED_SCHEMES = frozenset({"ftp", "http", "https"})
# Pure functions of their strings, asked the same base and source URLs for every entry of a feed.
URL_CACHE_SIZE = 4096


@lru_cache(maxsize=URL_CACHE_SIZE)
def absolute_url(link: str | None, *bases: str | None) -> str | None:
    """Resolve `link` against the first usable base (record base URL, then source URL); None if not web.

    `javascript:`, `mailto:` and other non-web links give None; raw spaces and non-ASCII are percent-encoded
    (Domino serves `.../$file/QD so 37.2026.doc`).
    """
    if not link or not link.strip():
        return None
    base = ""
    for candidate in reversed(bases):  # the source URL is the base of a record's (maybe relative) base URL
        base = urljoin(base, candidate.strip()) if candidate else base
    parts = urlsplit(urljoin(base, link.strip()))
    if parts.scheme.lower() not in _ALLOWED_SCHEMES or not parts.netloc:
        return None
    path = quote(parts.path, safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


@lru_cache(maxsize=URL_CACHE_SIZE)
def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking or session parameters.

    Id parameters (`ItemID`, `docid`, `ParentUNID`, `id`, `p`) are kept in their order and spelling.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    host = f"[{host}]" if ":" in host else host
    port = parts.port if parts.netloc.rpartition(":")[2].isdigit() else None
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    path = _PATH_SESSION.sub("", parts.path) or "/"
    query = "&".join(kept_query_parts(parts.query))
    return urlunsplit((scheme, netloc, path, query, ""))
