"""The harvest pipeline: one source -> connector -> raw records -> STAGES -> items -> storage.

`run_harvest` is the orchestrator; `STAGES` lists the per-record stages, in order.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import ConnectorError, FetchResult, HarvestContext, RawRecord
from connectors.registry import get_connector
from dedupe import DedupeSettings
from hub.db import session_scope
from hub.errors import ConfigError, DropRecord
from hub.items import Item
from hub.models import Harvest, HarvestStatus, HarvestTrigger, Source
from hub.pipeline.fetcher import FetchLog, RecordingFetcher, ReplayFetcher
from hub.pipeline.fingerprint_pool import Ahead, shared_pool
from hub.pipeline.normalise import normalise_record
from hub.pipeline.store_queue import StoreQueue
from hub.pipeline.stories import assign_stories
from hub.schedule import next_harvest_at
from hub.settings import Settings
from hub.storage.harvests import (
    HarvestOutcome,
    HarvestTotals,
    Issue,
    close_harvest,
    open_harvest,
    outcome_of,
    record_issues,
)
from hub.storage.items import StoreCounts, entry_digests, is_entry_unchanged, store_items
from hub.storage.sources import record_health, spec_of

__all__ = [
    "STAGES",
    "STORED_TOGETHER_MAX_ITEMS",
    "Finished",
    "HarvestStore",
    "StageContext",
    "run_harvest",
    "store_harvests",
    "store_queue",
]

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL = timedelta(hours=1)  # a stored source without schedule (never from the file) still recurs
_MAX_AGE = re.compile(r"max-age\s*=\s*(\d+)")
# Entry digests of a source read at once for a harvest's questions, at most: reading a portal's whole
# archive took 250-700 ms a harvest at 41,000 items, where a feed page's 50 index lookups take 30-70 ms.
DIGESTS_READ_WHOLE = 2000
# Items of the harvests stored together in one transaction, at most (a harvest alone may hold more): the
# story stage's fixed part is spread over them, and the lock it holds stays short.
STORED_TOGETHER_MAX_ITEMS = 500
_STORING = (HarvestStatus.SUCCESS, HarvestStatus.PARTIAL)  # statuses whose items are stored


@dataclass(frozen=True, slots=True)
class StageContext:
    """What every stage may know besides the record: the source's URL and the harvest's clock."""

    source_url: str
    now: datetime
    future_tolerance: timedelta


def normalise(record: RawRecord, ctx: StageContext) -> Item:
    return normalise_record(
        record, source_url=ctx.source_url, now=ctx.now, future_tolerance=ctx.future_tolerance
    )


Stage = Callable[[Any, StageContext], Any]
# RawRecord -> Item first; later stages take and return the Item (dedupe decision, review hold ...).
STAGES: tuple[Stage, ...] = (normalise,)


@dataclass(slots=True)
class _Collected:
    """What the connector and the stages produced, before anything is stored."""

    items: list[Item] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    skipped_unchanged: int = 0  # records the connector marked unchanged: never normalised
    failure: Issue | None = None  # the source as a whole failed
    failure_status: int | None = None  # HTTP status of a failed fetch (500, 429 ...)
    retry_after: float | None = None


async def run_harvest(
    source_id: str,
    *,
    engine: Engine,
    fetcher: RecordingFetcher | ReplayFetcher,
    settings: Settings,
    trigger: HarvestTrigger = HarvestTrigger.CLI,
    queue: HarvestStore | None = None,
) -> HarvestOutcome:
    """Harvest one source, in these steps:

    1. open a Harvest row (own transaction) and load the source;
    2. build the connector: `get_connector(kind).from_source(spec, ctx)`;
    3. per raw record, in its own try: run `STAGES`; a `DropRecord` or any error becomes an issue
       with its stage and code, and the other records go on;
    4. a connector failure (`ConnectorError`, or a crash) fails the source: nothing is stored but
       the harvest row with its error and the source's health, in their own transaction;
    5. otherwise, in ONE transaction: store the items (new / version / unchanged), the issues, the
       fetch validators; close the harvest with counters, bytes and HTTP status; update the source's
       health and next harvest time. A 304 or an unchanged payload stores no item and no validator.

    Steps 4 and 5 go through `queue` (`store_queue`): harvests of one `harvest_sources` that finish while
    another is being stored share the next transaction, and its story stage.
    """
    started = datetime.now(UTC)
    harvest_id, source = _open(engine, source_id, trigger, started)
    log = {"source_id": source_id, "harvest_id": harvest_id, "stage": "harvest"}
    logger.info("harvest started (%s)", trigger, extra=log)
    stage_ctx = StageContext(source.url, started, timedelta(minutes=settings.future_date_tolerance_minutes))
    collected = await _collect(source, fetcher, stage_ctx, engine, replay=trigger == HarvestTrigger.REPROCESS)
    # Fingerprinted in a worker process while this process stores the other sources' harvests.
    ahead = await shared_pool(settings.fingerprint_workers).fingerprints(collected.items, settings.dedupe())
    # Stored in a worker thread, with the harvests that finished meanwhile: the store waits on the
    # database (SQLite's write lock, PostgreSQL's story lock), and the event loop must meanwhile keep
    # serving the other sources' fetches.
    queue = queue or store_queue(engine, settings)
    finished = Finished(harvest_id, source_id, collected, fetcher, ahead)
    try:
        harvest = await queue.store(finished)
    except Exception as exc:  # the store refused: report it on the harvest row, keep the process alive
        logger.exception("storing the harvest failed", extra=log)
        failed = _Collected(issues=collected.issues, failure=Issue("store", "storage.error", f"{exc}"))
        harvest = await queue.store(replace(finished, collected=failed, ahead={}))
    logger.info("harvest %s", harvest.status, extra=log)
    return outcome_of(harvest)


def _open(engine: Engine, source_id: str, trigger: HarvestTrigger, now: datetime) -> tuple[int, Source]:
    with session_scope(engine) as session:
        source = session.get(Source, source_id)
        if source is None:
            raise ConfigError(f"unknown source {source_id!r}", code="config.unknown_source")
        harvest = open_harvest(source_id, session=session, trigger=trigger, now=now)
        return harvest.id or 0, source


async def _collect(
    source: Source,
    fetcher: RecordingFetcher | ReplayFetcher,
    stage_ctx: StageContext,
    engine: Engine,
    *,
    replay: bool,
) -> _Collected:
    collected = _Collected()
    ctx = HarvestContext(fetcher=fetcher)
    if not replay:  # reprocessing re-derives every entry, seen or not
        ctx.is_unchanged = _SeenEntries(engine, source.id).is_unchanged
    try:
        connector = get_connector(source.kind).from_source(spec_of(source), ctx)
        async for record in connector.harvest():
            _take(record, stage_ctx, collected)
    except ConnectorError as exc:
        collected.failure = Issue(exc.code.split(".")[0], exc.code, str(exc), url=exc.url)
        collected.failure_status = getattr(exc, "status", None)
        collected.retry_after = getattr(exc, "retry_after", None)
    except Exception as exc:  # a crashing connector fails its source, never the process
        logger.exception("connector crashed", extra={"source_id": source.id, "stage": "connector"})
        collected.failure = Issue("connector", "connector.crashed", f"{type(exc).__name__}: {exc}")
    return collected


def _take(record: RawRecord, ctx: StageContext, collected: _Collected) -> None:
    """Run one record through the stages; its failure is an issue, never the harvest's."""
    if record.unchanged:
        collected.skipped_unchanged += 1
        return
    value: Any = record
    stage_name = "stages"
    key = record.guid or record.url
    try:
        for stage in STAGES:
            stage_name = stage.__name__
            value = stage(value, ctx)
    except DropRecord as exc:
        collected.issues.append(Issue(exc.stage, exc.code, str(exc), url=exc.url or record.url, item_key=key))
        return
    except Exception as exc:  # one bad record never fails a harvest (STYLE 22)
        log = {"source_id": record.source_id, "url": record.url, "item_key": key, "stage": stage_name}
        logger.exception("record failed", extra=log)
        message = f"{type(exc).__name__}: {exc}"
        collected.issues.append(
            Issue(stage_name, f"{stage_name}.error", message, url=record.url, item_key=key)
        )
        return
    collected.items.append(value)


@dataclass(frozen=True, slots=True)
class Finished:
    """A harvest collected and fingerprinted, waiting to be stored."""

    harvest_id: int
    source_id: str
    collected: _Collected
    fetcher: RecordingFetcher | ReplayFetcher
    ahead: Ahead  # fingerprints made in the worker process


HarvestStore = StoreQueue[Finished, Harvest]


def store_queue(engine: Engine, settings: Settings) -> HarvestStore:
    """Where harvests wait to be stored, together with those that finish meanwhile."""
    return StoreQueue(
        partial(store_harvests, engine, settings.dedupe()),
        weight=lambda finished: len(finished.collected.items),
        max_weight=STORED_TOGETHER_MAX_ITEMS,
    )


def store_harvests(engine: Engine, dedupe: DedupeSettings, harvests: Sequence[Finished]) -> list[Harvest]:
    """Step 5 (or 4) of each harvest, in one transaction, with one story stage for all their items."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        statuses = [_status(finished.collected, finished.fetcher.log.not_modified) for finished in harvests]
        pairs = list(zip(harvests, statuses, strict=True))
        counts = [_store_items(finished, status, session=session, now=now) for finished, status in pairs]
        stored = {finished.harvest_id: finished.source_id for finished, status in pairs if status in _STORING}
        if stored:  # one story per item; see stories.py
            ahead = {key: made for finished in harvests for key, made in finished.ahead.items()}
            assign_stories(stored, session=session, settings=dedupe, ahead=ahead)
        return [
            _close(finished, status, stored_counts, session=session, now=now)
            for (finished, status), stored_counts in zip(pairs, counts, strict=True)
        ]


def _store_items(
    finished: Finished, status: HarvestStatus, *, session: Session, now: datetime
) -> StoreCounts:
    """The harvest's items, when its status stores any."""
    if status not in _STORING:
        return StoreCounts()
    items, harvest_id, source_id = finished.collected.items, finished.harvest_id, finished.source_id
    return store_items(items, session=session, harvest_id=harvest_id, source_id=source_id, now=now)


def _close(
    finished: Finished, status: HarvestStatus, counts: StoreCounts, *, session: Session, now: datetime
) -> Harvest:
    """A harvest's validators, issues, counters and its source's health, after its items are stored."""
    collected, fetcher = finished.collected, finished.fetcher
    if status in _STORING:
        fetcher.log.commit(finished.source_id, session=session, now=now)
    issues = [*collected.issues, *([collected.failure] if collected.failure else [])]
    record_issues(finished.harvest_id, issues, session=session)
    totals = _totals(status, collected, counts, fetcher.log)
    harvest = close_harvest(finished.harvest_id, totals, session=session, error_count=len(issues), now=now)
    source = session.get_one(Source, finished.source_id)
    error = (collected.failure.code, collected.failure.message) if collected.failure else None
    due = _next_due(
        source, now, failed=error is not None, retry_after=collected.retry_after, first=fetcher.log.first
    )
    record_health(source, status=status, now=now, next_harvest_at=due, error=error)
    return harvest


def _status(collected: _Collected, not_modified: bool) -> HarvestStatus:
    if collected.failure is not None:
        return HarvestStatus.FAILED
    if not_modified and not collected.items and not collected.issues:
        return HarvestStatus.NOT_MODIFIED
    return HarvestStatus.PARTIAL if collected.issues else HarvestStatus.SUCCESS


def _totals(
    status: HarvestStatus, collected: _Collected, counts: StoreCounts, log: FetchLog
) -> HarvestTotals:
    failure = collected.failure
    return HarvestTotals(
        status=status,
        http_status=log.http_status if log.first else collected.failure_status,
        bytes_fetched=log.bytes_fetched,
        items_new=counts.new,
        items_updated=counts.updated,
        items_unchanged=counts.unchanged + collected.skipped_unchanged,
        error_code=failure.code if failure else None,
        error_message=failure.message if failure else None,
    )


def _next_due(
    source: Source, now: datetime, *, failed: bool, retry_after: float | None, first: FetchResult | None
) -> datetime:
    every = timedelta(seconds=source.schedule_every_seconds) if source.schedule_every_seconds else None
    cron = source.schedule_cron
    max_age = _MAX_AGE.search(first.headers.get("cache-control", "")) if first else None
    return next_harvest_at(
        now=now,
        every=every if every or cron else DEFAULT_INTERVAL,
        cron=cron,
        consecutive_failures=source.consecutive_failures + 1 if failed else 0,
        retry_after=retry_after,
        cache_max_age=float(max_age.group(1)) if max_age else None,
    )


class _SeenEntries:
    """`HarvestContext.is_unchanged` for one source: its entry digests read once, on the first question,
    when it has at most `DIGESTS_READ_WHOLE`; a bigger source is asked entry by entry (an index lookup
    each), as reading a portal's whole archive at every harvest would grow with it."""

    def __init__(self, engine: Engine, source_id: str) -> None:
        self.engine = engine
        self.source_id = source_id
        self._known: set[tuple[str, str]] | None = None  # not read at all when the feed answers 304
        self._read = False

    def is_unchanged(self, hint: str, digest: str) -> bool:
        if self._read and self._known is not None:
            return is_entry_unchanged(self.source_id, hint, digest, known=self._known)
        with Session(self.engine) as session:  # reads only: no write lock, as a harvest may hold it
            if not self._read:
                self._known = entry_digests(self.source_id, session=session, at_most=DIGESTS_READ_WHOLE)
                self._read = True
            return is_entry_unchanged(self.source_id, hint, digest, session=session, known=self._known)
