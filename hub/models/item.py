"""StoredItem: the current state of one item of one source; ItemVersion: the states it had before."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from hub.models.types import PortableJSON, UTCDateTime


class StoredItemBase(SQLModel):
    source_id: str = Field(foreign_key="source.id", max_length=100)
    identity: str  # unique per source (hub.items.IdentityRule says how it was made)
    identity_rule: str = Field(max_length=20)
    content_type: str = Field(max_length=20)
    url: str
    guid: str | None = None
    title: str
    summary: str = Field(default="", sa_type=Text)
    body_html: str = Field(default="", sa_type=Text)
    body_text: str = Field(default="", sa_type=Text)
    published: datetime = Field(sa_type=UTCDateTime)
    published_precision: str = Field(max_length=20)
    updated: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the source's own edit time
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    last_changed_at: datetime = Field(sa_type=UTCDateTime)
    author: str | None = None
    topics: list[str] = Field(default_factory=list, sa_type=PortableJSON)
    image_url: str | None = None
    content_hash: str = Field(max_length=64)
    credited_source: str | None = None
    flags: list[str] = Field(default_factory=list, sa_type=PortableJSON)
    extra: dict[str, Any] = Field(default_factory=dict, sa_type=PortableJSON)
    version: int = 1
    harvest_id: int | None = Field(default=None, foreign_key="harvest.id")
    payload_hash: str | None = Field(default=None, max_length=64)
    entry_digest: str = Field(default="", max_length=64)
    search_text: str = Field(default="", sa_type=Text)  # dedupe.text.match_key(title + summary)
    topic_keys: str = Field(default="", sa_type=Text)  # "|key|key|" of match_key(topic): the topic filter
    # The story this item belongs to; set by the dedupe stage (a Story table comes with it).
    story_id: int | None = Field(default=None, index=True)


class StoredItem(StoredItemBase, table=True):
    __tablename__ = "stored_item"
    __table_args__ = (
        UniqueConstraint("source_id", "identity", name="uq_stored_item_source_identity"),
        # Keyset paging of a stream: WHERE content_type = ? ORDER BY published DESC, id DESC.
        # A b-tree is read backwards just as well, so the columns stay ascending (portable, plain DDL).
        Index("ix_stored_item_stream", "content_type", "published", "id"),
        Index("ix_stored_item_source_published", "source_id", "published"),
        # HarvestContext.is_unchanged: a point lookup by the entry's digest.
        Index("ix_stored_item_source_digest", "source_id", "entry_digest"),
        # The one-entry-per-story streams: canonical items only, newest first.
        Index("ix_stored_item_canonical", "is_canonical", "published", "id"),
        # The story stage's items: those a harvest stored or changed, and a source's items still without
        # a story (a partial index: nearly every item has one, so it stays a few entries small). Without
        # them, every harvest read all its source's items, tens of thousands on a big portal.
        Index("ix_stored_item_harvest", "harvest_id"),
        Index(
            "ix_stored_item_unassigned",
            "source_id",
            sqlite_where=text("story_id IS NULL"),
            postgresql_where=text("story_id IS NULL"),
        ),
        # Items each source gained in the last day and week (the sources' health): a range of this
        # index per source, instead of every item of the archive.
        Index("ix_stored_item_source_first_seen", "source_id", "first_seen_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # False for a republication: feeds list a story once, by its canonical original (hub.pipeline.stories).
    is_canonical: bool = True


class StoredItemPublic(StoredItemBase):
    id: int


class ItemVersion(SQLModel, table=True):
    """A superseded state of an item: written when the source edits it, before the row is overwritten."""

    __tablename__ = "item_version"
    __table_args__ = (UniqueConstraint("item_id", "version", name="uq_item_version_item_version"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="stored_item.id", index=True)
    version: int
    content_hash: str = Field(max_length=64)
    title: str
    summary: str = Field(default="", sa_type=Text)
    body_html: str = Field(default="", sa_type=Text)
    published: datetime = Field(sa_type=UTCDateTime)
    updated: datetime | None = Field(default=None, sa_type=UTCDateTime)
    harvest_id: int | None = Field(default=None, foreign_key="harvest.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)  # when this state was first stored
