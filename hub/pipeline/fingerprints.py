"""Fingerprints of stored items, and a bounded per-process cache of them.

Input: a stored item (or a row with the same fields). Output: its `dedupe.Fingerprint`. Candidates of a
new item are mostly recent items that earlier harvests of the same process fingerprinted already; the
cache is keyed by the item's id, version and content hash, so an edited item is never matched by its
old text.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from dedupe import DEFAULT_SETTINGS, DedupeSettings, Fingerprint, ItemText, exact_keys, fingerprint_items
from dedupe.text import match_key
from hub.items import IdentityRule
from hub.storage.dedupe_index import IndexEntry

__all__ = [
    "DOMAIN_KEY_FIELDS",
    "WINDOWED_CONTENT_TYPES",
    "FingerprintCache",
    "Fingerprinted",
    "domain_keys",
    "index_entry",
    "item_fingerprint",
    "item_fingerprints",
    "text_of",
]

# Content type -> (ladder rung, the `extra` fields whose folded values make its exact key). Documents are
# one record by normalised number + issuer, services by procedure code, whichever portal carries them.
DOMAIN_KEY_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "document": ("document", ("document_number", "issuer")),
    "service": ("service", ("procedure_code",)),
}
# Articles are candidates of each other only inside the article window; documents and services are
# found by exact key or band whenever they were published.
WINDOWED_CONTENT_TYPES = frozenset({"article"})
# Fingerprints kept per process: a few days of a busy hub's items (each about 10 kB), so a harvest's
# candidates are nearly always found here instead of being re-derived from their text.
CACHE_SIZE = 8192


class Fingerprinted(Protocol):
    """The fields of an item (stored or not yet) that its fingerprint reads."""

    title: str
    body_text: str
    summary: str
    url: str
    guid: str | None
    source_id: str
    published: datetime
    content_type: str
    extra: dict[str, Any]

    @property
    def identity_rule(self) -> str: ...  # read-only: an `IdentityRule` on items, a plain string in rows


def item_fingerprint(item: Fingerprinted, settings: DedupeSettings = DEFAULT_SETTINGS) -> Fingerprint:
    """Fingerprint of a stored item (see `item_fingerprints`)."""
    return item_fingerprints([item], settings)[0]


def item_fingerprints(
    items: Sequence[Fingerprinted], settings: DedupeSettings = DEFAULT_SETTINGS
) -> list[Fingerprint]:
    """Fingerprints of stored items, computed together; only identifiers the normaliser trusted become
    exact keys."""
    return fingerprint_items([text_of(item) for item in items], settings)


def text_of(item: Fingerprinted) -> ItemText:
    """What the item's fingerprint is made of."""
    rule = item.identity_rule
    return ItemText(
        title=item.title,
        # Summary-only feeds (many provincial portals) carry the whole text in the summary.
        body=item.body_text or item.summary,
        # A URL shared by a source's entries (a listing page) or a reused GUID must not join them.
        url=item.url if rule == IdentityRule.URL else None,
        guid=item.guid if rule == IdentityRule.GUID else None,
        source_id=item.source_id,
        published=item.published,
        keys=domain_keys(item.content_type, item.extra),
    )


def domain_keys(content_type: str, extra: Mapping[str, object]) -> dict[str, str]:
    """{rung: key} for documents and services whose structured fields name them; {} otherwise."""
    if content_type not in DOMAIN_KEY_FIELDS:
        return {}
    rung, fields = DOMAIN_KEY_FIELDS[content_type]
    values = [match_key(str(extra.get(name) or "")) for name in fields]
    return {rung: "|".join(values)} if all(values) else {}


class Indexed(Protocol):
    """The fields of a stored item that its index entry reads besides its fingerprint."""

    id: int | None
    published: datetime
    content_type: str


def index_entry(item: Indexed, fingerprint: Fingerprint) -> IndexEntry:
    """What the dedupe index keeps of a stored item with this fingerprint."""
    return IndexEntry(
        item.id or 0,
        fingerprint.bands,
        item.published,
        exact_keys(fingerprint),
        fingerprint.signature,
        len(fingerprint.shingles),
        windowed=item.content_type in WINDOWED_CONTENT_TYPES,
    )


class FingerprintCache:
    """Least-recently-used fingerprints keyed by (item id, version, content hash, settings token)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[object, ...], Fingerprint] = OrderedDict()
        self._tokens: dict[DedupeSettings, int] = {}

    def settings_token(self, settings: DedupeSettings) -> int:
        """A small number standing for `settings` in keys: hashing the settings themselves (a frozen
        dataclass of many fields) at every lookup cost more than the lookup."""
        return self._tokens.setdefault(settings, len(self._tokens))

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: tuple[object, ...]) -> Fingerprint | None:
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def put(self, key: tuple[object, ...], fingerprint: Fingerprint) -> None:
        self._kept[key] = fingerprint
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
