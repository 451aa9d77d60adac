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
    """One LSH band of one item found at any time (documents, services): candidates are the items sharing
    any (band_no, band_hash). Articles' bands ride in their `DedupeSketch` row instead (the window)."""

    __tablename__ = "dedupe_band"
    __table_args__ = (
        # Candidate lookup of a whole batch: `band_hash IN (...)` (a band key names its band); the
        # publication time, band number and item id ride along so the index alone answers.
        Index("ix_dedupe_band_lookup", "band_hash", "published_epoch", "band_no", "item_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    band_no: int = Field(sa_type=SmallInteger)
    band_hash: int = Field(sa_type=BigInteger)
    item_id: int = Field(index=True)
    # Seconds since 1970 UTC, not a timestamp: a plain integer saves a conversion per row.
    published_epoch: int = Field(sa_type=BigInteger)


class DedupeSketch(SQLModel, table=True):
    """What an item's text gave the index: its MinHash signature and shingle count (a band candidate is
    screened by these before its text is read), and for an article its band keys and publication time.

    Rows are only appended, each with the next `seq`: a new harvest's sketches land on the last pages of
    the table instead of 32 random pages of a band index each, and every process keeps the window's band
    buckets in memory (`hub.storage.dedupe_window`), bringing them up to date by reading the rows after
    the last `seq` it has seen.
    """

    __tablename__ = "dedupe_sketch"
    # AUTOINCREMENT on SQLite too: a plain rowid reuses the highest seq once its row is gone.
    __table_args__ = {"sqlite_autoincrement": True}

    seq: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    item_id: int = Field(sa_column=Column(Integer, nullable=False, unique=True))
    # Windowed items only (articles): seconds since 1970 UTC, and the band keys, little-endian int64s.
    published_epoch: int | None = Field(default=None, sa_type=BigInteger, index=True)
    bands: bytes | None = Field(default=None, sa_type=LargeBinary)
    signature: bytes = Field(sa_type=LargeBinary)  # num_perm little-endian 32-bit values; b"": none
    shingle_count: int


class DedupeGeneration(SQLModel, table=True):
    """A token naming the current contents of `dedupe_sketch`: a process holding the window in memory
    reloads it when the token changes (the index was rebuilt, or the tables emptied)."""

    __tablename__ = "dedupe_generation"

    id: int = Field(default=1, primary_key=True)
    token: str = Field(max_length=32)


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
