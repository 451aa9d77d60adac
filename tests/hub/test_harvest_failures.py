"""A failing source keeps its previous items and gets a clear error on the harvest row and its health."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from hub.harvest import harvest_sources
from hub.models import HarvestStatus, Source
from hub.settings import Settings
from hub.storage.harvests import list_harvests, list_issues
from hub.storage.items import list_items
from tests.conftest import rss_feed
from tests.support.http import LocalServer, Reply, serve

FEED = "/rss/tin-tuc.rss"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feed"
MAX_BODY = 64 * 1024


def _slow_body() -> Iterator[bytes]:
    yield b'<?xml version="1.0"?><rss version="2.0"><channel>'
    time.sleep(3)  # longer than the settings' read timeout: the portal hangs mid-body
    yield b"</channel></rss>"


@dataclass(frozen=True)
class Failure:
    name: str
    routes: Callable[[LocalServer], dict[str, Reply]]
    code: str
    http_status: int | None


FAILURES = [
    Failure(
        "server_error", lambda _p: {FEED: Reply(b"Internal Server Error", 500)}, "fetch.http_status", 500
    ),
    Failure("timeout", lambda _p: {FEED: Reply(_slow_body)}, "fetch.timeout", None),
    Failure(
        "not_a_feed",
        lambda _p: {
            FEED: Reply(
                "<html><body><h1>Bảo trì hệ thống</h1></body></html>".encode(),
                headers={"Content-Type": "text/html; charset=utf-8"},
            )
        },
        "parse.not_a_feed",
        200,
    ),
    Failure(
        "robots_disallow",
        lambda _p: {
            "/robots.txt": Reply(b"User-agent: *\nDisallow: /rss/\n", headers={"Content-Type": "text/plain"})
        },
        "fetch.robots_disallowed",
        None,
    ),
    Failure(
        "too_large",
        lambda p: {FEED: Reply(rss_feed(p.base_url) + b" " * (MAX_BODY * 2))},
        "fetch.too_large",
        None,
    ),
    Failure(
        "entity_bomb",
        lambda _p: {FEED: Reply((FIXTURES / "entity_bomb.xml").read_bytes())},
        "parse.unsafe_xml",
        200,
    ),
]


@pytest.mark.parametrize("failure", FAILURES, ids=[f.name for f in FAILURES])
async def test_failing_source_keeps_previous_items_and_reports_the_error(
    failure: Failure, settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    settings = settings.model_copy(
        update={"max_body_bytes": MAX_BODY, "read_timeout": 0.5, "total_timeout": 1.0}
    )
    with serve() as portal:
        portal.routes[FEED] = Reply(rss_feed(portal.base_url))
        add_source(url=portal.url(FEED))
        await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)
        before = [(item.id, item.version, item.title) for item in list_items(session=session)]
        portal.routes.update(failure.routes(portal))

        [outcome] = await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)

    session.rollback()  # a new transaction sees the harvest's commits
    latest = list_harvests(session=session)[0]
    source = session.get_one(Source, "moit-tin-tuc")
    [issue] = list_issues(latest.id or 0, session=session)
    assert (outcome.status, outcome.error_code, outcome.http_status) == (
        HarvestStatus.FAILED,
        failure.code,
        failure.http_status,
    )
    assert (latest.status, latest.error_code, latest.finished_at is not None) == (
        "failed",
        failure.code,
        True,
    )
    assert latest.error_message
    assert (issue.stage, issue.code) == (failure.code.split(".")[0], failure.code)
    assert [(item.id, item.version, item.title) for item in list_items(session=session)] == before
    assert (source.last_status, source.last_error_code, source.consecutive_failures) == (
        "failed",
        failure.code,
        1,
    )
    assert source.last_success_at is not None
    assert source.next_harvest_at is not None
    assert source.next_harvest_at > latest.finished_at


async def test_failures_in_a_row_are_counted_and_a_success_resets_them(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    with serve({FEED: Reply(b"Service Unavailable", 500)}) as portal:
        add_source(url=portal.url(FEED))
        await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)
        await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)
        session.rollback()  # a new transaction sees the harvest's commits
        failures = session.get_one(Source, "moit-tin-tuc").consecutive_failures
        portal.routes[FEED] = Reply(rss_feed(portal.base_url))
        await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)

    session.rollback()  # a new transaction sees the harvest's commits
    source = session.get_one(Source, "moit-tin-tuc")
    assert failures == 2
    assert (source.consecutive_failures, source.last_status, source.last_error_code) == (0, "success", None)
