"""Harvesting feeds over loopback HTTP: first harvest, re-harvests writing nothing, one edit = one version."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from hub import pipeline
from hub.errors import ConfigError
from hub.harvest import HarvestOutcome, harvest_sources
from hub.models import FetchValidator, HarvestStatus, ItemVersion, Source, StoredItem
from hub.settings import Settings
from hub.storage.harvests import list_harvests, list_issues
from hub.storage.items import list_items
from tests.conftest import ARTICLES, rss_feed
from tests.support.http import Reply, RequestInfo, serve

FEED = "/rss/tin-tuc.rss"


def _count(session: Session, table: type) -> int:
    session.rollback()  # a new transaction sees the harvest's commits
    return session.execute(select(func.count()).select_from(table)).scalar_one()


@pytest.fixture(params=["read whole", "asked entry by entry"])
def digests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source's entry digests read at once (a small source), or looked up per entry (a big one)."""
    if request.param == "asked entry by entry":
        monkeypatch.setattr(pipeline, "DIGESTS_READ_WHOLE", 1)


async def _harvest(settings: Settings, engine: Engine, *ids: str) -> HarvestOutcome:
    [outcome] = await harvest_sources(list(ids) or None, settings=settings, engine=engine)
    return outcome


async def test_first_harvest_stores_every_entry(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    with serve() as portal:
        portal.routes[FEED] = Reply(
            rss_feed(portal.base_url), headers={"Content-Type": "application/rss+xml"}
        )
        add_source(url=portal.url(FEED))
        outcome = await _harvest(settings, engine, "moit-tin-tuc")

    items = list_items(session=session)
    assert (outcome.status, outcome.http_status, outcome.items_new, outcome.error_count) == (
        HarvestStatus.SUCCESS,
        200,
        3,
        0,
    )
    assert outcome.bytes_fetched == len(rss_feed(portal.base_url))
    assert sorted(item.guid for item in items) == ["moit-2025-0311", "moit-2025-0312", "moit-2025-0313"]
    assert {item.title for item in items} == {title for _guid, title, _body in ARTICLES}
    assert all(item.published.tzinfo is not None for item in items)


async def test_same_bytes_again_is_not_modified_and_writes_nothing(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    with serve() as portal:
        portal.routes[FEED] = Reply(rss_feed(portal.base_url))
        add_source(url=portal.url(FEED))
        await _harvest(settings, engine, "moit-tin-tuc")
        before = [(item.id, item.version, item.last_changed_at) for item in list_items(session=session)]
        validator_before = session.get_one(FetchValidator, ("moit-tin-tuc", portal.url(FEED))).updated_at

        outcome = await _harvest(settings, engine, "moit-tin-tuc")

    session.rollback()  # a new transaction sees the harvest's commits
    assert (outcome.status, outcome.items_new, outcome.items_updated, outcome.items_unchanged) == (
        HarvestStatus.NOT_MODIFIED,
        0,
        0,
        0,
    )
    assert [(item.id, item.version, item.last_changed_at) for item in list_items(session=session)] == before
    assert session.get_one(FetchValidator, ("moit-tin-tuc", portal.url(FEED))).updated_at == validator_before
    assert _count(session, ItemVersion) == 0


async def test_etag_answered_with_304_is_not_modified(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    etag = '"tin-tuc-v1"'

    def conditional(request: RequestInfo) -> Reply:
        if request.headers.get("if-none-match") == etag:
            return Reply(status=304, headers={"ETag": etag})
        return Reply(rss_feed(portal.base_url), headers={"ETag": etag})

    with serve({FEED: conditional}) as portal:
        add_source(url=portal.url(FEED))
        await _harvest(settings, engine, "moit-tin-tuc")
        outcome = await _harvest(settings, engine, "moit-tin-tuc")

    source = session.get_one(Source, "moit-tin-tuc")
    session.refresh(source)
    assert (outcome.status, outcome.http_status, outcome.items_new) == (HarvestStatus.NOT_MODIFIED, 304, 0)
    assert [r.headers.get("if-none-match") for r in portal.requests if r.path == FEED] == [None, etag]
    assert (source.last_status, source.consecutive_failures, source.last_error_code) == (
        "not_modified",
        0,
        None,
    )
    assert _count(session, StoredItem) == 3


async def test_rebuilt_feed_with_the_same_entries_counts_them_unchanged(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    with serve() as portal:
        portal.routes[FEED] = Reply(rss_feed(portal.base_url))
        add_source(url=portal.url(FEED))
        await _harvest(settings, engine, "moit-tin-tuc")
        portal.routes[FEED] = Reply(rss_feed(portal.base_url, built="Fri, 14 Mar 2025 10:00:00 +0700"))

        outcome = await _harvest(settings, engine, "moit-tin-tuc")

    assert (outcome.status, outcome.items_new, outcome.items_updated, outcome.items_unchanged) == (
        HarvestStatus.SUCCESS,
        0,
        0,
        3,
    )
    assert [item.version for item in list_items(session=session)] == [1, 1, 1]
    assert _count(session, ItemVersion) == 0


@pytest.mark.usefixtures("digests")
async def test_entries_seen_unchanged_fetch_no_article_page_again(
    settings: Settings, engine: Engine, add_source: Callable[..., Source]
) -> None:
    with serve() as portal:
        portal.routes[FEED] = Reply(rss_feed(portal.base_url))
        for guid, title, body in ARTICLES:
            page = f"<html><body><article><h1>{title}</h1>{body}</article></body></html>"
            portal.routes[f"/tin-tuc/{guid}.html"] = Reply(
                page.encode(), headers={"content-type": "text/html; charset=utf-8"}
            )
        add_source(url=portal.url(FEED), options={"full_text": True})
        await _harvest(settings, engine, "moit-tin-tuc")
        pages_first = [r.path for r in portal.requests if r.path.startswith("/tin-tuc/")]
        portal.routes[FEED] = Reply(rss_feed(portal.base_url, built="Fri, 14 Mar 2025 10:00:00 +0700"))

        outcome = await _harvest(settings, engine, "moit-tin-tuc")

    assert len(pages_first) == len(ARTICLES)
    assert [r.path for r in portal.requests if r.path.startswith("/tin-tuc/")] == pages_first
    assert (outcome.items_new, outcome.items_updated, outcome.items_unchanged) == (0, 0, 3)


async def test_one_edited_entry_makes_exactly_one_new_version(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    edited = [
        *ARTICLES[:2],
        (ARTICLES[2][0], ARTICLES[2][1], "<p>Kim ngạch xuất khẩu gạo quý I đạt 1,5 tỷ USD.</p>"),
    ]
    with serve() as portal:
        portal.routes[FEED] = Reply(rss_feed(portal.base_url))
        add_source(url=portal.url(FEED))
        await _harvest(settings, engine, "moit-tin-tuc")
        portal.routes[FEED] = Reply(rss_feed(portal.base_url, edited))

        outcome = await _harvest(settings, engine, "moit-tin-tuc")

    versions = session.execute(select(ItemVersion)).scalars().all()
    changed = [item for item in list_items(session=session) if item.guid == "moit-2025-0313"]
    assert (outcome.items_new, outcome.items_updated, outcome.items_unchanged) == (0, 1, 2)
    assert [(v.item_id, v.version) for v in versions] == [(changed[0].id, 1)]
    assert changed[0].version == 2
    assert "1,5 tỷ USD" in changed[0].body_text
    assert "1,4 tỷ USD" in versions[0].body_html


async def test_one_bad_entry_does_not_fail_the_others(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    empty = ("moit-2025-0314", "", "")
    with serve() as portal:
        portal.routes[FEED] = Reply(
            rss_feed(portal.base_url, [*ARTICLES, empty]).replace(b"<description>.</description>", b"")
        )
        add_source(url=portal.url(FEED))
        outcome = await _harvest(settings, engine, "moit-tin-tuc")

    [harvest] = list_harvests(session=session)
    [issue] = list_issues(harvest.id or 0, session=session)
    assert (outcome.status, outcome.items_new, outcome.error_count) == (HarvestStatus.PARTIAL, 3, 1)
    assert (issue.stage, issue.code, issue.item_key) == ("normalise", "normalise.empty", "moit-2025-0314")
    assert _count(session, StoredItem) == 3


async def test_unknown_source_id_is_named_in_the_error(settings: Settings, engine: Engine) -> None:
    with pytest.raises(ConfigError, match="khong-co-nguon"):
        await harvest_sources(["khong-co-nguon"], settings=settings, engine=engine)


async def test_all_enabled_sources_are_harvested_and_reported(
    settings: Settings, engine: Engine, add_source: Callable[..., Source]
) -> None:
    seen: list[str] = []
    with serve() as portal:
        portal.routes[FEED] = Reply(rss_feed(portal.base_url))
        portal.routes["/rss/khac.rss"] = Reply(rss_feed(portal.base_url, ARTICLES[:1]))
        add_source(url=portal.url(FEED))
        add_source("moit-khac", url=portal.url("/rss/khac.rss"))
        add_source("moit-cu", url=portal.url("/rss/cu.rss"), enabled=False)

        outcomes = await harvest_sources(
            None, settings=settings, engine=engine, on_progress=lambda o: seen.append(o.source_id)
        )

    assert [(o.source_id, o.status, o.items_new) for o in outcomes] == [
        ("moit-khac", HarvestStatus.SUCCESS, 1),
        ("moit-tin-tuc", HarvestStatus.SUCCESS, 3),
    ]
    assert sorted(seen) == ["moit-khac", "moit-tin-tuc"]
