"""Source: one configured portal feed/page, its schedule, health and harvest lease."""

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from hub.models.types import PortableJSON, UTCDateTime


class SourceBase(SQLModel):
    """What the sources file says about a source."""

    id: str = Field(primary_key=True, max_length=100)
    name: str
    agency: str
    level: str = Field(max_length=20)
    kind: str = Field(max_length=40)
    content_type: str = Field(max_length=20)
    url: str
    site: str | None = None  # the portal's public address when `url` is on another host (CDN, mirror)
    schedule_every_seconds: int | None = None
    schedule_cron: str | None = Field(default=None, max_length=120)
    topics: list[str] = Field(default_factory=list, sa_type=PortableJSON)
    priority: int = 0
    review: bool = False
    options: dict[str, Any] = Field(default_factory=dict, sa_type=PortableJSON)
    enabled: bool = True


class SourceHealth(SQLModel):
    """What the hub learnt by harvesting it."""

    last_harvest_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status: str | None = Field(default=None, max_length=20)
    last_error_code: str | None = Field(default=None, max_length=80)
    last_error_message: str | None = None
    consecutive_failures: int = 0
    next_harvest_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


class Source(SourceHealth, SourceBase, table=True):  # bases reversed: columns in reading order
    """The table; `lease_*` say which hub process is harvesting it and until when (see storage.sources)."""

    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SourcePublic(SourceHealth, SourceBase):
    """A source as the API shows it: configuration and health, no lease internals."""

    created_at: datetime
    updated_at: datetime
