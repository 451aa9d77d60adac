"""The story stage: the items a harvest stored -> each in a story, every touched story's canonical elected.

Runs after `store_items`, in the harvest's transaction. An item keeps its story once it has one (edits,
re-harvests and reprocessing never move it), so story ids and editor decisions stick; only an editor
merges stories or splits an item out (`hub.stories`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from dedupe import (
    DEFAULT_SETTINGS,
    DedupeSettings,
    Fingerprint,
    Match,
    best_match,
    exact_keys,
    fingerprint_item,
)
from dedupe.text import match_key
from hub.items import IdentityRule
from hub.models import StoredItem, StoryMember
from hub.pipeline.election import CreditResolver, elect
from hub.storage import stories as store
from hub.storage.dedupe_index import SqlIndex
from hub.storage.sources import list_sources

__all__ = ["DOMAIN_KEY_FIELDS", "StoryCounts", "assign_stories", "domain_keys", "item_fingerprint"]

logger = logging.getLogger(__name__)
STAGE = "stories"

# Content type -> (ladder rung, the `extra` fields whose folded values make its exact key). Documents are
# one record by normalised number + issuer, services by procedure code, whichever portal carries them.
DOMAIN_KEY_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "document": ("document", ("document_number", "issuer")),
    "service": ("service", ("procedure_code",)),
}
# Articles are candidates of each other only inside the article window; documents and services are
# found by exact key whenever they were published.
WINDOWED_CONTENT_TYPES = frozenset({"article"})
_TEXT_KEYS = frozenset({"content"})  # exact keys of the text rather than of the page or record


@dataclass(frozen=True, slots=True)
class StoryCounts:
    started: int = 0  # items that began a story
    joined: int = 0  # items that joined an existing story
    kept: int = 0  # changed items that stay in their story


def assign_stories(
    source_id: str, harvest_id: int, *, session: Session, settings: DedupeSettings = DEFAULT_SETTINGS
) -> StoryCounts:
    """Steps: 1. take the story lock; 2. the source's items without a story and those this harvest
    changed; 3. per item: fingerprint, exact keys, band candidates, best match -> join its story or
    start one; index it; 4. elect the canonical original of every story touched."""
    store.lock_stories(session=session)
    items = store.items_to_assign(source_id, harvest_id, session=session)
    if not items:
        return StoryCounts()
    index = SqlIndex(session, window=timedelta(days=settings.article_window_days))
    resolver = CreditResolver(list_sources(session=session))
    now = datetime.now(UTC)
    cache: dict[int, Fingerprint] = {}
    touched: set[int] = set()
    counts = {"started": 0, "joined": 0, "kept": 0}
    for item in items:
        outcome = _assign(item, index, resolver, cache, session=session, settings=settings, now=now)
        counts[outcome] += 1
        touched.add(item.story_id or 0)
    for story_id in sorted(touched):
        elect(story_id, resolver, session=session, now=now)
    log = {"source_id": source_id, "harvest_id": harvest_id, "stage": STAGE}
    logger.info("stories: %s", counts, extra=log)
    return StoryCounts(**counts)


def item_fingerprint(item: StoredItem, settings: DedupeSettings = DEFAULT_SETTINGS) -> Fingerprint:
    """Fingerprint of a stored item; only identifiers the normaliser trusted become exact keys."""
    rule = item.identity_rule
    return fingerprint_item(
        title=item.title,
        # Summary-only feeds (many provincial portals) carry the whole text in the summary.
        body=item.body_text or item.summary,
        # A URL shared by a source's entries (a listing page) or a reused GUID must not join them.
        url=item.url if rule == IdentityRule.URL else None,
        guid=item.guid if rule == IdentityRule.GUID else None,
        source_id=item.source_id,
        published=item.published,
        keys=domain_keys(item.content_type, item.extra),
        settings=settings,
    )


def domain_keys(content_type: str, extra: Mapping[str, object]) -> dict[str, str]:
    """{rung: key} for documents and services whose structured fields name them; {} otherwise."""
    if content_type not in DOMAIN_KEY_FIELDS:
        return {}
    rung, fields = DOMAIN_KEY_FIELDS[content_type]
    values = [match_key(str(extra.get(name) or "")) for name in fields]
    return {rung: "|".join(values)} if all(values) else {}


def _assign(
    item: StoredItem,
    index: SqlIndex,
    resolver: CreditResolver,
    cache: dict[int, Fingerprint],
    *,
    session: Session,
    settings: DedupeSettings,
    now: datetime,
) -> str:
    item_id = item.id or 0
    fingerprint = item_fingerprint(item, settings)
    cache[item_id] = fingerprint
    credited = resolver.resolve(item.credited_source)
    if item.story_id is not None:  # an edit, a re-harvest or reprocessing: the item stays where it is
        _index(index, item, fingerprint)
        _refresh_credit(item_id, credited, session=session)
        return "kept"
    found = _best(item, fingerprint, index, cache, session=session, settings=settings)
    if found is None:
        story_id = store.start_story(item, session=session, now=now)
        member = StoryMember(item_id=item_id, story_id=story_id, rule="first", joined_at=now)
    else:
        matched, match = found
        member = _member_of(item_id, matched, match, now)
    member.credited_source_id = credited
    store.add_member(item, member, session=session)
    _index(index, item, fingerprint)
    return "started" if found is None else "joined"


def _best(
    item: StoredItem,
    fingerprint: Fingerprint,
    index: SqlIndex,
    cache: dict[int, Fingerprint],
    *,
    session: Session,
    settings: DedupeSettings,
) -> tuple[StoredItem, Match] | None:
    around = item.published if item.content_type in WINDOWED_CONTENT_TYPES else None
    keys = exact_keys(fingerprint)
    # The same page (URL, GUID) or record (document, service key) is the same story whenever it was
    # published; the same text is, for articles, only inside the window.
    identified = index.find_keys([key for key in keys if key[0] not in _TEXT_KEYS])
    ids = identified | index.find_keys([key for key in keys if key[0] in _TEXT_KEYS])
    ids |= index.candidates(fingerprint.bands, around)
    ids.discard(item.id or 0)
    loaded = store.load_items(sorted(ids), session=session)
    # Only assigned items of the same content type: an article is never the story of a document.
    candidates = {
        other_id: other
        for other_id, other in loaded.items()
        if other.story_id is not None
        and other.content_type == item.content_type
        and (other_id in identified or _in_window(other, around, index))
    }
    known = {other_id: _fingerprint(other, cache, settings) for other_id, other in candidates.items()}
    found = best_match(fingerprint, known, settings)
    return (candidates[found[0]], found[1]) if found else None


def _in_window(other: StoredItem, around: datetime | None, index: SqlIndex) -> bool:
    if around is None or index.window is None:
        return True
    return abs(other.published - around) <= index.window


def _fingerprint(item: StoredItem, cache: dict[int, Fingerprint], settings: DedupeSettings) -> Fingerprint:
    item_id = item.id or 0
    if item_id not in cache:
        cache[item_id] = item_fingerprint(item, settings)
    return cache[item_id]


def _member_of(item_id: int, matched: StoredItem, match: Match, now: datetime) -> StoryMember:
    return StoryMember(
        item_id=item_id,
        story_id=matched.story_id or 0,
        rule=str(match.kind),
        score=round(match.score, 4),
        containment=round(match.containment, 4),
        reason=match.reason,
        matched_item_id=matched.id,
        joined_at=now,
    )


def _index(index: SqlIndex, item: StoredItem, fingerprint: Fingerprint) -> None:
    item_id = item.id or 0
    index.add_keys(item_id, exact_keys(fingerprint))
    index.add(item_id, fingerprint.bands, item.published)


def _refresh_credit(item_id: int, credited: str | None, *, session: Session) -> None:
    member = session.get(StoryMember, item_id)
    if member is not None and member.credited_source_id != credited:
        member.credited_source_id = credited
