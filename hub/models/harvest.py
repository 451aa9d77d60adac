"""Harvest: one run of one source with its counters; HarvestIssue: one problem met during it."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from hub.models.types import UTCDateTime


class HarvestStatus(StrEnum):
    FAILED = "failed"  # the source as a whole failed; items untouched
    NOT_MODIFIED = "not_modified"  # 304, or the same bytes as last time: nothing parsed
    PARTIAL = "partial"  # finished, but some records were dropped or failed
    RUNNING = "running"  # opened, not closed yet (or the process died: see started_at)
    SUCCESS = "success"


class HarvestTrigger(StrEnum):
    API = "api"
    CLI = "cli"
    REPROCESS = "reprocess"
    SCHEDULE = "schedule"


class HarvestBase(SQLModel):
    source_id: str = Field(foreign_key="source.id", index=True, max_length=100)
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: str = Field(default=HarvestStatus.RUNNING, max_length=20)
    trigger: str = Field(default=HarvestTrigger.CLI, max_length=20)
    http_status: int | None = None
    bytes_fetched: int = 0
    items_new: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    error_count: int = 0
    error_code: str | None = Field(default=None, max_length=80)
    error_message: str | None = None


class Harvest(HarvestBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class HarvestPublic(HarvestBase):
    id: int


class HarvestIssueBase(SQLModel):
    harvest_id: int = Field(foreign_key="harvest.id", index=True)
    stage: str = Field(max_length=40)  # fetch, parse, normalise, store ...
    code: str = Field(max_length=80)  # stable dotted code, e.g. date.unparseable
    message: str
    url: str | None = None
    item_key: str | None = None  # guid or URL of the record, when known


class HarvestIssue(HarvestIssueBase, table=True):
    __tablename__ = "harvest_issue"

    id: int | None = Field(default=None, primary_key=True)
