"""The story stage: the items a harvest stored -> each in a story, every touched story's canonical elected.

Runs after `store_items`, in the harvest's transaction, on the harvest's whole batch: one lookup of every
new item's exact keys and bands, decisions in memory, then bulk writes. An item keeps its story once it
has one (edits, re-harvests and reprocessing never move it), so story ids and editor decisions stick;
only an editor merges stories or splits an item out (`hub.pipeline.overrides`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, select
from sqlmodel import Session, col

from dedupe import (
    DEFAULT_SETTINGS,
    DedupeSettings,
    Fingerprint,
    Match,
    MemoryIndex,
    best_match,
    exact_keys,
    plausible_among,
)
from hub.models import StoryMember
from hub.pipeline.election import elect_stories, resolver_of
from hub.pipeline.fingerprint_pool import Ahead, input_key
from hub.pipeline.fingerprints import (
    WINDOWED_CONTENT_TYPES,
    FingerprintCache,
    index_entry,
    item_fingerprints,
    text_of,
)
from hub.storage import stories as store
from hub.storage.dedupe_index import BandProbe, SqlIndex
from hub.storage.sources import credit_aliases

__all__ = ["StoryCounts", "assign_stories"]

logger = logging.getLogger(__name__)
STAGE = "stories"

_TEXT_KEYS = frozenset({"content"})  # exact keys of the text rather than of the page or record
_CACHE = FingerprintCache()  # per process: see hub.pipeline.fingerprints


@dataclass(frozen=True, slots=True)
class StoryCounts:
    started: int = 0  # items that began a story
    joined: int = 0  # items that joined an existing story
    kept: int = 0  # changed items that stay in their story


def assign_stories(
    harvests: Mapping[int, str],
    *,
    session: Session,
    settings: DedupeSettings = DEFAULT_SETTINGS,
    cache: FingerprintCache = _CACHE,
    ahead: Ahead | None = None,
) -> StoryCounts:
    """`harvests`: harvest id -> source id, of one harvest or of several stored together (by
    `hub.pipeline.store_queue`, which spreads the stage's fixed cost, some 20 statements, over them).

    Steps: 1. take the story lock; 2. the sources' items without a story and those these harvests
    changed; 3. fingerprint them and look up the new ones' candidates, all at once; 4. per new item,
    oldest first: best match among its candidates and the batch's items already in a story -> join
    that story or start one; 5. write stories, members and index rows in bulk; 6. elect the canonical
    original of every story that gained or changed a member. `ahead`: fingerprints made beforehand
    (by `hub.pipeline.fingerprint_pool`, with these settings), taken for the items whose inputs match."""
    store.lock_stories(session=session)
    items = store.items_to_assign(harvests, session=session)
    if not items:
        return StoryCounts()
    batch = _Batch(items, session=session, settings=settings, cache=cache, ahead=ahead)
    started, joined = batch.decide()
    touched = batch.write(started, joined)
    elect_stories(touched, batch.resolver, session=session, now=batch.now)
    counts = StoryCounts(len(started), len(joined), len(batch.kept))
    stored = ", ".join(f"{source_id} #{harvest_id}" for harvest_id, source_id in harvests.items())
    logger.info("stories of %s: %s", stored, counts, extra={"stage": STAGE})
    return counts


class _Batch:
    """One harvest's items on their way into stories; story ids below zero are stories not written yet."""

    def __init__(
        self,
        items: list[Row[Any]],
        *,
        session: Session,
        settings: DedupeSettings,
        cache: FingerprintCache,
        ahead: Ahead | None,
    ) -> None:
        self.session, self.settings, self.cache = session, settings, cache
        self.settings_token = cache.settings_token(settings)
        self.now = datetime.now(UTC)
        self.index = SqlIndex(session, window=timedelta(days=settings.article_window_days))
        self.resolver = resolver_of(credit_aliases(session=session))
        self.items = {item.id: item for item in items}
        self.kept = [item for item in items if item.story_id is not None]
        self.fresh = [item for item in items if item.story_id is None]
        self.prints = self._fingerprints(items, ahead)
        self.story_of: dict[int, int] = {item.id: item.story_id for item in self.kept}
        self.local: MemoryIndex[int] = MemoryIndex()  # the batch's items already in a story
        self.local_keys: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
        for item in self.kept:
            self._remember(item.id)

    def decide(self) -> tuple[list[Row[Any]], list[dict[str, Any]]]:
        """Each new item's story: the items that start one, and the memberships of those joining one."""
        identified, near = self._archive_candidates()
        found_ids = set().union(*identified.values(), *near.values()) - self.items.keys()
        rows = store.candidate_rows(found_ids, session=self.session)
        cached = self._cached(rows)
        self._screen(near, rows.keys() - cached.keys())
        wanted = set().union(*identified.values(), *near.values())
        self.prints |= {item_id: found for item_id, found in cached.items() if item_id in wanted}
        self._load_fingerprints(wanted & rows.keys() - cached.keys())
        started: list[Row[Any]] = []
        joined: list[dict[str, Any]] = []
        for item in self.fresh:
            item_id = item.id
            found = self._best(item, identified[item_id], near[item_id], rows)
            if found is None:
                started.append(item)
                self.story_of[item_id] = -item_id
            else:
                other_id, match = found
                self.story_of[item_id] = self.story_of.get(other_id) or rows[other_id].story_id
                joined.append(_member(item_id, other_id, match, self.now))
            self._remember(item_id)
        return started, joined

    def write(self, started: list[Row[Any]], joined: list[dict[str, Any]]) -> set[int]:
        """Stories, members, the items' story ids and index rows; returns the stories to elect anew."""
        story_ids = store.start_stories(started, session=self.session, now=self.now)
        real = {-item_id: story_id for item_id, story_id in story_ids.items()}
        members = [_member(item.id, None, None, self.now) for item in started] + joined
        for member in members:
            pending = self.story_of[member["item_id"]]
            member["story_id"] = real.get(pending, pending)
            member["credited_source_id"] = self.resolver.resolve(
                self.items[member["item_id"]].credited_source
            )
        store.add_members(members, session=self.session)
        stories = {member["item_id"]: (member["story_id"], member["rule"] == "first") for member in members}
        store.set_story_ids(stories, session=self.session)
        self._refresh_credit()
        self._reindex()
        return {item.story_id for item in self.kept} | {member["story_id"] for member in joined}

    def _archive_candidates(self) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
        """Per new item: the stored items holding its page or record key (whenever published), and
        those sharing its text key or a band."""
        keys = {item.id: exact_keys(self.prints[item.id]) for item in self.fresh}
        # One query for both kinds of key, asked as (item id, textual?).
        by_kind = self.index.find_keys_of(
            {
                (item_id, textual): [k for k in found if (k[0] in _TEXT_KEYS) == textual]
                for item_id, found in keys.items()
                for textual in (False, True)
            }
        )
        identified = {item_id: by_kind[(item_id, False)] for item_id in keys}
        near = {item_id: by_kind[(item_id, True)] for item_id in keys}
        probes = {item.id: BandProbe(self.prints[item.id].bands, _around(item)) for item in self.fresh}
        for item_id, found in self.index.candidates_of(probes).items():
            near[item_id] |= found
        return identified, near

    def _best(
        self, item: Row[Any], identified: set[int], near: set[int], rows: Mapping[int, Row[Any]]
    ) -> tuple[int, Match] | None:
        """The best match among the item's candidates: stored items of the same content type already in
        a story (an article is never the story of a document), and the batch's items in a story."""
        item_id, fingerprint, around = item.id, self.prints[item.id], _around(item)
        keys = exact_keys(fingerprint)
        local_identified = self._local_keys(k for k in keys if k[0] not in _TEXT_KEYS)
        local_near = self._local_keys(k for k in keys if k[0] in _TEXT_KEYS) | self.local.candidates(
            fingerprint.bands
        )
        stored = (identified | near) - self.items.keys()
        candidates = [
            (i, rows[i], i in identified) for i in stored if i in rows and rows[i].story_id is not None
        ]
        batch = (local_identified | local_near) - {item_id}
        candidates += [(i, self.items[i], i in local_identified) for i in batch]
        known = {
            other_id: self.prints[other_id]
            for other_id, other, by_key in candidates
            if other.content_type == item.content_type
            and (by_key or self.index.in_window(around, other.published))
        }
        return best_match(fingerprint, known, self.settings)

    def _local_keys(self, keys: Iterable[tuple[str, str]]) -> set[int]:
        return set().union(*(self.local_keys.get(key, ()) for key in keys))

    def _remember(self, item_id: int) -> None:
        fingerprint = self.prints[item_id]
        self.local.add(item_id, fingerprint.bands)
        for key in exact_keys(fingerprint):
            self.local_keys[key].add(item_id)

    def _key(self, item_id: int, item: Any) -> tuple[object, ...]:
        return (item_id, item.version, item.content_hash, self.settings_token)

    def _fingerprints(self, items: Iterable[Any], ahead: Ahead | None = None) -> dict[int, Fingerprint]:
        """Item id -> fingerprint: from the cache or those made ahead (for the harvest's own items),
        the others computed together; all cached."""
        found: dict[int, Fingerprint] = {}
        missing: list[tuple[tuple[object, ...], Any]] = []
        for item in items:
            key = self._key(item.id, item)
            cached = self.cache.get(key)
            if cached is None and ahead:
                cached = ahead.get(input_key(text_of(item)))
                if cached is not None:
                    self.cache.put(key, cached)
            if cached is None:
                missing.append((key, item))
            else:
                found[item.id] = cached
        made = item_fingerprints([item for _key, item in missing], self.settings)
        for (key, item), fingerprint in zip(missing, made, strict=True):
            self.cache.put(key, fingerprint)
            found[item.id] = fingerprint
        return found

    def _cached(self, rows: Mapping[int, Row[Any]]) -> dict[int, Fingerprint]:
        """The fingerprints of stored candidates that this process holds already."""
        found = {item_id: self.cache.get(self._key(item_id, row)) for item_id, row in rows.items()}
        return {item_id: fingerprint for item_id, fingerprint in found.items() if fingerprint is not None}

    def _screen(self, near: dict[int, set[int]], uncached: Collection[int]) -> None:
        """Drop the band and text-key candidates whose stored signature rules them out, before their
        texts are read: in a busy window most band candidates share a band by chance."""
        sketches = self.index.sketches(uncached)
        for item_id, candidates in near.items():
            fingerprint, sketched = self.prints[item_id], sorted(candidates & sketches.keys())
            worth = plausible_among(
                fingerprint.signature,
                len(fingerprint.shingles),
                [sketches[other_id] for other_id in sketched],
                self.settings,
            )
            candidates -= {other_id for other_id, chance in zip(sketched, worth, strict=True) if not chance}

    def _load_fingerprints(self, missing: Collection[int]) -> None:
        """Fingerprints of the stored candidates not cached, from their texts read in one query."""
        self.prints |= self._fingerprints(store.fingerprint_rows(missing, session=self.session).values())

    def _refresh_credit(self) -> None:
        """Kept items may have gained or lost their credit line in this harvest."""
        ids = [item.id for item in self.kept]
        if not ids:
            return
        for member in self.session.execute(
            select(StoryMember).where(col(StoryMember.item_id).in_(ids))
        ).scalars():
            credited = self.resolver.resolve(self.items[member.item_id].credited_source)
            if member.credited_source_id != credited:
                member.credited_source_id = credited

    def _reindex(self) -> None:
        kept_ids = [item.id for item in self.kept]
        self.index.remove_bands(kept_ids)
        self.index.remove_keys(kept_ids)
        self.index.add_entries(index_entry(item, self.prints[item.id]) for item in self.items.values())


def _around(item: Row[Any]) -> datetime | None:
    """The time an item's candidates must lie near; None for content types found by key at any time."""
    return item.published if item.content_type in WINDOWED_CONTENT_TYPES else None


def _member(item_id: int, matched_id: int | None, match: Match | None, now: datetime) -> dict[str, Any]:
    """A `story_member` row (story id and credit filled in once the story is written); no match: the
    item started its story."""
    return {
        "item_id": item_id,
        "story_id": 0,
        "rule": str(match.kind) if match else "first",
        "score": round(match.score, 4) if match else 0.0,
        "containment": round(match.containment, 4) if match else 0.0,
        "reason": match.reason if match else "",
        "matched_item_id": matched_id,
        "credited_source_id": None,
        "joined_at": now,
    }
