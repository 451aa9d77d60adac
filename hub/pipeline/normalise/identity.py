"""Who an item is and what it says: the identity ladder and the content hash.

Identity ladder (one function, first rung that applies wins): the source's guid, unless the source reuses
it for several entries -> the canonical URL, unless the record had no link of its own -> a hash of the
normalised title and body text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime

from hub.items import DatePrecision, IdentityRule


def item_identity(
    *, guid: str | None, guid_reused: bool, url: str | None, title: str, body_text: str
) -> tuple[str, IdentityRule]:
    """(identity, rule): guid -> canonical URL -> content hash of title + body text."""
    if guid and guid.strip() and not guid_reused:
        return guid.strip(), IdentityRule.GUID
    if url:
        return url, IdentityRule.URL
    return _sha256([title, body_text]), IdentityRule.CONTENT_HASH


def content_hash(
    *,
    title: str,
    summary: str,
    body_text: str,
    published: datetime,
    precision: DatePrecision,
    author: str | None,
    topics: Sequence[str],
    image_url: str | None,
) -> str:
    """sha256 of the normalised content: equal for an unchanged entry at every harvest.

    Topics keep their order (a source reordering them is an edit); a harvest-time date is left out,
    since it moves with every harvest while the entry does not change.
    """
    stamp = "" if precision is DatePrecision.FETCHED else published.isoformat()
    return _sha256([title, summary, body_text, stamp, author or "", list(topics), image_url or ""])


def _sha256(values: list[object]) -> str:
    # JSON framing: no two different field lists serialise to the same text
    framed = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(framed.encode("utf-8")).hexdigest()
