"""/api/v1/stories/{id} and the editor overrides: merge stories, split an item out (admin bearer token)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlmodel import Session

from hub.models import Story
from hub.pipeline.overrides import StoryNotFound, explain_item, live_story, merge_stories, split_item
from hub.storage.stories import members_of
from hub.web.api.errors import NotFound
from hub.web.api.schemas import API_PREFIX, ErrorReply
from hub.web.deps import AdminDep, SessionDep

router = APIRouter(prefix=API_PREFIX, tags=["stories"])
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorReply}}


class StoryItem(BaseModel):
    """One portal's item of the story and why it was grouped there."""

    id: int
    source_id: str
    url: str
    title: str
    published: datetime
    is_canonical: bool
    rule: str = Field(
        description='match rule ("first", "near", "exact_url" ..., "editor_split", "editor_merge")'
    )
    score: float = Field(description="Jaccard of the shingle sets (1.0 for exact keys)")
    containment: float
    reason: str
    matched_item_id: int | None


class Grouping(BaseModel):
    """Why the item is in its story: the match that put it there and how the story's original was chosen."""

    story_id: int
    is_canonical: bool
    canonical_item_id: int | None
    elected_by: str = Field(description="credited | earliest | priority | editor")
    rule: str = Field(
        description='"first" (began the story), a match rule ("near", "exact_url" ...) or editor_*'
    )
    score: float = Field(description="Jaccard of the shingle sets (1.0 for exact keys)")
    containment: float = Field(description="share of the shorter item found in the longer")
    reason: str
    matched_item_id: int | None = Field(description="the item it matched when it joined")
    credited_source_id: str | None = Field(description="the source its credit line names, when known")
    decisions: list[str] = Field(description="editor decisions about the item or its story, oldest first")


class StoryRecord(BaseModel):
    id: int
    content_type: str
    canonical_item_id: int | None
    elected_by: str = Field(description="credited | earliest | priority | editor")
    items: list[StoryItem]


class MergeRequest(BaseModel):
    other_story_id: int = Field(description="the story absorbed: its items join this story, its id retires")
    by: str = Field(default="editor", max_length=200)
    note: str = ""


class SplitRequest(BaseModel):
    by: str = Field(default="editor", max_length=200)
    note: str = ""


@router.get("/stories/{story_id}", response_model=StoryRecord, responses=_NOT_FOUND)
def get_story(story_id: int, session: SessionDep) -> StoryRecord:
    """The story (or the one it was merged into) with every item, canonical original included."""
    with _found():
        return story_record(live_story(story_id, session=session), session)


@router.post(
    "/stories/{story_id}/merge", response_model=StoryRecord, responses=_NOT_FOUND, dependencies=[AdminDep]
)
def merge(story_id: int, body: MergeRequest, session: SessionDep) -> StoryRecord:
    """Merge `other_story_id` into this story; the decision sticks across re-harvests and reprocessing."""
    with _found():
        story = merge_stories(story_id, body.other_story_id, session=session, by=body.by, note=body.note)
        session.commit()
        return story_record(story, session)


@router.post(
    "/items/{item_id}/split", response_model=StoryRecord, responses=_NOT_FOUND, dependencies=[AdminDep]
)
def split(item_id: int, session: SessionDep, body: SplitRequest | None = None) -> StoryRecord:
    """Take the item out of its story into a new one; answers with the item's new story."""
    body = body or SplitRequest()
    with _found():
        story = split_item(item_id, session=session, by=body.by, note=body.note)
        session.commit()
        return story_record(story, session)


def grouping_of(item_id: int, session: Session) -> Grouping | None:
    """The item's grouping explained; None before the story stage has seen it."""
    found = explain_item(item_id, session=session)
    if found is None:
        return None
    decisions = [
        f"{d.action} by {d.by} at {d.created_at.isoformat()}: {d.note}".rstrip(": ") for d in found.decisions
    ]
    values = {name: getattr(found, name) for name in Grouping.model_fields if name != "decisions"}
    return Grouping(**values, decisions=decisions)


def story_record(story: Story, session: Session) -> StoryRecord:
    items = [
        StoryItem(
            **m.item.model_dump(include={"id", "source_id", "url", "title", "published", "is_canonical"}),
            **m.member.model_dump(include={"rule", "score", "containment", "reason", "matched_item_id"}),
        )
        for m in members_of(story.id or 0, session=session)
    ]
    return StoryRecord(
        id=story.id or 0,
        content_type=story.content_type,
        canonical_item_id=story.canonical_item_id,
        elected_by=story.elected_by,
        items=items,
    )


@contextmanager
def _found() -> Iterator[None]:
    """The overrides' StoryNotFound answered as the API's NotFound (404)."""
    try:
        yield
    except StoryNotFound as exc:
        raise NotFound(str(exc), code=exc.code) from exc
