"""What a renderer is given: entries and paging links, already queried (plain dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    rel: str = "alternate"
    type: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    """The originating portal and agency of an entry (atom:source, RSS <source>)."""

    source_id: str
    portal_name: str  # e.g. "Cổng TTĐT Bộ Nông nghiệp và Môi trường"
    agency: str
    portal_url: str  # the portal's home or feed URL
    feed_url: str | None = None


@dataclass(frozen=True, slots=True)
class Republication:
    """Another portal that carried the same story."""

    url: str
    source_id: str
    portal_name: str
    agency: str
    published: datetime


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: str  # stable for the life of the story (tag: or urn:)
    title: str
    link: str  # canonical original
    published: datetime  # aware
    updated: datetime  # aware
    content_type: str  # article | document | service
    summary: str = ""
    content_html: str = ""
    author: str = ""  # the agency
    categories: tuple[str, ...] = ()
    image_url: str | None = None
    attribution: Attribution | None = None
    republications: tuple[Republication, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)  # structured document / service fields


@dataclass(frozen=True, slots=True)
class FeedPage:
    id: str  # stable feed id
    title: str
    self_url: str
    updated: datetime
    entries: tuple[FeedEntry, ...]
    subtitle: str = ""
    home_url: str = ""
    first_url: str | None = None
    next_url: str | None = None
    prev_url: str | None = None
    language: str = "vi"
