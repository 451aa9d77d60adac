"""Every table of the hub; Alembic's env.py imports this so `SQLModel.metadata` is complete."""

from hub.models.harvest import (
    Harvest,
    HarvestIssue,
    HarvestIssueBase,
    HarvestPublic,
    HarvestStatus,
    HarvestTrigger,
)
from hub.models.item import ItemVersion, StoredItem, StoredItemPublic
from hub.models.payload import FetchValidator, Payload
from hub.models.source import Source, SourcePublic
from hub.models.story import (
    DedupeBand,
    DedupeGeneration,
    DedupeKey,
    DedupeSketch,
    EditorAction,
    EditorDecision,
    ElectedBy,
    Story,
    StoryMember,
)
from hub.models.types import UTCDateTime, table_of

__all__ = [
    "DedupeBand",
    "DedupeGeneration",
    "DedupeKey",
    "DedupeSketch",
    "EditorAction",
    "EditorDecision",
    "ElectedBy",
    "FetchValidator",
    "Harvest",
    "HarvestIssue",
    "HarvestIssueBase",
    "HarvestPublic",
    "HarvestStatus",
    "HarvestTrigger",
    "ItemVersion",
    "Payload",
    "Source",
    "SourcePublic",
    "StoredItem",
    "StoredItemPublic",
    "Story",
    "StoryMember",
    "UTCDateTime",
    "table_of",
]
