"""Reprocess a source: re-derive its items from the raw payloads it last stored, without the network.

Used after the normaliser improves: a new version is written only where the derived content changed.
"""

from __future__ import annotations

from sqlalchemy import Engine

from hub.db import session_scope
from hub.errors import ConfigError
from hub.models import HarvestTrigger
from hub.pipeline import run_harvest
from hub.pipeline.fetcher import ReplayFetcher
from hub.settings import Settings
from hub.storage.harvests import HarvestOutcome
from hub.storage.sources import get_source

__all__ = ["reprocess_source"]


async def reprocess_source(source_id: str, *, settings: Settings, engine: Engine) -> HarvestOutcome:
    """Run the pipeline over the source's stored payloads (a harvest with trigger `reprocess`)."""
    with session_scope(engine) as session:
        if get_source(source_id, session=session) is None:
            raise ConfigError(f"unknown source id: {source_id}", code="config.unknown_source")
    fetcher = ReplayFetcher(engine=engine, source_id=source_id)
    return await run_harvest(
        source_id, engine=engine, fetcher=fetcher, settings=settings, trigger=HarvestTrigger.REPROCESS
    )
