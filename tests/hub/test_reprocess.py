"""Reprocessing re-derives a source's items from its stored payloads, offline; only real changes version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from hub import pipeline
from hub.errors import ConfigError
from hub.harvest import harvest_sources
from hub.items import Item
from hub.models import HarvestStatus, ItemVersion, Source
from hub.pipeline import StageContext
from hub.reprocess import reprocess_source
from hub.settings import Settings
from hub.storage.harvests import list_harvests
from hub.storage.items import list_items
from tests.conftest import rss_feed
from tests.support.http import Reply, serve

FEED = "/rss/tin-tuc.rss"


async def _harvest_then_stop_the_portal(
    settings: Settings, engine: Engine, add_source: Callable[..., Source]
) -> None:
    with serve() as portal:
        portal.routes[FEED] = Reply(
            rss_feed(portal.base_url), headers={"Content-Type": "application/rss+xml"}
        )
        add_source(url=portal.url(FEED))
        await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)


async def test_reprocess_with_the_same_pipeline_changes_nothing(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    await _harvest_then_stop_the_portal(settings, engine, add_source)

    outcome = await reprocess_source("moit-tin-tuc", settings=settings, engine=engine)

    session.rollback()  # a new transaction sees the reprocess's commits
    assert (outcome.status, outcome.items_new, outcome.items_updated, outcome.items_unchanged) == (
        HarvestStatus.SUCCESS,
        0,
        0,
        3,
    )
    assert list_harvests(session=session)[0].trigger == "reprocess"
    assert session.execute(select(func.count()).select_from(ItemVersion)).scalar_one() == 0


async def test_reprocess_after_a_pipeline_change_versions_only_the_changed_item(
    settings: Settings,
    engine: Engine,
    session: Session,
    add_source: Callable[..., Source],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _harvest_then_stop_the_portal(settings, engine, add_source)

    def fix_rice_title(item: Item, _ctx: StageContext) -> Item:
        # Stands for an improved stage: it now derives a different title for one article.
        if item.guid != "moit-2025-0313":
            return item
        return replace(item, title="Xuất khẩu gạo quý I/2025 tăng 12%", content_hash="rice-v2")

    monkeypatch.setattr(pipeline, "STAGES", (*pipeline.STAGES, fix_rice_title))
    outcome = await reprocess_source("moit-tin-tuc", settings=settings, engine=engine)

    session.rollback()
    rice = next(item for item in list_items(session=session) if item.guid == "moit-2025-0313")
    assert (outcome.items_updated, outcome.items_unchanged) == (1, 2)
    assert (rice.version, rice.title) == (2, "Xuất khẩu gạo quý I/2025 tăng 12%")
    assert session.execute(select(func.count()).select_from(ItemVersion)).scalar_one() == 1


async def test_reprocess_without_payloads_fails_clearly(
    settings: Settings, engine: Engine, add_source: Callable[..., Source]
) -> None:
    add_source(url="http://127.0.0.1:9/rss/tin-tuc.rss")

    outcome = await reprocess_source("moit-tin-tuc", settings=settings, engine=engine)

    assert (outcome.status, outcome.error_code) == (HarvestStatus.FAILED, "replay.no_payload")


async def test_reprocess_of_an_unknown_source_is_a_config_error(settings: Settings, engine: Engine) -> None:
    with pytest.raises(ConfigError, match="khong-co-nguon"):
        await reprocess_source("khong-co-nguon", settings=settings, engine=engine)
