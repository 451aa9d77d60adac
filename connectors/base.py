"""The connector contract: a source spec goes in, raw records come out.

A connector knows nothing of storage, dedupe or feeds. Everything it needs from the
outside world (HTTP, what the hub already holds) reaches it through `HarvestContext`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol, Self

from pydantic import BaseModel, ConfigDict

ContentType = Literal["article", "document", "service"]


class ConnectorError(Exception):
    """Base of every error a connector raises; `code` is stable (`fetch.timeout`, `parse.not_a_feed`)."""

    code: str = "connector.error"

    def __init__(self, message: str, *, code: str | None = None, url: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.url = url


class ConnectorDisabled(ConnectorError):
    """The connector cannot run for this source (bad options, missing dependency)."""

    code = "connector.disabled"


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """What a connector is told about its source (built by the hub from the sources file)."""

    id: str
    name: str
    agency: str
    level: str
    kind: str
    content_type: ContentType
    url: str
    topics: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One HTTP exchange as the connector sees it: final URL, status, headers and the (capped) body."""

    url: str  # final URL after redirects
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    not_modified: bool = False  # 304, or a conditional fetch whose body equals the last one kept
    payload_hash: str | None = None  # content address of the kept raw bytes, set by the hub's fetcher

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class Fetcher(Protocol):
    """What connectors call to fetch; the polite client implements it, the hub wraps it.

    `conditional=True` asks for a conditional GET with the validators kept for this URL
    (only the source's own listing/feed URLs are fetched that way). `discovered=True` marks a
    URL found inside fetched content: it is refused when it resolves to a private address
    that is not a configured source's host.
    """

    async def fetch(
        self, url: str, *, conditional: bool = False, discovered: bool = False
    ) -> FetchResult: ...


@dataclass(slots=True)
class HarvestContext:
    """Everything a connector may use from outside, handed to `from_source`."""

    fetcher: Fetcher
    # (identity hint, entry digest) -> True when the hub already stored this exact entry for this source;
    # lets a connector skip costly work (article-page fetches) for entries it has seen unchanged.
    is_unchanged: Callable[[str, str], bool] = field(default=lambda _hint, _digest: False)


@dataclass(frozen=True, slots=True)
class RawRecord:
    """What a connector yields: values verbatim from the source, for the normaliser to clean.

    `fields` keys used by the feed connector: title, summary, body_html, published, updated,
    author, topics (list[str]), image_url, full_text_url, base_url, plus content-type specific ones.
    Dates stay as the source wrote them (strings); the hub's date layer parses them.
    """

    source_id: str
    content_type: ContentType
    url: str  # as found; may be relative (resolve against fields["base_url"] or the source URL)
    guid: str | None
    fields: Mapping[str, Any]
    fetched_at: datetime  # aware UTC
    entry_digest: str = ""  # hash of the entry as the source served it (see HarvestContext.is_unchanged)
    payload_hash: str | None = None  # raw payload this record was derived from (provenance)
    unchanged: bool = False  # the hub already holds this exact entry; fields may be empty


class Connector(ABC):
    """One plug-in per source kind. Build with `from_source`, then iterate `harvest()`."""

    kind: ClassVar[str]
    Options: ClassVar[type[BaseModel]]

    def __init__(self, spec: SourceSpec, ctx: HarvestContext, options: BaseModel) -> None:
        self.spec = spec
        self.ctx = ctx
        self.options = options

    @classmethod
    def from_source(cls, spec: SourceSpec, ctx: HarvestContext) -> Self:
        """Validate the source's options; raise `ConnectorDisabled` when they cannot work."""
        try:
            options = cls.Options.model_validate(dict(spec.options))
        except ValueError as exc:
            raise ConnectorDisabled(f"source {spec.id}: bad options for kind {cls.kind}: {exc}") from exc
        return cls(spec, ctx, options)

    @abstractmethod
    def harvest(self) -> AsyncIterator[RawRecord]:
        """Yield raw records; raise `ConnectorError` when the source as a whole fails."""


class NoOptions(BaseModel):
    """Options model for connectors without kind-specific options."""

    model_config = ConfigDict(extra="forbid")
