"""The hub's side of `connectors.Fetcher`: record what is fetched (live), or serve what was (replay).

`RecordingFetcher` wraps the polite client: stored validators go out with conditional fetches, every body
is kept as a payload, and the same bytes as last time count as not modified. `ReplayFetcher` answers
from the payloads a source last committed, without the network (for reprocessing).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import ConnectorError, FetchResult
from connectors.fetch import PoliteClient, Validators
from hub.db import session_scope
from hub.storage.payloads import keep_payload, latest_payloads_for_source, payload_body
from hub.storage.validators import ValidatorUpdate, get_validator, set_validators

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class FetchLog:
    """What a harvest's fetches amounted to: bytes, the first answer, validators waiting for the commit."""

    bytes_fetched: int = 0
    first: FetchResult | None = None  # the source's own URL, fetched first by every connector
    updates: dict[str, ValidatorUpdate] = field(default_factory=dict)

    def note(self, result: FetchResult) -> None:
        self.bytes_fetched += len(result.body)
        if self.first is None:
            self.first = result

    @property
    def not_modified(self) -> bool:
        return self.first is not None and self.first.not_modified

    @property
    def http_status(self) -> int | None:
        return None if self.first is None else self.first.status

    def commit(self, source_id: str, *, session: Session, now: datetime) -> None:
        """Write the new validators: only in the transaction that stores the harvest's items."""
        set_validators(source_id, list(self.updates.values()), session=session, now=now)


class RecordingFetcher:
    """Live fetching for one source's harvest, keeping every body as a content-addressed payload."""

    def __init__(self, client: PoliteClient, *, engine: Engine, source_id: str) -> None:
        self.client = client
        self.engine = engine
        self.source_id = source_id
        self.log = FetchLog()

    async def fetch(self, url: str, *, conditional: bool = False, discovered: bool = False) -> FetchResult:
        stored = self._stored(url) if conditional else None
        validators = Validators(stored.etag, stored.last_modified) if stored else None
        result = await self.client.fetch(
            url, conditional=conditional, discovered=discovered, validators=validators
        )
        if result.not_modified:
            result = replace(result, payload_hash=stored.payload_hash if stored else None)
        else:
            result = self._kept(url, result, stored)
        self.log.note(result)
        return result

    def _stored(self, url: str) -> ValidatorUpdate | None:
        with session_scope(self.engine) as session:
            row = get_validator(self.source_id, url, session=session)
            if row is None:
                return None
            return ValidatorUpdate(row.url, row.etag, row.last_modified, row.payload_hash)

    def _kept(self, url: str, result: FetchResult, stored: ValidatorUpdate | None) -> FetchResult:
        # Kept at once, in its own transaction: content-addressed rows are harmless even if the harvest fails.
        with session_scope(self.engine) as session:
            digest = keep_payload(
                result.url, result.content_type, result.body, session=session, now=datetime.now(UTC)
            )
        validators = Validators.from_headers(result.headers)
        self.log.updates[url] = ValidatorUpdate(url, validators.etag, validators.last_modified, digest)
        # A server without validators (or ignoring them) sending the same bytes: nothing new to parse.
        same = stored is not None and stored.payload_hash == digest
        return replace(result, payload_hash=digest, not_modified=same)


class ReplayFetcher:
    """Serves the payloads a source last committed, by URL; no network, nothing written."""

    def __init__(self, *, engine: Engine, source_id: str) -> None:
        self.source_id = source_id
        self.log = FetchLog()
        with session_scope(engine) as session:
            self._payloads = latest_payloads_for_source(source_id, session=session)

    async def fetch(self, url: str, *, conditional: bool = False, discovered: bool = False) -> FetchResult:
        payload = self._payloads.get(url)
        if payload is None:
            raise ConnectorError(
                f"no stored payload for {url} to reprocess", code="replay.no_payload", url=url
            )
        body = payload_body(payload)
        headers = {"content-type": payload.content_type} if payload.content_type else {}
        result = FetchResult(
            url=payload.url, status=200, headers=headers, body=body, payload_hash=payload.hash
        )
        self.log.note(result)
        return result
