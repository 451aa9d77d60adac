"""Deduplication: pure matching keys, fingerprints and decisions, plus a small candidate-index interface."""

from dedupe.affixes import strip_title_affixes
from dedupe.credit import Credit, find_credit, resolve_credit, strip_credit
from dedupe.index import Index, MemoryIndex
from dedupe.match import (
    KEY_LADDER,
    Fingerprint,
    ItemText,
    Match,
    MatchKind,
    best_match,
    compare,
    exact_keys,
    fingerprint_item,
    fingerprint_items,
    plausible,
    plausible_among,
)
from dedupe.settings import DEFAULT_SETTINGS, DedupeSettings

__all__ = [
    "DEFAULT_SETTINGS",
    "KEY_LADDER",
    "Credit",
    "DedupeSettings",
    "Fingerprint",
    "Index",
    "ItemText",
    "Match",
    "MatchKind",
    "MemoryIndex",
    "best_match",
    "compare",
    "exact_keys",
    "find_credit",
    "fingerprint_item",
    "fingerprint_items",
    "plausible",
    "plausible_among",
    "resolve_credit",
    "strip_credit",
    "strip_title_affixes",
]
