"""Shared fixtures: every storage test runs on SQLite, and on PostgreSQL when one is configured.

Set PORTALHUB_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to add PostgreSQL: a fresh
database is created next to the one named for the test session and dropped after it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, SQLModel

from hub.db import database_url as parse_database_url
from hub.db import make_engine, upgrade_database
from hub.items import DatePrecision, IdentityRule, Item
from hub.models import Source
from hub.settings import Settings
from tests.support.http import LOOPBACK_TIMEOUT

POSTGRES_ENV = "PORTALHUB_TEST_DATABASE_URL"
BACKENDS = [
    "sqlite",
    *([pytest.param("postgresql", marks=pytest.mark.postgres)] if os.environ.get(POSTGRES_ENV) else []),
]


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """An empty database of `backend` for the block: an SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'hub-{uuid.uuid4().hex[:8]}.db'}"
        return
    server = parse_database_url(os.environ[POSTGRES_ENV])
    name = f"portalhub_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database per backend, shared by the session; `engine` empties it before each test."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        upgrade_database(url)
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    _empty_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A test's own session. After code under test commits elsewhere, `session.rollback()` ends this
    session's transaction: on SQLite (WAL) a read transaction keeps seeing the snapshot it started with."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def _empty_tables(engine: Engine) -> None:
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        for table in tables:
            connection.execute(table.delete())


NOW = datetime(2025, 3, 14, 2, 30, tzinfo=UTC)  # 09:30 in Hà Nội


@pytest.fixture
def add_source(session: Session) -> Callable[..., Source]:
    """Insert a source row directly (the sources-file path is tested in test_storage_sources)."""

    def add(source_id: str = "moit-tin-tuc", **values: Any) -> Source:
        defaults: dict[str, Any] = {
            "name": "Bộ Công Thương - Tin tức",
            "agency": "Bộ Công Thương",
            "level": "ministry",
            "kind": "feed",
            "content_type": "article",
            "url": "https://moit.gov.vn/rss/tin-tuc.rss",
            "schedule_every_seconds": 900,
            "created_at": NOW,
            "updated_at": NOW,
            "next_harvest_at": NOW,
        }
        source = Source(id=source_id, **{**defaults, **values})
        session.add(source)
        session.commit()
        return source

    return add


def make_item(number: int, *, source_id: str = "moit-tin-tuc", **changes: Any) -> Item:
    """A normalised article as the normaliser would hand it over; `changes` override any field."""
    title = f"Bộ Công Thương họp báo thường kỳ quý {number}"
    values: dict[str, Any] = {
        "source_id": source_id,
        "content_type": "article",
        "identity": f"https://moit.gov.vn/tin-tuc/hop-bao-{number}.html",
        "identity_rule": IdentityRule.URL,
        "url": f"https://moit.gov.vn/tin-tuc/hop-bao-{number}.html",
        "guid": None,
        "title": title,
        "summary": "Thứ trưởng thông tin về tình hình sản xuất công nghiệp và xuất khẩu.",
        "body_html": f"<p>{title}: xuất khẩu tăng trưởng khá.</p>",
        "body_text": f"{title}: xuất khẩu tăng trưởng khá.",
        "published": NOW - timedelta(hours=number),
        "published_precision": DatePrecision.DATETIME,
        "updated": None,
        "author": "Minh Anh",
        "topics": ["công nghiệp"],
        "image_url": None,
        "content_hash": f"hash-{number}",
        "fetched_at": NOW,
        "entry_digest": f"digest-{number}",
    }
    return Item(**{**values, **changes})


ARTICLES = (
    (
        "moit-2025-0311",
        "Bộ Công Thương tổ chức Hội nghị xúc tiến xuất khẩu sang thị trường Trung Đông",
        "<p>Hội nghị thu hút hơn 200 doanh nghiệp tham dự, tập trung vào các mặt hàng nông sản, thực phẩm"
        " chế biến và dệt may có lợi thế của Việt Nam.</p>",
    ),
    (
        "moit-2025-0312",
        "Thủ tướng chỉ đạo bảo đảm cung ứng điện mùa khô năm 2025",
        "<p>Tập đoàn Điện lực Việt Nam được yêu cầu vận hành an toàn hệ thống, không để thiếu điện cho"
        " sản xuất và sinh hoạt trong những tháng cao điểm nắng nóng.</p>",
    ),
    (
        "moit-2025-0313",
        "Xuất khẩu gạo quý I tăng 12% so với cùng kỳ",
        "<p>Theo số liệu của Tổng cục Hải quan, kim ngạch xuất khẩu gạo quý I đạt 1,4 tỷ USD; Philippines"
        " và Indonesia vẫn là hai thị trường lớn nhất.</p>",
    ),
)


def rss_feed(
    base_url: str,
    articles: Sequence[tuple[str, str, str]] = ARTICLES,
    *,
    built: str = "Fri, 14 Mar 2025 09:30:00 +0700",
) -> bytes:
    """An RSS 2.0 feed of a ministry portal with full content, one item per (guid, title, body)."""
    items = "".join(
        f"<item><title>{title}</title><link>{base_url}/tin-tuc/{guid}.html</link>"
        f'<guid isPermaLink="false">{guid}</guid><description>{title}.</description>'
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<pubDate>Fri, {day:02d} Mar 2025 08:00:00 +0700</pubDate></item>"
        for day, (guid, title, body) in enumerate(articles, start=10)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Bộ Công Thương - Tin tức</title><link>{base_url}/</link>"
        f"<description>Tin tức hoạt động</description><lastBuildDate>{built}</lastBuildDate>"
        f"{items}</channel></rss>"
    ).encode()


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Hub settings fit for loopback portals: no pacing. Timeouts are generous so that a loaded machine
    fails no test; the tests about timeouts set their own."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]  # pydantic-settings init option
        database_url=database_url,
        contact="quantri@portalhub.example.vn",
        connect_timeout=LOOPBACK_TIMEOUT,
        read_timeout=LOOPBACK_TIMEOUT,
        total_timeout=2 * LOOPBACK_TIMEOUT,
        per_host_delay=0.0,
        harvest_concurrency=2,
    )
