"""One entry per story: the bundled sample portals harvested over loopback HTTP, the feeds read from the app.

The mae.gov.vn flood article and its khanhhoa.gov.vn copy, the baochinhphu.vn article and its danang.gov.vn
copy are one entry each, with the copy as a republication and the credited portal's item as the original;
ids survive re-harvests, restarts, a late original and editor overrides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import httpx
import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from hub.db import make_engine, session_scope, upgrade_database
from hub.demo import SamplePortals, serve_sample_portals
from hub.harvest import harvest_sources
from hub.models import StoredItem
from hub.reprocess import reprocess_source
from hub.settings import Settings
from hub.sources import load_sources_file
from hub.storage.sources import sync_sources
from hub.web.app import create_app
from tests.conftest import BACKENDS, fresh_database
from tests.support.api import ADMIN, ADMIN_TOKEN

AUTHORITY = "portalhub.test,2026"
FLOOD = "chỉ đạo ứng phó mưa lũ tại Nam Trung Bộ"  # in the titles of mae's original and khanhhoa's copy
DA_NANG = "Ban Thường vụ Thành ủy Đà Nẵng"  # baochinhphu's original and danang's copy
# (original's source, copy's source, words of both titles)
STORIES = (
    ("mae-tin-tuc", "khanhhoa-tin-tuc", FLOOD),
    ("baochinhphu-trang-chu", "danang-tin-tuc", DA_NANG),
)


@dataclass
class World:
    portals: SamplePortals
    settings: Settings
    engine: Engine

    async def harvest(self, *source_ids: str) -> None:
        await harvest_sources(list(source_ids) or None, settings=self.settings, engine=self.engine)

    async def feed(self, path: str = "/feeds/articles.atom", **params: str) -> Any:
        async with self.client() as client:
            reply = await client.get(path, params={"limit": "200", **params})
        assert reply.status_code == 200, reply.text
        return feedparser.parse(reply.content)

    def client(self) -> httpx.AsyncClient:
        app = create_app(self.settings)  # a new app and engine each time: nothing survives in memory
        return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://hub.test")

    def items(self) -> list[StoredItem]:
        with Session(self.engine) as session:
            return list(session.execute(select(StoredItem).order_by(StoredItem.id)).scalars())

    def item(self, source_id: str, title_part: str) -> StoredItem:
        [item] = [i for i in self.items() if i.source_id == source_id and title_part in i.title]
        return item


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """Sample portals served and registered; nothing harvested yet."""
    with fresh_database(request.param, tmp_path) as url, serve_sample_portals() as portals:
        upgrade_database(url)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]  # pydantic-settings init option
            database_url=url,
            id_authority=AUTHORITY,
            feed_marker_ttl=0.0,
            admin_token=ADMIN_TOKEN,
            contact="quantri@portalhub.example.vn",
            per_host_delay=0.0,
        )
        engine = make_engine(url)
        with session_scope(engine) as session:
            configs = load_sources_file(portals.write_sources(tmp_path / "sources.yaml"))
            sync_sources(configs, session=session, now=datetime.now(UTC))
        yield World(portals, settings, engine)
        engine.dispose()


def _by_link(feed: Any) -> dict[str, Any]:
    return {entry.link: entry for entry in feed.entries}


def _related(entry: Any) -> list[str]:
    return [link.href for link in entry.links if link.rel == "related"]


async def test_each_story_is_one_entry_with_its_copies_as_republications(world: World) -> None:
    await world.harvest()
    entries = _by_link(await world.feed())
    stories = {item.story_id for item in world.items() if item.content_type == "article"}
    assert len(entries) == len(stories) == len({entry.id for entry in entries.values()})
    originals = set()
    for origin, copier, words in STORIES:
        original, copy = world.item(origin, words), world.item(copier, words)
        assert _related(entries[original.url]) == [copy.url]
        assert copy.url not in entries
        originals.add(original.url)
    assert all(_related(entry) == [] for link, entry in entries.items() if link not in originals)


async def test_copies_credit_the_portal_by_its_address_and_elect_its_item(world: World) -> None:
    await world.harvest()
    async with world.client() as client:
        for origin, copier, words in STORIES:
            original, copy = world.item(origin, words), world.item(copier, words)
            detail = (await client.get(f"/api/v1/items/{copy.id}")).json()
            story = (await client.get(f"/api/v1/stories/{copy.story_id}")).json()
            assert urlsplit(original.url).hostname == "127.0.0.1"  # the portals' real hosts are elsewhere
            assert detail["grouping"]["credited_source_id"] == origin
            assert (story["canonical_item_id"], story["elected_by"]) == (original.id, "credited")


async def test_monthly_meeting_reports_of_one_ministry_stay_two_entries(world: World) -> None:
    await world.harvest("mae-tin-tuc")
    titles = [entry.title for entry in (await world.feed()).entries]
    assert sum("họp giao ban tháng" in title for title in titles) == 2


async def test_story_ids_survive_a_second_harvest_and_a_restart(world: World) -> None:
    await world.harvest()
    before = {entry.id: entry.link for entry in (await world.feed()).entries}
    await world.harvest()
    world.engine.dispose()
    world.engine = make_engine(world.settings.database_url)  # the process restarted
    after = {entry.id: entry.link for entry in (await world.feed()).entries}
    assert after == before


async def test_an_original_harvested_after_its_copy_takes_over_the_same_entry(world: World) -> None:
    await world.harvest("khanhhoa-tin-tuc")  # mae.gov.vn was down the first time
    [copy_entry] = [e for e in (await world.feed()).entries if FLOOD in e.title]
    await world.harvest("mae-tin-tuc")
    [entry] = [e for e in (await world.feed()).entries if FLOOD in e.title]
    original = world.item("mae-tin-tuc", FLOOD)
    assert entry.id == copy_entry.id
    assert entry.link == original.url
    assert _related(entry) == [copy_entry.link]


async def test_split_and_merge_stick_across_reharvest_and_reprocess(world: World) -> None:
    await world.harvest()
    copy, original = world.item("khanhhoa-tin-tuc", FLOOD), world.item("mae-tin-tuc", FLOOD)
    september, october = world.item("mae-tin-tuc", "tháng 9/"), world.item("mae-tin-tuc", "tháng 10/")
    async with world.client() as client:
        split = await client.post(f"/api/v1/items/{copy.id}/split", headers=ADMIN, json={"by": "bien-tap"})
        merged = await client.post(
            f"/api/v1/stories/{october.story_id}/merge",
            headers=ADMIN,
            json={"other_story_id": september.story_id},
        )
    assert (split.status_code, merged.status_code) == (200, 200)
    await world.harvest()
    await reprocess_source("khanhhoa-tin-tuc", settings=world.settings, engine=world.engine)
    await reprocess_source("mae-tin-tuc", settings=world.settings, engine=world.engine)
    entries = _by_link(await world.feed())
    assert entries[copy.url].id == f"tag:{AUTHORITY}:story/{split.json()['id']}"
    assert _related(entries[original.url]) == []
    assert world.item("mae-tin-tuc", "tháng 9/").story_id == october.story_id
    assert sum("họp giao ban tháng" in entry.title for entry in entries.values()) == 1


async def test_overrides_need_the_admin_token(world: World) -> None:
    await world.harvest("mae-tin-tuc")
    item = world.item("mae-tin-tuc", FLOOD)
    async with world.client() as client:
        refused = await client.post(f"/api/v1/items/{item.id}/split")
        missing = await client.post("/api/v1/items/999999/split", headers=ADMIN)
    assert (refused.status_code, missing.status_code) == (401, 404)
    assert missing.json()["error"]["code"] == "item.not_found"


async def test_item_detail_explains_why_the_copy_is_grouped_with_the_original(world: World) -> None:
    await world.harvest("mae-tin-tuc")
    await world.harvest("khanhhoa-tin-tuc")
    original, copy = world.item("mae-tin-tuc", FLOOD), world.item("khanhhoa-tin-tuc", FLOOD)
    async with world.client() as client:
        detail = (await client.get(f"/api/v1/items/{copy.id}")).json()
        story = (await client.get(f"/api/v1/stories/{copy.story_id}")).json()
    grouping = detail["grouping"]
    assert detail["feed_id"] == f"tag:{AUTHORITY}:story/{original.story_id}"
    assert (grouping["rule"], grouping["matched_item_id"], grouping["is_canonical"]) == (
        "near",
        original.id,
        False,
    )
    assert grouping["score"] >= 0.6
    assert grouping["reason"].startswith("jaccard")
    assert grouping["credited_source_id"] == "mae-tin-tuc"  # "Nguồn: mae.gov.vn", by mae's site
    assert (story["canonical_item_id"], story["elected_by"]) == (original.id, "credited")
    assert [item["id"] for item in story["items"]] == [original.id, copy.id]
