"""Per-host pacing: Retry-After parsing, start spacing, concurrency limits and back-off through the client."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from connectors.fetch import FetchPolicy, PoliteClient
from connectors.fetch_errors import FetchError, RateLimitedError
from connectors.pacing import HostGate, parse_retry_after
from tests.support.http import Reply, RequestInfo, serve

NOW = datetime(2026, 3, 2, 8, 0, 0, tzinfo=UTC)
PAGE = "<p>Bộ Tư pháp: danh mục văn bản quy phạm pháp luật tháng 3</p>".encode()


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("Mon, 02 Mar 2026 08:00:30 GMT", 30.0),
        ("Mon, 02 Mar 2026 07:00:00 GMT", 0.0),  # already past
        ("Mon, 02 Mar 2026 08:00:30", 30.0),  # no zone: read as GMT
        ("999999", 3600.0),  # capped
        ("sớm thôi", 60.0),  # unreadable: the default
        ("-5", 60.0),
        (None, 60.0),
    ],
)
def test_retry_after_is_seconds_or_http_date(header: str | None, seconds: float) -> None:
    assert parse_retry_after(header, default=60.0, cap=3600.0, now=NOW) == seconds


class _FakeTime:
    """A clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_request_starts_are_spaced_by_the_delay() -> None:
    fake = _FakeTime()
    gate = HostGate(concurrency=1, delay=0.5, clock=fake.clock, sleep=fake.sleep)
    starts: list[float] = []
    for _ in range(3):
        async with gate.slot():
            starts.append(fake.now)
    fake.now += 5.0  # a quiet host: the next request need not wait
    async with gate.slot():
        starts.append(fake.now)
    assert starts == [0.0, 0.5, 1.0, 6.0]


async def test_back_off_keeps_the_longer_wait() -> None:
    fake = _FakeTime()
    gate = HostGate(concurrency=1, delay=0.0, clock=fake.clock, sleep=fake.sleep)
    gate.back_off(30.0, 429)
    gate.back_off(10.0, 503)
    fake.now = 12.0
    assert (gate.wait_left(), gate.back_off_status) == (18.0, 503)


@pytest.mark.parametrize(
    ("status", "header", "retry_after"),
    [(429, "7", 7.0), (503, "120", 120.0), (429, "86400", 600.0), (429, None, 60.0)],
)
async def test_rate_limit_is_remembered_per_host(
    fast_policy: FetchPolicy, status: int, header: str | None, retry_after: float
) -> None:
    headers = {"Retry-After": header} if header else {}
    policy = replace(fast_policy, max_retry_after=600.0)
    with serve({"/van-ban": Reply(b"", status, headers), "/khac": Reply(PAGE)}) as server:
        async with PoliteClient(policy) as client:
            with pytest.raises(RateLimitedError) as first:
                await client.fetch(server.url("/van-ban"))
            with pytest.raises(RateLimitedError) as second:
                await client.fetch(server.url("/khac"))
    assert (first.value.code, first.value.status, first.value.retry_after) == (
        "fetch.rate_limited",
        status,
        retry_after,
    )
    assert str(first.value) == f"HTTP {status} from {server.url('/van-ban')}: retry after {retry_after:.0f}s"
    # The second URL is never requested: the host asked for a pause.
    assert (second.value.status, server.hits("/khac")) == (status, 0)
    assert 0 < second.value.retry_after <= retry_after


async def test_plain_503_is_a_status_error_not_a_back_off(fast_policy: FetchPolicy) -> None:
    with serve({"/van-ban": Reply(b"", 503), "/khac": Reply(PAGE)}) as server:
        async with PoliteClient(fast_policy) as client:
            with pytest.raises(FetchError) as caught:
                await client.fetch(server.url("/van-ban"))
            result = await client.fetch(server.url("/khac"))
    assert (caught.value.code, result.body) == ("fetch.http_status", PAGE)


class _ConcurrencyMeter:
    """A route that holds each request briefly and records the most it saw at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current = 0
        self.most = 0

    def __call__(self, request: RequestInfo) -> Reply:
        with self._lock:
            self.current += 1
            self.most = max(self.most, self.current)
        time.sleep(0.05)
        with self._lock:
            self.current -= 1
        return Reply(PAGE)


@pytest.mark.parametrize("limit", [1, 3])
async def test_concurrent_requests_to_one_host_are_limited(fast_policy: FetchPolicy, limit: int) -> None:
    meter = _ConcurrencyMeter()
    with serve({"/tin": meter}) as server:
        async with PoliteClient(replace(fast_policy, per_host_concurrency=limit)) as client:
            results = await asyncio.gather(*(client.fetch(server.url(f"/tin?trang={n}")) for n in range(6)))
    assert [r.body for r in results] == [PAGE] * 6
    assert meter.most == limit


async def test_requests_to_one_host_keep_the_delay(fast_policy: FetchPolicy) -> None:
    with serve({"/tin": Reply(PAGE)}) as server:
        async with PoliteClient(replace(fast_policy, per_host_delay=0.1, per_host_concurrency=3)) as client:
            started = time.monotonic()
            await asyncio.gather(*(client.fetch(server.url(f"/tin?trang={n}")) for n in range(3)))
            elapsed = time.monotonic() - started
    # Four starts (robots.txt, then three pages) at least 0.1 s apart: a lower bound by construction.
    assert elapsed >= 0.3 - 0.01
    assert server.hits("/robots.txt") == 1
