"""Response and request bodies of the JSON API (pydantic; the SQLModel *Public families where they exist)."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from hub.models import HarvestIssueBase, HarvestPublic, SourcePublic
from hub.sources import Schedule

API_PREFIX = "/api/v1"
Level = Literal["central", "ministry", "province", "department", "district"]


class ErrorBody(BaseModel):
    code: str = Field(examples=["api.not_found"])
    message: str


class ErrorReply(BaseModel):
    """Every error but a 422 (whose `detail` names the refused field) has this shape."""

    error: ErrorBody


class SourceRef(BaseModel):
    """The portal an item came from, for attribution."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    agency: str
    level: str
    url: str


class Provenance(BaseModel):
    """How the hub got the item: the harvest, the raw payload, which identity rule named it."""

    model_config = ConfigDict(from_attributes=True)

    harvest_id: int | None
    payload_hash: str | None = Field(description="sha256 of the raw fetched payload")
    identity: str
    identity_rule: str
    entry_digest: str
    flags: list[str]
    credited_source: str | None = Field(description='the "Nguồn: ..." line found in the body, verbatim')
    first_seen_at: datetime
    last_changed_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def harvest_url(self) -> str | None:
        return None if self.harvest_id is None else f"{API_PREFIX}/harvests/{self.harvest_id}"


class VersionRecord(BaseModel):
    """A superseded state of the item (the current state is the item itself)."""

    model_config = ConfigDict(from_attributes=True)

    version: int
    content_hash: str
    title: str
    summary: str
    body_html: str
    published: datetime
    updated: datetime | None
    harvest_id: int | None
    recorded_at: datetime


class Republication(BaseModel):
    """Another portal's copy of the same story."""

    id: int
    source_id: str
    agency: str
    url: str
    title: str
    published: datetime


class ItemRecord(BaseModel):
    """The full record of one item."""

    id: int
    feed_id: str = Field(description="the id/guid its feed entries carry; stable for the life of the story")
    story_id: int | None
    source_id: str
    content_type: str
    url: str
    guid: str | None
    title: str
    summary: str
    body_html: str
    published: datetime
    published_precision: str
    updated: datetime | None
    author: str | None
    topics: list[str]
    image_url: str | None
    content_hash: str
    extra: dict[str, Any] = Field(description="structured fields of documents and services")
    version: int
    source: SourceRef
    provenance: Provenance
    versions: list[VersionRecord]
    republications: list[Republication]


class ItemPage(BaseModel):
    items: list[ItemRecord]
    next_cursor: str | None = Field(description="older items: pass as `cursor`")
    prev_cursor: str | None = Field(description="newer items: pass as `cursor`")


class SourceRecord(SourcePublic):
    """A source with its health."""

    items_last_24h: int = Field(description="items first seen in the last 24 hours")
    items_last_7d: int = Field(description="items first seen in the last 7 days")
    harvesting: bool = Field(description="a hub process holds its lease right now")


class SourceList(BaseModel):
    sources: list[SourceRecord]


class SourcePatch(BaseModel):
    """Fields to change; the result is validated as a whole, like a sources-file entry."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    agency: str | None = None
    level: Level | None = None
    url: str | None = None
    site: str | None = Field(default=None, description="the portal's public address; null removes it")
    schedule: Schedule | None = None
    topics: list[str] | None = None
    priority: int | None = None
    review: bool | None = None
    enabled: bool | None = None
    options: dict[str, Any] | None = None


class HarvestAccepted(BaseModel):
    source_id: str
    status: Literal["accepted"] = "accepted"
    harvests_url: str = Field(description="where the harvest shows up")


class HarvestList(BaseModel):
    harvests: list[HarvestPublic]
    next_before: int | None = Field(description="older harvests: pass as `before`")


class HarvestDetail(HarvestPublic):
    issues: list[HarvestIssueBase]
