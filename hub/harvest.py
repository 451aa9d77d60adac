"""Harvest several sources at once: one shared polite client, bounded concurrency, one outcome each.

Input: source ids (None = every enabled source), settings, an engine. Output: `HarvestOutcome`s, in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import urlsplit

from sqlalchemy import Engine

from connectors.fetch import FetchPolicy, PoliteClient
from hub.db import session_scope
from hub.errors import ConfigError
from hub.models import HarvestTrigger, Source
from hub.pipeline import run_harvest, store_queue
from hub.pipeline.fetcher import RecordingFetcher
from hub.settings import Settings
from hub.storage.harvests import HarvestOutcome
from hub.storage.sources import get_source, list_sources

__all__ = ["HarvestOutcome", "fetch_policy", "harvest_sources"]


async def harvest_sources(
    source_ids: list[str] | None,
    *,
    settings: Settings,
    engine: Engine,
    trigger: str = "cli",
    on_progress: Callable[[HarvestOutcome], None] | None = None,
) -> list[HarvestOutcome]:
    """Harvest the named sources (or every enabled one), at most `harvest_concurrency` at a time.

    1. load the sources; an unknown id is a `ConfigError` naming it, before anything is fetched;
    2. open one `PoliteClient` trusting the hosts of every configured source;
    3. run `run_harvest` per source under a semaphore, reporting each outcome as it lands; the harvests
       that finish while another is being stored are stored together (`hub.pipeline.store_queue`).
    """
    sources, every_source = _load(source_ids, engine)
    gate = asyncio.Semaphore(max(1, settings.harvest_concurrency))
    queue = store_queue(engine, settings)
    async with PoliteClient(fetch_policy(settings, every_source)) as client:

        async def one(source_id: str) -> HarvestOutcome:
            async with gate:
                fetcher = RecordingFetcher(client, engine=engine, source_id=source_id)
                outcome = await run_harvest(
                    source_id,
                    engine=engine,
                    fetcher=fetcher,
                    settings=settings,
                    trigger=HarvestTrigger(trigger),
                    queue=queue,
                )
            if on_progress is not None:
                on_progress(outcome)
            return outcome

        return list(await asyncio.gather(*(one(source.id) for source in sources)))


def fetch_policy(settings: Settings, sources: list[Source]) -> FetchPolicy:
    """The polite client's policy from the settings; configured source hosts are trusted."""
    hosts = frozenset(host for source in sources if (host := urlsplit(source.url).hostname))
    return FetchPolicy(
        contact=settings.contact,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        total_timeout=settings.total_timeout,
        max_body_bytes=settings.max_body_bytes,
        max_redirects=settings.max_redirects,
        per_host_concurrency=settings.per_host_concurrency,
        per_host_delay=settings.per_host_delay,
        robots_cache_seconds=float(settings.robots_cache_seconds),
        trusted_hosts=hosts,
    )


def _load(source_ids: list[str] | None, engine: Engine) -> tuple[list[Source], list[Source]]:
    """(the sources to harvest, every source) — the latter for the trusted hosts."""
    with session_scope(engine) as session:
        every_source = list_sources(session=session)
        if source_ids is None:
            return [source for source in every_source if source.enabled], every_source
        unknown = [source_id for source_id in source_ids if get_source(source_id, session=session) is None]
        if unknown:
            raise ConfigError(f"unknown source id(s): {', '.join(unknown)}", code="config.unknown_source")
        by_id = {source.id: source for source in every_source}
        return [by_id[source_id] for source_id in dict.fromkeys(source_ids)], every_source
