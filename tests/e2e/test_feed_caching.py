"""Conditional GET as the central portal polls: ETag, Last-Modified, 304, HEAD, gzip, Cache-Control, and
a page that has not changed answered without querying items again."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, event

from tests.e2e.conftest import SERVICES_SOURCE_ID, HubWorld

PATHS = (
    "/feeds/all.atom",
    "/feeds/articles.rss",
    "/feeds/documents.json",
    "/feeds/services.atom",
    "/feeds/sources/khanhhoa-tin-tuc.rss",
    "/feeds/all.json?q=khanh%20hoa&limit=3",
)
IDENTITY = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip"}
ITEM_QUERY = "FROM stored_item JOIN source"  # the page query; the change marker reads aggregates only


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine of this process runs inside the block."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(" ".join(str(args[2]).split()))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


async def _get(world: HubWorld, path: str, **headers: str) -> httpx.Response:
    async with world.client() as client:
        return await client.get(path, headers=headers)


@pytest.mark.parametrize("path", PATHS)
async def test_second_request_with_the_etag_gets_304(world: HubWorld, path: str) -> None:
    first = await _get(world, path, **IDENTITY)
    etag = first.headers["etag"]
    assert first.status_code == 200
    assert etag.startswith('"')  # strong
    again = await _get(world, path, **IDENTITY, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["last-modified"] == first.headers["last-modified"]


@pytest.mark.parametrize("path", PATHS)
async def test_if_modified_since_gets_304_from_last_modified_on(world: HubWorld, path: str) -> None:
    first = await _get(world, path, **IDENTITY)
    modified = parsedate_to_datetime(first.headers["last-modified"])
    same = await _get(world, path, **IDENTITY, **{"If-Modified-Since": first.headers["last-modified"]})
    later = format_datetime(modified + timedelta(days=1), usegmt=True)
    earlier = format_datetime(modified - timedelta(seconds=1), usegmt=True)
    assert same.status_code == 304
    assert (await _get(world, path, **{"If-Modified-Since": later})).status_code == 304
    assert (await _get(world, path, **{"If-Modified-Since": earlier})).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"If-None-Match": '"khong-phai-etag-nay"'},
        {"If-None-Match": '"khong-phai"', "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"},
        {"If-Modified-Since": "hom qua"},
    ],
)
async def test_a_stale_or_unreadable_validator_gets_the_full_page(
    world: HubWorld, headers: dict[str, str]
) -> None:
    reply = await _get(world, "/feeds/all.atom", **headers)
    assert reply.status_code == 200
    assert reply.content.startswith(b"<?xml")


@pytest.mark.parametrize("path", PATHS)
async def test_head_answers_the_get_headers_without_a_body(world: HubWorld, path: str) -> None:
    async with world.client() as client:
        full = await client.get(path, headers=IDENTITY)
        head = await client.head(path, headers=IDENTITY)
    assert head.status_code == 200
    assert head.content == b""
    for name in ("etag", "last-modified", "cache-control", "content-type", "content-length"):
        assert head.headers[name] == full.headers[name]
    assert int(head.headers["content-length"]) == len(full.content)


@pytest.mark.parametrize("path", PATHS)
async def test_gzip_is_the_same_page_compressed(world: HubWorld, path: str) -> None:
    async with world.client() as client:
        plain = await client.get(path, headers=IDENTITY)
        async with client.stream("GET", path, headers=GZIP) as packed:
            raw = b"".join([chunk async for chunk in packed.aiter_raw()])
        polled = await client.get(path, headers={**GZIP, "If-None-Match": packed.headers["etag"]})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == plain.content
    assert packed.headers["etag"] != plain.headers["etag"]  # another representation, another tag
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert polled.status_code == 304


@pytest.mark.parametrize("path", PATHS)
async def test_feeds_say_how_long_they_may_be_cached(world: HubWorld, path: str) -> None:
    reply = await _get(world, path)
    directives = {part.strip().split("=")[0] for part in reply.headers["cache-control"].split(",")}
    assert {"public", "max-age"} <= directives


@pytest.mark.parametrize("path", PATHS)
async def test_an_unchanged_page_is_answered_without_querying_items(world: HubWorld, path: str) -> None:
    first = await _get(world, path)
    with statements() as run:
        again = await _get(world, path, **{"If-None-Match": first.headers["etag"]})
        full = await _get(world, path)
    assert (again.status_code, full.status_code) == (304, 200)
    assert run == []  # the change marker is trusted for its TTL: not even it is read


async def test_with_no_marker_ttl_a_poll_reads_only_the_change_marker(fresh_world: HubWorld) -> None:
    first = await _get(fresh_world, "/feeds/all.atom")
    with statements() as run:
        again = await _get(fresh_world, "/feeds/all.atom", **{"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert run
    assert not [statement for statement in run if ITEM_QUERY in statement]


async def test_harvest_that_changes_nothing_keeps_the_etag(fresh_world: HubWorld) -> None:
    before = {path: await _get(fresh_world, path) for path in PATHS}
    outcomes = await fresh_world.harvest()
    assert all(outcome.items_new == outcome.items_updated == 0 for outcome in outcomes)
    for path, first in before.items():
        again = await _get(fresh_world, path, **{"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, path
        assert again.headers["etag"] == first.headers["etag"]


async def test_harvest_that_adds_an_item_changes_the_etag(fresh_world: HubWorld) -> None:
    paths = ("/feeds/all.atom", "/feeds/services.json", f"/feeds/sources/{SERVICES_SOURCE_ID}.rss")
    before = {path: await _get(fresh_world, path) for path in paths}
    when = datetime.fromisoformat("2026-11-20T10:00:00+07:00")
    fresh_world.publish_service("1-000893-dang-ky-ket-hon", "Đăng ký kết hôn", "Hộ tịch", when)
    [outcome] = await fresh_world.harvest(SERVICES_SOURCE_ID)
    assert outcome.items_new == 1
    for path, first in before.items():
        again = await _get(fresh_world, path, **{"If-None-Match": first.headers["etag"]})
        assert again.status_code == 200, path
        assert again.headers["etag"] != first.headers["etag"]
        assert "Đăng ký kết hôn" in again.text
