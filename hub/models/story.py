"""Story: the items of several portals that carry one story; its members, dedupe index rows, editor decisions.

A story's id is its own sequence and is never reused, so a feed entry id made from it stays valid for good;
a story absorbed by an editor's merge keeps its row (`merged_into`) for the same reason.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, SmallInteger
from sqlmodel import Field, SQLModel

from hub.models.types import UTCDateTime

# 64-bit ids on PostgreSQL (32 rows per item outgrow 2**31); SQLite's rowid is already 64-bit.
_BIG_ID = BigInteger().with_variant(Integer, "sqlite")


class ElectedBy(StrEnum):
    """Why the canonical original is the one it is (the election's rungs, in order)."""

    CREDITED = "credited"  # the source the copies credit ("Nguồn: mae.gov.vn")
    EARLIEST = "earliest"  # the earliest publication
    PRIORITY = "priority"  # same publication time: the source with the higher priority
    EDITOR = "editor"  # chosen by an editor


class EditorAction(StrEnum):
    MERGE = "merge"
    SPLIT = "split"


class Story(SQLModel, table=True):
    __tablename__ = "story"
    # AUTOINCREMENT on SQLite too: a plain rowid reuses the highest id once its row is gone.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    content_type: str = Field(max_length=20)
    canonical_item_id: int | None = Field(default=None, foreign_key="stored_item.id", index=True)
    elected_by: str = Field(default=ElectedBy.EARLIEST, max_length=20)
    merged_into: int | None = Field(default=None)  # set when an editor merged this story into another
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime, index=True)


class StoryMember(SQLModel, table=True):
    """Why an item is in its story: the rule, scores and reason of the match that put it there."""

    __tablename__ = "story_member"

    # One story per item: the item's id is the key.
    item_id: int = Field(
        sa_column=Column(Integer, ForeignKey("stored_item.id"), primary_key=True, autoincrement=False)
    )
    story_id: int = Field(foreign_key="story.id", index=True)
    rule: str = Field(max_length=30)  # a dedupe.MatchKind, "first" (started the story) or "editor_*"
    score: float = 0.0
    containment: float = 0.0
    reason: str = ""
    matched_item_id: int | None = None  # the item it matched
    credited_source_id: str | None = Field(default=None, max_length=100)  # its credit line, resolved
    joined_at: datetime = Field(sa_type=UTCDateTime)


class DedupeBand(SQLModel, table=True):
    """One LSH band of one item: candidates are the items sharing any (band_no, band_hash)."""

    __tablename__ = "dedupe_band"
    __table_args__ = (
        # Candidate lookup of a whole batch: `band_hash IN (...)` (a band key names its band), a range on
        # the publication time (the article window), so a popular band's bucket costs only its rows inside
        # the window, not the archive's; band number and item id ride along so the index alone answers.
        Index("ix_dedupe_band_lookup", "band_hash", "published_epoch", "band_no", "item_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    band_no: int = Field(sa_type=SmallInteger)
    band_hash: int = Field(sa_type=BigInteger)
    item_id: int = Field(index=True)
    # Seconds since 1970 UTC, not a timestamp: 32 rows are written per item and the window is this
    # column's only use, so a plain integer saves a conversion per row on the way in and out.
    published_epoch: int = Field(sa_type=BigInteger)


class DedupeSketch(SQLModel, table=True):
    """An item's MinHash signature and shingle count: a band candidate is screened by these before its
    text is read (most candidates of a busy window share a band by chance)."""

    __tablename__ = "dedupe_sketch"

    item_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    signature: bytes = Field(sa_type=LargeBinary)  # num_perm little-endian 32-bit values
    shingle_count: int


class DedupeKey(SQLModel, table=True):
    """One exact key of one item (url, guid, content, document, service): a point lookup."""

    __tablename__ = "dedupe_key"
    # `key IN (...)` for a whole batch; the kind and item id ride along so the index alone answers.
    __table_args__ = (Index("ix_dedupe_key_lookup", "key", "kind", "item_id"),)

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    kind: str = Field(max_length=20)
    key: str = Field(max_length=64)  # digest of the key: URLs may be longer than an index entry allows
    item_id: int = Field(index=True)


class EditorDecision(SQLModel, table=True):
    """An editor's split or merge; kept so that it sticks across re-harvests and reprocessing."""

    __tablename__ = "editor_decision"

    id: int | None = Field(default=None, primary_key=True)
    action: str = Field(max_length=10)
    item_id: int | None = Field(default=None, index=True)  # split: the item taken out
    story_id: int | None = Field(default=None, index=True)  # split: its new story; merge: the kept one
    other_story_id: int | None = None  # split: the story it left; merge: the story absorbed
    by: str = Field(default="editor", max_length=200)
    note: str = ""
    created_at: datetime = Field(sa_type=UTCDateTime)
