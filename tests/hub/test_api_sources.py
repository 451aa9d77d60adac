"""/api/v1/sources: health and recent counts; writes need the admin bearer token and a valid source."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from hub.models import Source
from hub.settings import Settings
from hub.storage.health import recent_item_counts
from tests.conftest import make_item, rss_feed
from tests.support.api import ADMIN, api_client, store
from tests.support.http import Reply, serve
from tests.support.plans import plans_of

NEW_SOURCE = {
    "id": "soyte-khanhhoa",
    "name": "Sở Y tế tỉnh Khánh Hòa",
    "agency": "Sở Y tế tỉnh Khánh Hòa",
    "level": "department",
    "kind": "feed",
    "content_type": "article",
    "url": "https://syt.khanhhoa.gov.vn/rss/tin-tuc.rss",
    "schedule": {"every": "30m"},
    "topics": ["Y tế"],
}


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(settings) as client:
        yield client


async def test_sources_list_health_and_items_of_the_last_day_and_week(
    client: httpx.AsyncClient, session: Session, add_source: Callable[..., Source]
) -> None:
    now = datetime.now(UTC)
    add_source(
        consecutive_failures=2, last_error_code="fetch.timeout", last_success_at=now - timedelta(hours=5)
    )
    add_source("khanhhoa-tin-tuc", agency="UBND tỉnh Khánh Hòa", level="province")
    store(session, [make_item(1), make_item(2)], source_id="moit-tin-tuc", now=now - timedelta(hours=1))
    store(session, [make_item(3)], source_id="moit-tin-tuc", now=now - timedelta(days=3))
    store(session, [make_item(4)], source_id="moit-tin-tuc", now=now - timedelta(days=10))

    reply = await client.get("/api/v1/sources")

    by_id = {source["id"]: source for source in reply.json()["sources"]}
    moit = by_id["moit-tin-tuc"]
    assert reply.status_code == 200
    assert (moit["items_last_24h"], moit["items_last_7d"]) == (2, 3)
    assert (moit["consecutive_failures"], moit["last_error_code"], moit["harvesting"]) == (
        2,
        "fetch.timeout",
        False,
    )
    assert datetime.fromisoformat(moit["last_success_at"]) == now - timedelta(hours=5)
    assert (by_id["khanhhoa-tin-tuc"]["items_last_24h"], by_id["khanhhoa-tin-tuc"]["items_last_7d"]) == (0, 0)
    assert "lease_owner" not in moit


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/sources"),
        ("PATCH", "/api/v1/sources/moit-tin-tuc"),
        ("POST", "/api/v1/sources/moit-tin-tuc/harvest"),
    ],
)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer sai-mat-khau"}, {"Authorization": "Basic YWRtaW46YWRtaW4="}],
    ids=["none", "wrong", "basic"],
)
async def test_writes_without_the_admin_token_are_401_json(
    client: httpx.AsyncClient, add_source: Callable[..., Source], method: str, path: str, headers: dict
) -> None:
    add_source()

    reply = await client.request(method, path, headers=headers, json={"enabled": False})

    assert reply.status_code == 401
    assert reply.headers["www-authenticate"] == "Bearer"
    assert reply.json()["error"]["code"] == "auth.unauthorized"


async def test_admin_creates_a_source_due_at_once(client: httpx.AsyncClient) -> None:
    reply = await client.post("/api/v1/sources", json=NEW_SOURCE, headers=ADMIN)
    listed = (await client.get("/api/v1/sources/soyte-khanhhoa")).json()

    assert reply.status_code == 201
    assert reply.headers["location"] == "/api/v1/sources/soyte-khanhhoa"
    assert listed == reply.json()
    assert (listed["schedule_every_seconds"], listed["schedule_cron"], listed["topics"]) == (
        1800,
        None,
        ["Y tế"],
    )
    assert listed["next_harvest_at"] == listed["created_at"]


async def test_creating_an_existing_source_is_a_409(client: httpx.AsyncClient) -> None:
    await client.post("/api/v1/sources", json=NEW_SOURCE, headers=ADMIN)

    reply = await client.post("/api/v1/sources", json=NEW_SOURCE, headers=ADMIN)

    assert reply.status_code == 409
    assert reply.json()["error"]["code"] == "api.conflict"


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"level": "planet"}, ["body", "level"]),
        ({"schedule": {"every": "nửa tiếng"}}, ["body", "schedule", "every"]),
        ({"url": "ftp://syt.khanhhoa.gov.vn/rss"}, ["body", "url"]),
        ({"id": "Sở Y tế"}, ["body", "id"]),
        ({"kind": "fax"}, ["body", "kind"]),
        ({"full_text": "có"}, ["body", "options", "full_text"]),
        ({"site": "syt.khanhhoa.gov.vn"}, ["body", "site"]),
    ],
)
async def test_a_bad_source_is_a_422_naming_the_field(
    client: httpx.AsyncClient, change: dict, loc: list
) -> None:
    reply = await client.post("/api/v1/sources", json={**NEW_SOURCE, **change}, headers=ADMIN)

    assert reply.status_code == 422
    assert [error["loc"] for error in reply.json()["detail"]] == [loc]


async def test_patch_changes_fields_and_reschedules(
    client: httpx.AsyncClient, add_source: Callable[..., Source]
) -> None:
    far = datetime.now(UTC) + timedelta(days=2)
    add_source(next_harvest_at=far)

    reply = await client.patch(
        "/api/v1/sources/moit-tin-tuc",
        json={"name": "Bộ Công Thương — Tin hoạt động", "schedule": {"cron": "0 7 * * *"}, "enabled": True},
        headers=ADMIN,
    )

    body = reply.json()
    assert reply.status_code == 200
    assert (body["name"], body["schedule_cron"], body["schedule_every_seconds"]) == (
        "Bộ Công Thương — Tin hoạt động",
        "0 7 * * *",
        None,
    )
    # The next 07:00 in Hà Nội (00:00 UTC) comes before the old due time two days ahead.
    next_due = datetime.fromisoformat(body["next_harvest_at"])
    assert next_due < far
    assert (next_due.hour, next_due.minute) == (0, 0)


async def test_patch_can_disable_a_source(
    client: httpx.AsyncClient, add_source: Callable[..., Source]
) -> None:
    add_source()

    reply = await client.patch("/api/v1/sources/moit-tin-tuc", json={"enabled": False}, headers=ADMIN)

    assert (reply.status_code, reply.json()["enabled"]) == (200, False)


async def test_site_is_shown_set_and_removed(client: httpx.AsyncClient) -> None:
    mirrored = {**NEW_SOURCE, "url": "https://rss.cdn-xyz.vn/syt-khanhhoa.rss"}
    created = await client.post("/api/v1/sources", json=mirrored, headers=ADMIN)
    path = "/api/v1/sources/soyte-khanhhoa"

    moved = await client.patch(path, json={"site": "https://syt.khanhhoa.gov.vn"}, headers=ADMIN)
    shown = (await client.get(path)).json()
    removed = await client.patch(path, json={"site": None}, headers=ADMIN)

    assert (created.status_code, created.json()["site"]) == (201, None)
    assert (moved.status_code, shown["site"], shown["url"]) == (
        200,
        "https://syt.khanhhoa.gov.vn",
        "https://rss.cdn-xyz.vn/syt-khanhhoa.rss",
    )
    assert (removed.status_code, removed.json()["site"]) == (200, None)


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"url": "moit.gov.vn/rss"}, ["body", "url"]),
        ({"priority": "cao"}, ["body", "priority"]),
        ({"site": "ftp://moit.gov.vn"}, ["body", "site"]),
        ({"id": "doi-ten"}, ["body", "id"]),
        ({"schedule": {"every": "15m", "cron": "0 7 * * *"}}, ["body", "schedule"]),
    ],
)
async def test_a_bad_patch_is_a_422_naming_the_field(
    client: httpx.AsyncClient, add_source: Callable[..., Source], change: dict, loc: list
) -> None:
    add_source()

    reply = await client.patch("/api/v1/sources/moit-tin-tuc", json=change, headers=ADMIN)

    assert reply.status_code == 422
    assert [error["loc"] for error in reply.json()["detail"]] == [loc]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/sources/khong-co"),
        ("PATCH", "/api/v1/sources/khong-co"),
        ("POST", "/api/v1/sources/khong-co/harvest"),
    ],
)
async def test_unknown_source_is_a_404_json_error(client: httpx.AsyncClient, method: str, path: str) -> None:
    reply = await client.request(method, path, headers=ADMIN, json={"enabled": False})

    assert reply.status_code == 404
    assert reply.json() == {"error": {"code": "api.not_found", "message": "no source 'khong-co'"}}


async def test_harvest_now_runs_in_the_background_and_shows_in_harvests(
    client: httpx.AsyncClient, session: Session, add_source: Callable[..., Source]
) -> None:
    with serve() as portal:
        portal.routes["/rss"] = Reply(
            rss_feed(portal.base_url), headers={"Content-Type": "application/rss+xml"}
        )
        add_source(url=portal.url("/rss"))

        reply = await client.post("/api/v1/sources/moit-tin-tuc/harvest", headers=ADMIN)

    harvests = (await client.get(reply.json()["harvests_url"])).json()["harvests"]
    source = (await client.get("/api/v1/sources/moit-tin-tuc")).json()
    assert reply.status_code == 202
    assert reply.json() == {
        "source_id": "moit-tin-tuc",
        "status": "accepted",
        "harvests_url": "/api/v1/harvests?source=moit-tin-tuc",
    }
    assert [(h["trigger"], h["status"], h["items_new"]) for h in harvests] == [("api", "success", 3)]
    assert (source["last_status"], source["harvesting"]) == ("success", False)


async def test_harvest_now_of_a_source_being_harvested_is_a_409(
    client: httpx.AsyncClient, add_source: Callable[..., Source]
) -> None:
    add_source(lease_owner="hub-2:4242:scheduler", lease_until=datetime.now(UTC) + timedelta(minutes=5))

    reply = await client.post("/api/v1/sources/moit-tin-tuc/harvest", headers=ADMIN)

    assert reply.status_code == 409
    assert reply.json()["error"]["code"] == "harvest.in_progress"


@pytest.mark.parametrize("source_id", [None, "moit-tin-tuc"])
def test_recent_item_counts_read_a_range_of_each_sources_items_not_the_archive(
    source_id: str | None, tmp_path: Path
) -> None:
    # Grouped over the items, the counts read every item of the archive (6-43 s at a million on SQLite).
    now = datetime(2025, 3, 14, tzinfo=UTC)
    reads = plans_of(
        lambda session: recent_item_counts(now, session=session, source_id=source_id), tmp_path, "stored_item"
    )
    assert reads
    assert all("ix_stored_item_source_first_seen (source_id=? AND first_seen_at>?)" in read for read in reads)
