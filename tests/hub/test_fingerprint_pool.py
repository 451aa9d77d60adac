"""Fingerprints made ahead in a worker process: the same as the stage's own, taken by the stage only for
the inputs they were made of; a pool that is off or whose worker died costs nothing but the time."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from dedupe import DEFAULT_SETTINGS, Fingerprint
from hub.harvest import harvest_sources
from hub.items import Item
from hub.models import HarvestTrigger, Source
from hub.pipeline import stories
from hub.pipeline.fingerprint_pool import FingerprintPool, input_key
from hub.pipeline.fingerprints import FingerprintCache, item_fingerprint, text_of
from hub.settings import Settings
from hub.storage.harvests import open_harvest
from hub.storage.items import store_items
from tests.conftest import NOW, rss_feed
from tests.hub.test_stories import (
    COPY,
    FLOOD,
    FLOOD_TITLE,
    article,
    item_of,
    sources,  # noqa: F401 - the stories' sources, as a fixture
)
from tests.support.http import Reply, serve

ORIGINAL = article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, hours=0)
REPUBLISHED = article("khanhhoa-tin-tuc", "mua-lu-ban-sao", *COPY, hours=3)


@pytest.fixture(scope="module")
def pool() -> Iterator[FingerprintPool]:
    started = FingerprintPool(1)
    yield started
    started.close()


@pytest.fixture
def made_in_stage(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Titles of the items the stage fingerprints itself."""
    made: list[str] = []
    own = stories.item_fingerprints

    def recording(items: list[Any], settings: Any) -> list[Fingerprint]:
        made.extend(item.title for item in items)
        return own(items, settings)

    monkeypatch.setattr(stories, "item_fingerprints", recording)
    return made


def _same(a: Fingerprint, b: Fingerprint) -> bool:
    return (
        (a.keys, a.title_key, a.token_count, a.bands, a.text, a.credit, a.published, a.source_id)
        == (b.keys, b.title_key, b.token_count, b.bands, b.text, b.credit, b.published, b.source_id)
        and np.array_equal(a.shingles, b.shingles)
        and np.array_equal(a.signature, b.signature)
    )


def _harvest(session: Session, source_id: str, item: Item, ahead: Any, cache: FingerprintCache) -> None:
    row = open_harvest(source_id, session=session, trigger=HarvestTrigger.CLI, now=NOW)
    store_items([item], session=session, harvest_id=row.id or 0, source_id=source_id, now=NOW)
    stories.assign_stories({row.id or 0: source_id}, session=session, cache=cache, ahead=ahead)
    session.commit()


def test_a_worker_makes_the_fingerprints_and_facts_the_stage_would(pool: FingerprintPool) -> None:
    ahead = pool.submit([ORIGINAL, REPUBLISHED], DEFAULT_SETTINGS).result()

    assert len(ahead) == 2
    for item in (ORIGINAL, REPUBLISHED):
        made, own = ahead[input_key(text_of(item))], item_fingerprint(item)
        assert _same(made, own)
        # The facts came extracted, the same as the stage's.
        assert made.__dict__["facts"] == own.facts
        assert made.facts.slots


def test_a_pool_that_is_off_answers_at_once_with_nothing() -> None:
    pending = FingerprintPool(0).submit([ORIGINAL], DEFAULT_SETTINGS)

    assert pending.future is None
    assert pending.result() == {}


@pytest.mark.usefixtures("sources")
def test_the_stage_takes_fingerprints_made_ahead_and_decides_as_without_them(
    session: Session, pool: FingerprintPool, made_in_stage: list[str]
) -> None:
    cache = FingerprintCache()  # the process's: the copy's candidate is the original it fingerprinted
    for item in (ORIGINAL, REPUBLISHED):
        _harvest(session, item.source_id, item, pool.submit([item], DEFAULT_SETTINGS).result(), cache)

    assert made_in_stage == []
    original = item_of(session, "mae-tin-tuc", "mua-lu")
    copy = item_of(session, "khanhhoa-tin-tuc", "ban-sao")
    assert copy.story_id == original.story_id


@pytest.mark.usefixtures("sources")
def test_fingerprints_made_of_other_inputs_are_not_taken(
    session: Session, pool: FingerprintPool, made_in_stage: list[str]
) -> None:
    earlier_text = article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD[:2], hours=0)
    ahead = pool.submit([earlier_text], DEFAULT_SETTINGS).result()
    _harvest(session, "mae-tin-tuc", ORIGINAL, ahead, FingerprintCache())

    assert made_in_stage == [FLOOD_TITLE]


def test_a_dead_worker_is_logged_and_the_next_batch_starts_another(
    pool: FingerprintPool, caplog: pytest.LogCaptureFixture
) -> None:
    before = set(multiprocessing.active_children())
    fresh = FingerprintPool(1)
    fresh.submit([ORIGINAL], DEFAULT_SETTINGS).result()
    for worker in set(multiprocessing.active_children()) - before:
        worker.kill()
        worker.join()

    with caplog.at_level(logging.WARNING, logger="hub.pipeline.fingerprint_pool"):
        lost = fresh.submit([ORIGINAL], DEFAULT_SETTINGS).result()
    again = fresh.submit([ORIGINAL], DEFAULT_SETTINGS).result()
    fresh.close()

    assert lost == {}
    assert any("fingerprint worker" in record.getMessage() for record in caplog.records)
    assert _same(again[input_key(text_of(ORIGINAL))], item_fingerprint(ORIGINAL))


async def test_a_harvest_hands_its_items_to_the_worker_before_the_stage(
    settings: Settings, engine: Engine, add_source: Callable[..., Source], made_in_stage: list[str]
) -> None:
    with serve({"/rss/tin-tuc.rss": Reply(rss_feed("http://127.0.0.1"))}) as portal:
        add_source(url=portal.url("/rss/tin-tuc.rss"))
        [outcome] = await harvest_sources(
            ["moit-tin-tuc"], settings=settings.model_copy(update={"fingerprint_workers": 1}), engine=engine
        )

    assert outcome.items_new > 0
    assert made_in_stage == []
