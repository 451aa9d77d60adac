"""Stories in the database: members, canonical flags, editor decisions, and what feeds and the API show.

Input: stored item ids and story ids. Output: `Story` / `StoryMember` rows and the `StoredItem.story_id` /
`is_canonical` columns kept in step with them, always in the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, or_, select, text, update
from sqlmodel import Session, col

from hub.db import is_postgresql
from hub.models import EditorDecision, Source, StoredItem, Story, StoryMember

__all__ = [
    "Member",
    "add_member",
    "decisions_about",
    "items_to_assign",
    "load_items",
    "lock_stories",
    "members_of",
    "move_members",
    "record_decision",
    "republications_of",
    "set_canonical",
    "start_story",
]

# Any constant works: every process takes the same one, so two harvests never assign stories at once.
_ADVISORY_LOCK = 0x706F7274  # "port"


@dataclass(frozen=True, slots=True)
class Member:
    """One item of a story with what election needs: its source and the credit it carries."""

    item: StoredItem
    source: Source
    member: StoryMember


def lock_stories(*, session: Session) -> None:
    """Serialise story assignment across processes until the transaction ends (SQLite's write lock
    already does; PostgreSQL needs a transaction-scoped advisory lock)."""
    if is_postgresql(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})


def items_to_assign(source_id: str, harvest_id: int, *, session: Session) -> list[StoredItem]:
    """Items of the source without a story, and those this harvest stored or changed; oldest first."""
    query = (
        select(StoredItem)
        .where(col(StoredItem.source_id) == source_id)
        .where(or_(col(StoredItem.story_id).is_(None), col(StoredItem.harvest_id) == harvest_id))
        .order_by(col(StoredItem.published), col(StoredItem.id))
    )
    return list(session.execute(query).scalars())


def load_items(item_ids: Sequence[int], *, session: Session) -> dict[int, StoredItem]:
    if not item_ids:
        return {}
    query = select(StoredItem).where(col(StoredItem.id).in_(sorted(item_ids)))
    return {item.id or 0: item for item in session.execute(query).scalars()}


def start_story(item: StoredItem, *, session: Session, now: datetime) -> int:
    """A new story whose only member (and canonical) is the item; returns its id."""
    story = Story(content_type=item.content_type, canonical_item_id=item.id, created_at=now, updated_at=now)
    session.add(story)
    session.flush()
    return story.id or 0


def add_member(item: StoredItem, member: StoryMember, *, session: Session) -> None:
    """Put the item in `member.story_id` (replacing any earlier membership); canonical flags are separate."""
    existing = session.get(StoryMember, member.item_id)
    if existing is not None:
        session.delete(existing)
        session.flush()
    session.add(member)
    item.story_id = member.story_id
    session.flush()


def members_of(story_id: int, *, session: Session) -> list[Member]:
    """Every item of the story with its source and membership, earliest publication first."""
    query = (
        select(StoredItem, Source, StoryMember)
        .join(Source, col(Source.id) == col(StoredItem.source_id))
        .join(StoryMember, col(StoryMember.item_id) == col(StoredItem.id))
        .where(col(StoredItem.story_id) == story_id)
        .order_by(col(StoredItem.published), col(StoredItem.id))
    )
    return [Member(item, source, member) for item, source, member in session.execute(query).all()]


def set_canonical(
    story_id: int, item_id: int | None, elected_by: str, *, session: Session, now: datetime
) -> bool:
    """Make `item_id` the story's canonical original; True when anything changed."""
    story = session.get_one(Story, story_id)
    changed = (story.canonical_item_id, story.elected_by) != (item_id, elected_by)
    if changed:
        story.canonical_item_id, story.elected_by, story.updated_at = item_id, elected_by, now
    session.flush()
    items = col(StoredItem.story_id) == story_id
    session.execute(update(StoredItem).where(items).values(is_canonical=col(StoredItem.id) == item_id))
    return changed


def move_members(from_story: int, to_story: int, *, session: Session, now: datetime) -> None:
    """Every item of `from_story` joins `to_story`; the emptied story remembers where they went."""
    session.execute(
        update(StoryMember).where(col(StoryMember.story_id) == from_story).values(story_id=to_story)
    )
    session.execute(
        update(StoredItem).where(col(StoredItem.story_id) == from_story).values(story_id=to_story)
    )
    absorbed = session.get_one(Story, from_story)
    absorbed.merged_into, absorbed.canonical_item_id, absorbed.updated_at = to_story, None, now
    session.flush()


def record_decision(decision: EditorDecision, *, session: Session) -> EditorDecision:
    session.add(decision)
    session.flush()
    return decision


def decisions_about(item_id: int, story_id: int, *, session: Session) -> list[EditorDecision]:
    """Editor decisions naming the item or its story, oldest first."""
    named = or_(
        col(EditorDecision.item_id) == item_id,
        col(EditorDecision.story_id) == story_id,
        col(EditorDecision.other_story_id) == story_id,
    )
    query = select(EditorDecision).where(named).order_by(col(EditorDecision.id))
    return list(session.execute(query).scalars())


def republications_of(
    story_ids: Sequence[int], *, session: Session
) -> dict[int, list[tuple[StoredItem, Source]]]:
    """Non-canonical items of each story with their sources, earliest first (one query for a page)."""
    if not story_ids:
        return {}
    query = (
        select(StoredItem, Source)
        .join(Source, col(Source.id) == col(StoredItem.source_id))
        .where(col(StoredItem.story_id).in_(sorted(set(story_ids))), col(StoredItem.is_canonical) == false())
        .order_by(col(StoredItem.published), col(StoredItem.id))
    )
    found: dict[int, list[tuple[StoredItem, Source]]] = defaultdict(list)
    for item, source in session.execute(query).all():
        found[item.story_id or 0].append((item, source))
    return dict(found)
