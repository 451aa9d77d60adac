"""The normalised item: what the normaliser makes of a raw record, in memory, before storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class IdentityRule(StrEnum):
    """Which rung of the identity ladder named the item (guid → canonical URL → content hash)."""

    GUID = "guid"
    URL = "url"
    CONTENT_HASH = "content_hash"


class DatePrecision(StrEnum):
    """How much of `published` the source actually said."""

    DATETIME = "datetime"  # date and time of day from the source
    DATE = "date"  # date only; time set to local midnight
    FETCHED = "fetched"  # source gave no usable date; harvest time used


@dataclass(slots=True)
class Item:
    """One normalised article, document or service; text NFC, HTML sanitised, times aware UTC."""

    source_id: str
    content_type: str
    identity: str  # unique per source; see `identity_rule`
    identity_rule: IdentityRule
    url: str  # canonical URL (absolute, tracking parameters dropped)
    guid: str | None
    title: str
    summary: str  # plain text
    body_html: str  # sanitised, absolute links and images
    body_text: str  # plain text of body_html
    published: datetime
    published_precision: DatePrecision
    updated: datetime | None
    author: str | None
    topics: list[str]
    image_url: str | None
    content_hash: str  # sha256 of the normalised content fields (see hub.pipeline.normalise)
    fetched_at: datetime
    credited_source: str | None = None  # "Nguồn: ..." line found in the body, verbatim
    flags: list[str] = field(default_factory=list)  # e.g. "date.future_clamped", "date.from_fetch"
    extra: dict[str, Any] = field(default_factory=dict)  # document / service structured fields
    entry_digest: str = ""
    payload_hash: str | None = None
