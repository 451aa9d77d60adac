"""Decide whether two items carry the same story: exact keys first, then verified near-duplicates.

Input: two `Fingerprint`s (built by `fingerprint_item` from title, body and identifiers).
Output: a `Match` naming the rule that decided, its scores and a human-readable reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from dedupe import fingerprint as fp_
from dedupe.credit import Credit
from dedupe.facts import DATE, DOCUMENT_NUMBER, NAME, NUMBER, Facts, extract_facts
from dedupe.keys import url_key
from dedupe.matchtext import fold_tokens, match_text
from dedupe.settings import DEFAULT_SETTINGS, DedupeSettings

K = TypeVar("K")


class MatchKind(StrEnum):
    """The rule that decided; `NONE` means "different stories"."""

    EXACT_URL = "exact_url"
    EXACT_GUID = "exact_guid"
    EXACT_DOCUMENT = "exact_document"
    EXACT_SERVICE = "exact_service"
    EXACT_CONTENT = "exact_content"
    NEAR = "near"
    NONE = "none"


# The identity key ladder, most trusted rung first. Documents (normalised number + issuer) and services
# (procedure code) pass their key in `fingerprint_item(keys=...)` and join stories the same way.
KEY_LADDER: tuple[tuple[str, MatchKind], ...] = (
    ("url", MatchKind.EXACT_URL),
    ("guid", MatchKind.EXACT_GUID),
    ("document", MatchKind.EXACT_DOCUMENT),
    ("service", MatchKind.EXACT_SERVICE),
    ("content", MatchKind.EXACT_CONTENT),
)
# A GUID of this shape is unique world-wide; any other ("12345") only within its source.
_GLOBAL_GUID = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|urn:|tag:|[0-9a-f]{8}-[0-9a-f]{4}-)", re.IGNORECASE)


@dataclass(frozen=True, eq=False)  # compared by identity: its arrays have no single truth value
class Fingerprint:
    """What matching needs of one item; rebuild it from the stored item rather than storing it."""

    keys: Mapping[str, str]  # ladder rung -> key, only rungs the item has
    title_key: str
    token_count: int
    shingles: fp_.U64  # sorted, distinct shingle hashes
    signature: fp_.U64  # MinHash of the shingles: a cheap estimate of the measures (see `plausible`)
    bands: tuple[int, ...]
    text: str  # matching text (title core and cleaned body), NFC, for the facts
    fact_context: int = DEFAULT_SETTINGS.fact_context
    published: datetime | None = None
    credit: Credit | None = None
    source_id: str | None = None

    @cached_property
    def ladder(self) -> tuple[tuple[str, str], ...]:
        """(rung, key) pairs in ladder order; kept, as every step of a harvest asks for them."""
        return tuple((rung, self.keys[rung]) for rung, _ in KEY_LADDER if rung in self.keys)

    @cached_property
    def facts(self) -> Facts:
        """Extracted on first use: only pairs that already look alike need them (most items never do)."""
        return extract_facts(self.text, self.fact_context)


@dataclass(frozen=True, slots=True)
class Match:
    """The decision for a pair, with enough to explain it on the item page."""

    kind: MatchKind
    score: float = 0.0  # Jaccard of the shingle sets (1.0 for exact keys)
    containment: float = 0.0  # share of the shorter item found in the longer
    reason: str = ""
    conflicts: tuple[str, ...] = field(default=())

    @property
    def is_duplicate(self) -> bool:
        return self.kind is not MatchKind.NONE


@dataclass(frozen=True, slots=True)
class ItemText:
    """What a fingerprint is made of: an item's text, identifiers and time."""

    title: str
    body: str | Sequence[str]
    url: str | None = None
    guid: str | None = None
    source_id: str | None = None
    published: datetime | None = None
    keys: Mapping[str, str] = field(default_factory=dict)  # domain keys (document, service) by rung


def fingerprint_item(
    *,
    title: str,
    body: str | Sequence[str],
    url: str | None = None,
    guid: str | None = None,
    source_id: str | None = None,
    published: datetime | None = None,
    keys: Mapping[str, str] | None = None,
    settings: DedupeSettings = DEFAULT_SETTINGS,
) -> Fingerprint:
    """The fingerprint of one item (see `fingerprint_items`)."""
    item = ItemText(title, body, url, guid, source_id, published, keys or {})
    return fingerprint_items([item], settings)[0]


def fingerprint_items(
    items: Sequence[ItemText], settings: DedupeSettings = DEFAULT_SETTINGS
) -> list[Fingerprint]:
    """Steps: 1. matching text (furniture, credit, title affixes out); 2. folded tokens; 3. shingles,
    signatures, band keys, for all the items at once; 4. exact keys of the ladder. Facts are
    extracted later, for the pairs that need them."""
    texts = [match_text(item.title, item.body) for item in items]
    titles = [fold_tokens(text.title) for text in texts]
    bodies = [fold_tokens(text.body) for text in texts]
    tokens = [title + body for title, body in zip(titles, bodies, strict=True)]
    shingles = fp_.shingle_arrays(tokens, settings.shingle_size)
    signatures = fp_.signature_arrays(shingles, settings.num_perm)
    bands = fp_.band_keys_of(signatures, settings.bands, settings.rows)
    return [
        Fingerprint(
            keys=_ladder_keys(item.url, item.guid, item.source_id, bodies[i], item.keys, settings),
            title_key=" ".join(titles[i]),
            token_count=len(tokens[i]),
            shingles=shingles[i],
            signature=signatures[i],
            bands=bands[i],
            text=texts[i].full,
            fact_context=settings.fact_context,
            published=item.published,
            credit=texts[i].credit,
            source_id=item.source_id,
        )
        for i, item in enumerate(items)
    ]


def exact_keys(fingerprint: Fingerprint) -> tuple[tuple[str, str], ...]:
    """(rung, key) pairs in ladder order, for an exact-key table beside the band index."""
    return fingerprint.ladder


def compare(a: Fingerprint, b: Fingerprint, settings: DedupeSettings = DEFAULT_SETTINGS) -> Match:
    """Steps: 1. exact keys in ladder order; 2. publication window; 3. Jaccard and containment of the
    shingles against their thresholds; 4. contradicting facts veto."""
    shared = _shared_key(a, b)
    if shared is not None:
        rung, kind = shared
        return Match(kind, 1.0, 1.0, f"same {rung} key")
    if _outside_window(a, b, settings):
        return Match(MatchKind.NONE, reason=f"published more than {settings.article_window_days} days apart")
    if not plausible(a.signature, len(a.shingles), b.signature, len(b.shingles), settings):
        return Match(MatchKind.NONE, reason="signatures too far apart")
    score, contained = fp_.similarity(a.shingles, b.shingles)
    similar = _similar(a, b, score, contained, settings)
    if not similar:
        return Match(MatchKind.NONE, score, contained, f"jaccard {score:.2f}, containment {contained:.2f}")
    conflicts = tuple(a.facts.conflicts(b.facts, _conflict_kinds(settings)))
    if conflicts:
        return Match(MatchKind.NONE, score, contained, f"different facts: {conflicts[0]}", conflicts)
    return Match(MatchKind.NEAR, score, contained, similar)


def plausible(
    sig_a: fp_.U64, size_a: int, sig_b: fp_.U64, size_b: int, settings: DedupeSettings = DEFAULT_SETTINGS
) -> bool:
    """Whether two items' signatures leave a chance that their exact measures pass the thresholds."""
    similar, contained = fp_.estimate(sig_a, size_a, sig_b, size_b)
    return similar >= settings.estimated_jaccard_floor or contained >= settings.estimated_containment_floor


def plausible_among(
    signature: fp_.U64,
    size: int,
    others: Sequence[tuple[fp_.U64, int]],
    settings: DedupeSettings = DEFAULT_SETTINGS,
) -> list[bool]:
    """`plausible` of one item against each of `others` ((signature, shingle count) pairs), in one array
    comparison: a busy window gives an item dozens of band candidates, most of them by chance."""
    if not others:
        return []
    similar, contained = fp_.estimate_many(
        signature, size, [sig for sig, _ in others], [count for _, count in others]
    )
    jaccard_floor, containment_floor = settings.estimated_jaccard_floor, settings.estimated_containment_floor
    return [bool(value) for value in (similar >= jaccard_floor) | (contained >= containment_floor)]


def best_match(
    fingerprint: Fingerprint, candidates: Mapping[K, Fingerprint], settings: DedupeSettings = DEFAULT_SETTINGS
) -> tuple[K, Match] | None:
    """The candidate that matches by the highest rung, then the highest score; None when none matches."""
    rank = {kind: i for i, (_, kind) in enumerate(KEY_LADDER)} | {MatchKind.NEAR: len(KEY_LADDER)}
    ids = list(candidates)
    # The candidates that share an exact key or whose signatures leave a chance, screened all at once;
    # `compare` would turn each of the others down one by one.
    sketches = [(candidates[item_id].signature, len(candidates[item_id].shingles)) for item_id in ids]
    worth = plausible_among(fingerprint.signature, len(fingerprint.shingles), sketches, settings)
    found = [
        (item_id, compare(fingerprint, candidates[item_id], settings))
        for item_id, chance in zip(ids, worth, strict=True)
        if chance or _shared_key(fingerprint, candidates[item_id]) is not None
    ]
    matches = [(item_id, match) for item_id, match in found if match.is_duplicate]
    if not matches:
        return None
    return min(matches, key=lambda pair: (rank[pair[1].kind], -pair[1].score, -pair[1].containment))


def _shared_key(a: Fingerprint, b: Fingerprint) -> tuple[str, MatchKind] | None:
    """The highest rung of the ladder on which both items hold the same key, if any."""
    for rung, kind in KEY_LADDER:
        if rung in a.keys and a.keys[rung] == b.keys.get(rung):
            return rung, kind
    return None


def _ladder_keys(
    url: str | None,
    guid: str | None,
    source_id: str | None,
    body_tokens: list[str],
    extra: Mapping[str, str],
    settings: DedupeSettings,
) -> dict[str, str]:
    keys = {rung: value for rung, value in extra.items() if value}
    if url:
        keys["url"] = url_key(url)
    if guid and guid.strip():
        guid = guid.strip()
        keys["guid"] = guid if _GLOBAL_GUID.match(guid) else f"{source_id or ''}:{guid}"
    # A short body ("Xem chi tiết tại file đính kèm.") is shared by unrelated items: no content key.
    if len(body_tokens) >= settings.min_tokens:
        keys["content"] = fp_.content_key(body_tokens)
    return keys


def _outside_window(a: Fingerprint, b: Fingerprint, settings: DedupeSettings) -> bool:
    if a.published is None or b.published is None:
        return False
    return abs(a.published - b.published) > timedelta(days=settings.article_window_days)


def _similar(a: Fingerprint, b: Fingerprint, score: float, contained: float, settings: DedupeSettings) -> str:
    """The reason two items look alike, or "" when they do not."""
    if min(a.token_count, b.token_count) < settings.min_tokens:
        # Too short for containment: one short item is contained in many long ones.
        if a.title_key == b.title_key and score >= settings.jaccard_threshold:
            return f"short, same title, jaccard {score:.2f}"
        return ""
    if score >= settings.jaccard_threshold:
        return f"jaccard {score:.2f}, containment {contained:.2f}"
    if contained >= settings.containment_threshold:
        return f"containment {contained:.2f} (truncated copy), jaccard {score:.2f}"
    return ""


def _conflict_kinds(settings: DedupeSettings) -> frozenset[str]:
    wanted = (
        (DATE, settings.conflict_on_dates),
        (DOCUMENT_NUMBER, settings.conflict_on_document_numbers),
        (NAME, settings.conflict_on_names),
        (NUMBER, settings.conflict_on_numbers),
    )
    return frozenset(kind for kind, on in wanted if on)
