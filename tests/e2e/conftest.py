"""End-to-end world: the bundled sample portals and a public-services portal on loopback, harvested into a
freshly migrated database, and the hub app spoken to over ASGI as the central portal would over HTTP.

Every test sees real HTTP portals, the real pipeline and the real app; nothing is stubbed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest
import yaml
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from hub.db import make_engine, session_scope, upgrade_database
from hub.demo import SamplePortals, serve_sample_portals
from hub.harvest import HarvestOutcome, harvest_sources
from hub.models import Source, StoredItem
from hub.settings import Settings
from hub.sources import load_sources_file
from hub.storage.sources import sync_sources
from hub.web.app import create_app
from hub.web.fastpath import ASGIApp
from tests.conftest import BACKENDS, fresh_database
from tests.support.http import LOOPBACK_TIMEOUT, LocalServer, Reply, serve

HUB_URL = "http://hub.test"
ID_AUTHORITY = "portalhub.test,2026"
ICT = timezone(timedelta(hours=7))
SERVICES_SOURCE_ID = "hue-dichvucong-thu-tuc"
SERVICES_FEED_PATH = "/rss/thu-tuc-hanh-chinh.rss"
# (slug, procedure name, field, published in Hà Nội time) - a provincial public-services portal's feed.
SERVICES: tuple[tuple[str, str, str, datetime], ...] = (
    ("1-001193-dang-ky-khai-sinh", "Đăng ký khai sinh", "Hộ tịch", datetime(2026, 11, 19, 8, 0, tzinfo=ICT)),
    (
        "1-001023-cap-phieu-ly-lich-tu-phap",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        "Lý lịch tư pháp",
        datetime(2026, 11, 17, 14, 30, tzinfo=ICT),
    ),
    (
        "1-004227-doi-giay-phep-lai-xe",
        "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
        "Đường bộ",
        datetime(2026, 11, 12, 9, 15, tzinfo=ICT),
    ),
)
SERVICES_SOURCE: dict[str, Any] = {
    "id": SERVICES_SOURCE_ID,
    "name": "Hệ thống thông tin giải quyết thủ tục hành chính thành phố Huế",
    "agency": "UBND thành phố Huế",
    "level": "province",
    "kind": "feed",
    "content_type": "service",
    "schedule": {"every": "15m"},
    "topics": ["Dịch vụ công trực tuyến"],
}


@dataclass
class HubWorld:
    """Running portals, the hub's settings and database, and the app serving its feeds."""

    portals: SamplePortals
    services: LocalServer
    settings: Settings
    engine: Engine
    app: ASGIApp
    service_entries: list[tuple[str, str, str, datetime]] = field(default_factory=list)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(self.app), base_url=HUB_URL)

    async def harvest(self, *source_ids: str) -> list[HarvestOutcome]:
        return await harvest_sources(list(source_ids) or None, settings=self.settings, engine=self.engine)

    def publish_service(self, slug: str, name: str, topic: str, published: datetime) -> None:
        """The services portal puts one more procedure in its feed (seen at the next harvest)."""
        self.service_entries.append((slug, name, topic, published))
        self.services.routes[SERVICES_FEED_PATH] = _services_reply(
            self.services.base_url, self.service_entries
        )

    def stored(self, *, canonical: bool = False) -> list[tuple[StoredItem, Source]]:
        """Stored items with their sources, newest first (the order of the feeds); `canonical`: only each
        story's canonical original, which is what the streams list."""
        query = (
            select(StoredItem, Source)
            .join(Source, col(Source.id) == col(StoredItem.source_id))
            .order_by(col(StoredItem.published).desc(), col(StoredItem.id).desc())
        )
        if canonical:
            query = query.where(col(StoredItem.is_canonical).is_(True))
        with Session(self.engine) as session:
            return [(item, source) for item, source in session.execute(query).all()]

    def source_ids(self) -> list[str]:
        with Session(self.engine) as session:
            return sorted(session.execute(select(col(Source.id))).scalars())


@contextmanager
def hub_world(backend: str, folder: Path, *, marker_ttl: float) -> Iterator[HubWorld]:
    """Portals served, database migrated, sources synced, everything harvested, the app built."""
    with ExitStack() as stack:
        database_url = stack.enter_context(fresh_database(backend, folder))
        upgrade_database(database_url)
        portals = stack.enter_context(serve_sample_portals())
        services = stack.enter_context(serve({"/robots.txt": Reply(b"User-agent: *\nAllow: /\n")}))
        settings = _settings(database_url, marker_ttl)
        engine = make_engine(database_url)
        stack.callback(engine.dispose)
        world = HubWorld(portals, services, settings, engine, create_app(settings), list(SERVICES))
        services.routes[SERVICES_FEED_PATH] = _services_reply(services.base_url, world.service_entries)
        _sync(world, folder)
        outcomes = asyncio.run(world.harvest())
        assert all(outcome.items_new for outcome in outcomes), outcomes
        yield world


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubWorld]:
    """A harvested world shared by a module's read-only tests; the marker is trusted long (fast path on)."""
    with hub_world(request.param, tmp_path_factory.mktemp("e2e"), marker_ttl=300.0) as running:
        yield running


@pytest.fixture(params=BACKENDS)
def fresh_world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HubWorld]:
    """A world of the test's own, for tests that harvest again; every request re-reads the marker."""
    with hub_world(request.param, tmp_path, marker_ttl=0.0) as running:
        yield running


def _settings(database_url: str, marker_ttl: float) -> Settings:
    return Settings(
        _env_file=None,  # pydantic-settings init option
        database_url=database_url,
        public_base_url=HUB_URL,
        id_authority=ID_AUTHORITY,
        feed_marker_ttl=marker_ttl,
        contact="quantri@portalhub.example.vn",
        connect_timeout=LOOPBACK_TIMEOUT,
        read_timeout=LOOPBACK_TIMEOUT,
        total_timeout=2 * LOOPBACK_TIMEOUT,
        per_host_delay=0.0,
        harvest_concurrency=4,
    )


def _sync(world: HubWorld, folder: Path) -> None:
    service = {**SERVICES_SOURCE, "url": world.services.url(SERVICES_FEED_PATH)}
    document = {"sources": [*world.portals.sources(), service]}
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with session_scope(world.engine) as session:
        sync_sources(load_sources_file(path), session=session, now=datetime.now(UTC))


def _services_reply(base_url: str, entries: list[tuple[str, str, str, datetime]]) -> Reply:
    items = "".join(
        f"<item><title>{escape(name)}</title><link>{base_url}/thu-tuc/{slug}.html</link>"
        f'<guid isPermaLink="true">{base_url}/thu-tuc/{slug}.html</guid><category>{escape(topic)}</category>'
        f"<description>Thủ tục {escape(name.lower())}: trình tự, hồ sơ, thời hạn giải quyết và lệ phí."
        f"</description><pubDate>{format_datetime(published)}</pubDate></item>"
        for slug, name, topic, published in sorted(entries, key=lambda entry: entry[3], reverse=True)
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Dịch vụ công thành phố Huế</title><link>{base_url}/</link>"
        f"<description>Thủ tục hành chính mới công bố</description>{items}</channel></rss>"
    ).encode()
    return Reply(body, headers={"Content-Type": "application/rss+xml; charset=utf-8"})


def entry_id(item: StoredItem) -> str:
    """The feed entry id the contract promises for a stored item: its story's, stable for life."""
    return f"tag:{ID_AUTHORITY}:story/{item.story_id or item.id}"


async def json_items(client: httpx.AsyncClient, path: str, **params: str) -> list[dict[str, Any]]:
    """Every item of every page of a JSON Feed, following `next_url` as a reader does."""
    items: list[dict[str, Any]] = []
    url: str | None = path
    query: dict[str, str] | None = params
    while url is not None:
        reply = await client.get(url, params=query)
        assert reply.status_code == 200, reply.text
        document = reply.json()
        items.extend(document["items"])
        url, query = document.get("next_url"), None
    return items
