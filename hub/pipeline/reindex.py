"""Rebuild the dedupe index (band and exact-key rows) from the stored items.

Needed when the fingerprint scheme or the banding changes: the migration that changes them calls it (see
0003). The article window is not one of them: it bounds lookups, not rows. Stories, members and editor
decisions are left as they are.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session, col

from dedupe import DEFAULT_SETTINGS, DedupeSettings
from hub.models import DedupeBand, DedupeKey, DedupeSketch, StoredItem
from hub.pipeline.fingerprints import index_entry, item_fingerprints
from hub.storage.dedupe_index import SqlIndex
from hub.storage.dedupe_window import bump_generation
from hub.storage.stories import FINGERPRINT_COLUMNS, lock_stories

__all__ = ["reindex_stories"]

BATCH = 2000  # items fingerprinted and inserted at a time: bounds memory on any archive size


def reindex_stories(session: Session, settings: DedupeSettings = DEFAULT_SETTINGS) -> int:
    """Steps: 1. take the story lock; forget every band, key and sketch row, and the generation (every
    process reloads its window); 2. per batch of items in a story, by id: fingerprint, insert their
    rows. Returns the number of items indexed."""
    lock_stories(session=session)
    for model in (DedupeBand, DedupeKey, DedupeSketch):
        session.execute(delete(model))
    bump_generation(session.connection())
    index = SqlIndex(session)
    done, last_id = 0, 0
    while True:
        query = (
            select(*FINGERPRINT_COLUMNS)
            .where(col(StoredItem.story_id).is_not(None), col(StoredItem.id) > last_id)
            .order_by(col(StoredItem.id))
            .limit(BATCH)
        )
        rows = session.execute(query).all()
        if not rows:
            return done
        prints = item_fingerprints(rows, settings)
        index.add_entries(map(index_entry, rows, prints))
        done, last_id = done + len(rows), rows[-1].id
