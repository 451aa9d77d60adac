"""The pipeline's own rules: validators only with a committed harvest, provenance, per-record isolation."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import ClassVar

import pytest
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import Connector, NoOptions, RawRecord
from hub import pipeline
from hub.harvest import harvest_sources
from hub.items import Item
from hub.models import FetchValidator, HarvestStatus, Source
from hub.pipeline import StageContext
from hub.settings import Settings
from hub.storage.harvests import list_harvests, list_issues
from hub.storage.items import list_items
from hub.storage.payloads import get_payload, payload_hash
from tests.conftest import rss_feed
from tests.support.http import Reply, RequestInfo, serve

FEED = "/rss/tin-tuc.rss"
LAST_MODIFIED = "Fri, 14 Mar 2025 02:30:00 GMT"


async def test_validators_are_written_only_by_a_committed_harvest(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    page = "<html><body>Trang đang bảo trì</body></html>".encode()
    with serve(
        {FEED: Reply(page, headers={"Content-Type": "text/html", "Last-Modified": LAST_MODIFIED})}
    ) as portal:
        add_source(url=portal.url(FEED))
        [failed] = await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)
        after_failure = session.get(FetchValidator, ("moit-tin-tuc", portal.url(FEED)))
        portal.routes[FEED] = Reply(rss_feed(portal.base_url), headers={"Last-Modified": LAST_MODIFIED})
        await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)

    session.rollback()  # a new transaction sees the harvest's commits
    validator = session.get_one(FetchValidator, ("moit-tin-tuc", portal.url(FEED)))
    assert (failed.status, after_failure) == (HarvestStatus.FAILED, None)
    assert (validator.last_modified, validator.payload_hash) == (
        LAST_MODIFIED,
        payload_hash(rss_feed(portal.base_url)),
    )


async def test_stored_validators_go_out_with_the_next_fetch(
    settings: Settings, engine: Engine, add_source: Callable[..., Source]
) -> None:
    def feed(request: RequestInfo) -> Reply:
        if request.headers.get("if-modified-since") == LAST_MODIFIED:
            return Reply(status=304)
        return Reply(rss_feed(portal.base_url), headers={"Last-Modified": LAST_MODIFIED})

    with serve({FEED: feed}) as portal:
        add_source(url=portal.url(FEED))
        await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)
        [second] = await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)

    assert (second.status, second.http_status, second.bytes_fetched) == (HarvestStatus.NOT_MODIFIED, 304, 0)


async def test_items_point_at_the_payload_they_came_from(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    with serve() as portal:
        portal.routes[FEED] = Reply(
            rss_feed(portal.base_url), headers={"Content-Type": "application/rss+xml"}
        )
        add_source(url=portal.url(FEED))
        await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)

    digest = payload_hash(rss_feed(portal.base_url))
    payload = get_payload(digest, session=session)
    assert {item.payload_hash for item in list_items(session=session)} == {digest}
    assert payload is not None
    assert (payload.url, payload.content_type) == (portal.url(FEED), "application/rss+xml")


async def test_a_crashing_stage_fails_one_record_not_the_harvest(
    settings: Settings,
    engine: Engine,
    session: Session,
    add_source: Callable[..., Source],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def classify(item: Item, _ctx: StageContext) -> Item:
        if item.guid == "moit-2025-0312":
            raise KeyError("lĩnh vực")
        return item

    monkeypatch.setattr(pipeline, "STAGES", (*pipeline.STAGES, classify))
    with serve() as portal:
        portal.routes[FEED] = Reply(rss_feed(portal.base_url))
        add_source(url=portal.url(FEED))
        [outcome] = await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)

    [issue] = list_issues(list_harvests(session=session)[0].id or 0, session=session)
    assert (outcome.status, outcome.items_new, outcome.error_count) == (HarvestStatus.PARTIAL, 2, 1)
    assert (issue.stage, issue.code, issue.item_key) == ("classify", "classify.error", "moit-2025-0312")
    assert "lĩnh vực" in issue.message


async def test_a_source_of_an_unknown_kind_fails_with_its_code(
    settings: Settings, engine: Engine, add_source: Callable[..., Source]
) -> None:
    add_source(kind="telex", url="http://127.0.0.1:9/telex")

    [outcome] = await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)

    assert (outcome.status, outcome.error_code) == (HarvestStatus.FAILED, "connector.unknown_kind")


class CrashingConnector(Connector):
    """A connector with a bug: yields one record, then raises something that is not a ConnectorError."""

    kind: ClassVar[str] = "crashing"
    Options: ClassVar[type[BaseModel]] = NoOptions

    async def harvest(self) -> AsyncIterator[RawRecord]:
        yield RawRecord(
            self.spec.id, "article", f"{self.spec.url}/1", None, {"title": "Tin 1"}, datetime.now(UTC)
        )
        raise ZeroDivisionError("lỗi lập trình")


async def test_a_crashing_connector_fails_its_source_only(
    settings: Settings,
    engine: Engine,
    session: Session,
    add_source: Callable[..., Source],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pipeline, "get_connector", lambda _kind: CrashingConnector)
    add_source(url="http://127.0.0.1:9/tin-tuc")

    [outcome] = await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)

    assert (outcome.status, outcome.error_code) == (HarvestStatus.FAILED, "connector.crashed")
    assert outcome.error_message == "ZeroDivisionError: lỗi lập trình"
    assert list_items(session=session) == []


async def test_a_refused_write_fails_the_harvest_and_keeps_the_previous_items(
    settings: Settings,
    engine: Engine,
    session: Session,
    add_source: Callable[..., Source],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def untitled(item: Item, _ctx: StageContext) -> Item:
        return replace(item, title=None, content_hash="broken")  # type: ignore[arg-type]  # the bug

    with serve() as portal:
        portal.routes[FEED] = Reply(rss_feed(portal.base_url))
        add_source(url=portal.url(FEED))
        await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)
        monkeypatch.setattr(pipeline, "STAGES", (*pipeline.STAGES, untitled))
        portal.routes[FEED] = Reply(rss_feed(portal.base_url, built="Sat, 15 Mar 2025 07:00:00 +0700"))
        monkeypatch.setattr(pipeline, "is_entry_unchanged", lambda *_args, **_kwargs: False)
        [outcome] = await harvest_sources(["moit-tin-tuc"], settings=settings, engine=engine)

    session.rollback()  # a new transaction sees the harvest's commits
    assert (outcome.status, outcome.error_code) == (HarvestStatus.FAILED, "storage.error")
    assert sorted(item.version for item in list_items(session=session)) == [1, 1, 1]
    assert all(item.title for item in list_items(session=session))
