"""robots.txt: rules for the portalhub agent, RFC 9309 outcomes, caching, and refusal before fetching."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from connectors.fetch import FetchPolicy, PoliteClient
from connectors.fetch_errors import FetchError
from connectors.robots import MAX_CRAWL_DELAY, RobotsRules
from tests.support.http import Handler, Reply, serve

ROBOTS = b"""# Cong thong tin dien tu tinh Quang Nam
User-agent: *
Disallow: /quan-tri/

User-agent: portalhub
Disallow: /tim-kiem
"""
PAGE = "<p>UBND tỉnh Quảng Nam công bố thủ tục hành chính mới</p>".encode()


@pytest.mark.parametrize(
    ("robots", "path", "allowed"),
    [
        (ROBOTS, "/tin-tuc/thu-tuc-moi.html", True),
        (ROBOTS, "/tim-kiem?q=nghi-dinh", False),
        # A group naming portalhub replaces the `*` group for portalhub.
        (ROBOTS, "/quan-tri/dang-nhap", True),
        (b"User-agent: *\nDisallow: /quan-tri/\n", "/quan-tri/dang-nhap", False),
        (b"User-agent: Googlebot\nDisallow: /\n", "/tin-tuc", True),
        (b"User-agent: *\nDisallow: /\n", "/", False),
        (b"", "/tin-tuc", True),
    ],
)
def test_rules_apply_to_the_portalhub_agent(robots: bytes, path: str, allowed: bool) -> None:
    rules = RobotsRules.from_text(robots.decode())
    assert rules.allows("https://quangnam.gov.vn" + path) is allowed


@pytest.mark.parametrize(
    ("rules", "allowed"),
    [(RobotsRules.allow_all(), True), (RobotsRules.disallow_all("HTTP 503"), False)],
)
def test_missing_file_allows_and_unreachable_file_disallows(rules: RobotsRules, allowed: bool) -> None:
    assert rules.allows("https://quangnam.gov.vn/tin-tuc") is allowed


@pytest.mark.parametrize(
    ("robots", "delay"),
    [
        (b"User-agent: portalhub\nCrawl-delay: 2\n", 2.0),
        (b"User-agent: *\nCrawl-delay: 86400\n", MAX_CRAWL_DELAY),
        (ROBOTS, None),
    ],
)
def test_crawl_delay_is_read_and_capped(robots: bytes, delay: float | None) -> None:
    assert RobotsRules.from_text(robots.decode()).crawl_delay() == delay


async def test_disallowed_path_is_refused_without_requesting_it(fast_policy: FetchPolicy) -> None:
    with serve({"/robots.txt": Reply(ROBOTS), "/tim-kiem": Reply(PAGE)}) as server:
        async with PoliteClient(fast_policy) as client:
            with pytest.raises(FetchError) as caught:
                await client.fetch(server.url("/tim-kiem?q=nghi-dinh"))
    assert caught.value.code == "fetch.robots_disallowed"
    assert str(caught.value) == f"robots.txt of {server.base_url} disallows /tim-kiem?q=nghi-dinh"
    assert [r.path for r in server.requests] == ["/robots.txt"]


async def test_robots_is_fetched_once_per_host_and_cached(fast_policy: FetchPolicy) -> None:
    routes: dict[str, Reply | Handler] = {"/robots.txt": Reply(ROBOTS), "/tin-tuc": Reply(PAGE)}
    with serve(routes) as server:
        async with PoliteClient(replace(fast_policy, per_host_concurrency=4)) as client:
            await asyncio.gather(*(client.fetch(server.url("/tin-tuc")) for _ in range(4)))
            await client.fetch(server.url("/tin-tuc"))
    assert (server.hits("/robots.txt"), server.hits("/tin-tuc")) == (1, 5)


async def test_expired_robots_is_fetched_again(fast_policy: FetchPolicy) -> None:
    with serve({"/robots.txt": Reply(ROBOTS), "/tin-tuc": Reply(PAGE)}) as server:
        async with PoliteClient(replace(fast_policy, robots_cache_seconds=0)) as client:
            for _ in range(3):
                await client.fetch(server.url("/tin-tuc"))
    assert server.hits("/robots.txt") == 3


@pytest.mark.parametrize("status", [403, 404, 410])
async def test_missing_robots_allows_everything(fast_policy: FetchPolicy, status: int) -> None:
    with serve({"/robots.txt": Reply(b"", status), "/tin-tuc": Reply(PAGE)}) as server:
        async with PoliteClient(fast_policy) as client:
            result = await client.fetch(server.url("/tin-tuc"))
    assert result.body == PAGE


@pytest.mark.parametrize("status", [500, 503])
async def test_unreachable_robots_disallows_for_now(fast_policy: FetchPolicy, status: int) -> None:
    with serve({"/robots.txt": Reply(b"", status), "/tin-tuc": Reply(PAGE)}) as server:
        async with PoliteClient(fast_policy) as client:
            with pytest.raises(FetchError) as caught:
                await client.fetch(server.url("/tin-tuc"))
    assert caught.value.code == "fetch.robots_disallowed"
    reason = f"could not be read (HTTP {status}); /tin-tuc disallowed for now"
    assert str(caught.value) == f"robots.txt of {server.base_url} {reason}"
    assert server.hits("/tin-tuc") == 0


async def test_redirect_into_a_disallowed_path_is_refused(fast_policy: FetchPolicy) -> None:
    routes: dict[str, Reply | Handler] = {
        "/robots.txt": Reply(ROBOTS),
        "/cu": Reply(b"", 301, {"Location": "/tim-kiem"}),
    }
    with serve(routes) as server:
        async with PoliteClient(fast_policy) as client:
            with pytest.raises(FetchError) as caught:
                await client.fetch(server.url("/cu"))
    assert (caught.value.code, caught.value.url) == ("fetch.robots_disallowed", server.url("/tim-kiem"))
    assert server.hits("/tim-kiem") == 0


async def test_endless_robots_redirects_count_as_no_robots(fast_policy: FetchPolicy) -> None:
    routes: dict[str, Reply | Handler] = {
        "/robots.txt": Reply(b"", 302, {"Location": "/robots.txt"}),
        "/tin-tuc": Reply(PAGE),
    }
    with serve(routes) as server:
        async with PoliteClient(fast_policy) as client:
            result = await client.fetch(server.url("/tin-tuc"))
    assert result.body == PAGE


def _silent_robots() -> Iterator[bytes]:
    time.sleep(0.3)
    yield b"User-agent: *\n"


async def test_robots_that_times_out_disallows_for_now(fast_policy: FetchPolicy) -> None:
    routes: dict[str, Reply | Handler] = {"/robots.txt": Reply(_silent_robots), "/tin-tuc": Reply(PAGE)}
    with serve(routes) as server:
        async with PoliteClient(replace(fast_policy, read_timeout=0.05)) as client:
            with pytest.raises(FetchError) as caught:
                await client.fetch(server.url("/tin-tuc"))
    assert caught.value.code == "fetch.robots_disallowed"
    assert "could not be read (fetch.timeout: timed out waiting for data (0.05s)" in str(caught.value)


async def test_robots_beyond_500_kib_is_ignored(fast_policy: FetchPolicy) -> None:
    # RFC 9309 2.5: only the first 500 KiB need be read; a rule past that point does not apply.
    robots = b"# " + b"x" * (600 * 1024) + b"\nUser-agent: *\nDisallow: /\n"
    with serve({"/robots.txt": Reply(robots), "/tin-tuc": Reply(PAGE)}) as server:
        async with PoliteClient(fast_policy) as client:
            result = await client.fetch(server.url("/tin-tuc"))
    assert result.body == PAGE
