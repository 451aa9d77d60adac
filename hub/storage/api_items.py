"""What the items API shows beside an item: the item with its source, its versions, its republications.

Input: item ids or stored rows of one page. Output: rows grouped by item id, in one query per kind for
the whole page (never one query per item).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from hub.models import ItemVersion, Source, StoredItem

ItemRow = tuple[StoredItem, Source]


def get_item(item_id: int, *, session: Session) -> ItemRow | None:
    """One item with its source, or None."""
    query = select(StoredItem, Source).join(Source).where(col(StoredItem.id) == item_id)
    row = session.exec(query).first()
    return (row[0], row[1]) if row is not None else None


def versions_by_item(item_ids: Sequence[int], *, session: Session) -> dict[int, list[ItemVersion]]:
    """Superseded states of each item, oldest first."""
    if not item_ids:
        return {}
    query = (
        select(ItemVersion)
        .where(col(ItemVersion.item_id).in_(item_ids))
        .order_by(col(ItemVersion.item_id), col(ItemVersion.version))
    )
    found: dict[int, list[ItemVersion]] = defaultdict(list)
    for version in session.exec(query):
        found[version.item_id].append(version)
    return found


def republications_by_item(items: Sequence[StoredItem], *, session: Session) -> dict[int, list[ItemRow]]:
    """For each item, the other items of its story (other portals carrying it), earliest first."""
    story_ids = sorted({item.story_id for item in items if item.story_id is not None})
    if not story_ids:
        return {}
    query = (
        select(StoredItem, Source)
        .join(Source)
        .where(col(StoredItem.story_id).in_(story_ids))
        .order_by(col(StoredItem.published), col(StoredItem.id))
    )
    by_story: dict[int, list[ItemRow]] = defaultdict(list)
    for item, source in session.exec(query):
        by_story[item.story_id or 0].append((item, source))
    return {
        item.id or 0: [row for row in by_story[item.story_id] if row[0].id != item.id]
        for item in items
        if item.story_id is not None
    }
