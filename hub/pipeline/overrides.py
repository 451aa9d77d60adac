"""Editor overrides of stories: split an item out, merge two stories; and why an item is where it is.

Each override is recorded as an `EditorDecision`. It sticks because the story stage never moves an item
that already has a story: re-harvests, source edits and reprocessing leave memberships as editors left them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from hub.errors import HubError
from hub.models import EditorAction, EditorDecision, StoredItem, Story, StoryMember
from hub.pipeline.election import elect_stories, resolver_of
from hub.storage import stories as store
from hub.storage.sources import credit_aliases

__all__ = ["Grouping", "StoryNotFound", "explain_item", "live_story", "merge_stories", "split_item"]


class StoryNotFound(HubError):
    code = "story.not_found"


@dataclass(frozen=True, slots=True)
class Grouping:
    """Why an item is in its story: the rule, scores and reason of its match, and the story's election."""

    item_id: int
    story_id: int
    is_canonical: bool
    canonical_item_id: int | None
    elected_by: str
    rule: str
    score: float
    containment: float
    reason: str
    matched_item_id: int | None
    credited_source_id: str | None
    decisions: tuple[EditorDecision, ...]


def split_item(item_id: int, *, session: Session, by: str = "editor", note: str = "") -> Story:
    """Take the item out of its story into a story of its own (the item's story when already alone)."""
    item = _item(item_id, session=session)
    old_story = item.story_id or 0
    if len(store.members_of(old_story, session=session)) <= 1:
        return session.get_one(Story, old_story)
    now = datetime.now(UTC)
    new_story = store.start_story(item, session=session, now=now)
    reason = f"split out of story {old_story} by {by}"
    member = StoryMember(
        item_id=item_id, story_id=new_story, rule="editor_split", reason=reason, joined_at=now
    )
    member.credited_source_id = _credited(item_id, session=session)
    store.add_member(item, member, session=session)
    decision = EditorDecision(
        action=EditorAction.SPLIT,
        item_id=item_id,
        story_id=new_story,
        other_story_id=old_story,
        by=by,
        note=note,
        created_at=now,
    )
    store.record_decision(decision, session=session)
    _elect(old_story, new_story, session=session, now=now)
    return session.get_one(Story, new_story)


def merge_stories(keep: int, absorb: int, *, session: Session, by: str = "editor", note: str = "") -> Story:
    """Every item of `absorb` joins `keep`; `keep`'s id (and feed entry id) stays, `absorb`'s retires."""
    kept, absorbed = live_story(keep, session=session), live_story(absorb, session=session)
    if kept.id == absorbed.id:
        return kept
    now = datetime.now(UTC)
    reason = f"story {absorbed.id} merged into {kept.id} by {by}"
    for member in store.members_of(absorbed.id or 0, session=session):
        member.member.rule, member.member.reason = "editor_merge", reason
    store.move_members(absorbed.id or 0, kept.id or 0, session=session, now=now)
    decision = EditorDecision(
        action=EditorAction.MERGE,
        story_id=kept.id,
        other_story_id=absorbed.id,
        by=by,
        note=note,
        created_at=now,
    )
    store.record_decision(decision, session=session)
    _elect(kept.id or 0, session=session, now=now)
    return kept


def live_story(story_id: int, *, session: Session) -> Story:
    """The story, or the one it was merged into (following merges to the end)."""
    story = session.get(Story, story_id)
    seen: set[int] = set()
    while story is not None and story.merged_into is not None and story.id not in seen:
        seen.add(story.id or 0)
        story = session.get(Story, story.merged_into)
    if story is None:
        raise StoryNotFound(f"no story {story_id}")
    return story


def explain_item(item_id: int, *, session: Session) -> Grouping | None:
    """Why the item is grouped as it is; None when the story stage has not seen it yet."""
    item = session.get(StoredItem, item_id)
    member = session.get(StoryMember, item_id)
    if item is None or member is None or item.story_id is None:
        return None
    story = session.get_one(Story, item.story_id)
    return Grouping(
        item_id=item_id,
        story_id=story.id or 0,
        is_canonical=item.is_canonical,
        canonical_item_id=story.canonical_item_id,
        elected_by=story.elected_by,
        rule=member.rule,
        score=member.score,
        containment=member.containment,
        reason=member.reason,
        matched_item_id=member.matched_item_id,
        credited_source_id=member.credited_source_id,
        decisions=tuple(store.decisions_about(item_id, story.id or 0, session=session)),
    )


def _item(item_id: int, *, session: Session) -> StoredItem:
    item = session.get(StoredItem, item_id)
    if item is None:
        raise StoryNotFound(f"no item {item_id}", code="item.not_found")
    if item.story_id is None:
        raise StoryNotFound(f"item {item_id} has no story yet", code="item.no_story")
    return item


def _credited(item_id: int, *, session: Session) -> str | None:
    member = session.get(StoryMember, item_id)
    return member.credited_source_id if member else None


def _elect(*story_ids: int, session: Session, now: datetime) -> None:
    elect_stories(story_ids, resolver_of(credit_aliases(session=session)), session=session, now=now)
    # The election wrote with Core statements: the stories and items this session holds reload.
    session.expire_all()
