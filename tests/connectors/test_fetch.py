"""The polite client against real HTTP on 127.0.0.1: validators, redirects, caps, timeouts, errors."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from connectors.base import FetchResult
from connectors.fetch import FetchPolicy, PoliteClient, Validators, build_user_agent
from connectors.fetch_errors import FetchError
from tests.support.http import Handler, Reply, RequestInfo, serve

ARTICLE = "<h1>Chính phủ ban hành Nghị định 43/2011/NĐ-CP về cung cấp thông tin trên cổng TTĐT</h1>".encode()
ETAG = '"nd-43-2011"'
LAST_MODIFIED = "Mon, 13 Jun 2011 08:00:00 GMT"
MIB = 1024 * 1024


def _conditional_page(request: RequestInfo) -> Reply:
    if request.headers.get("if-none-match") == ETAG:
        return Reply(b"", 304, {"ETag": ETAG})
    return Reply(ARTICLE, 200, {"ETag": ETAG, "Last-Modified": LAST_MODIFIED, "Content-Type": "text/html"})


async def _fetch(policy: FetchPolicy, url: str, **kwargs: Any) -> FetchResult:
    async with PoliteClient(policy) as client:
        return await client.fetch(url, **kwargs)


async def _fetch_error(policy: FetchPolicy, url: str, **kwargs: Any) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await _fetch(policy, url, **kwargs)
    return caught.value


async def test_server_receives_honest_user_agent(fast_policy: FetchPolicy) -> None:
    with serve({"/tin-tuc": Reply(ARTICLE)}) as server:
        await _fetch(fast_policy, server.url("/tin-tuc"))
    agent = server.requests[-1].headers["user-agent"]
    assert agent == "portalhub/0.1 (+https://github.com/portalhub; contact: quantri@congthongtin.example.vn)"


def test_user_agent_folds_line_breaks_in_contact() -> None:
    assert (
        build_user_agent("a@b.vn\r\nX-Evil: 1")
        == "portalhub/0.1 (+https://github.com/portalhub; contact: a@b.vn X-Evil: 1)"
    )


async def test_conditional_get_round_trip_gives_not_modified(fast_policy: FetchPolicy) -> None:
    with serve({"/rss": _conditional_page}) as server:
        async with PoliteClient(fast_policy) as client:
            first = await client.fetch(server.url("/rss"), conditional=True)
            validators = Validators.from_headers(first.headers)
            second = await client.fetch(server.url("/rss"), conditional=True, validators=validators)
    assert (first.status, first.body, first.not_modified) == (200, ARTICLE, False)
    assert validators == Validators(etag=ETAG, last_modified=LAST_MODIFIED)
    assert (second.status, second.body, second.not_modified) == (304, b"", True)
    assert server.requests[-1].headers["if-modified-since"] == LAST_MODIFIED


async def test_validators_are_not_sent_without_conditional(fast_policy: FetchPolicy) -> None:
    with serve({"/rss": _conditional_page}) as server:
        result = await _fetch(fast_policy, server.url("/rss"), validators=Validators(etag=ETAG))
    assert result.status == 200
    assert "if-none-match" not in server.requests[-1].headers


async def test_headers_come_back_lower_case(fast_policy: FetchPolicy) -> None:
    with serve(
        {
            "/a": Reply(
                ARTICLE, headers={"Content-Type": "text/html; charset=utf-8", "X-Co-Quan": "Bo Tu phap"}
            )
        }
    ) as s:
        result = await _fetch(fast_policy, s.url("/a"))
    assert result.headers["content-type"] == "text/html; charset=utf-8"
    assert result.content_type == "text/html; charset=utf-8"


def _redirect_chain(length: int) -> dict[str, Reply | Handler]:
    routes: dict[str, Reply | Handler] = {
        f"/r{i}": Reply(b"", 302, {"Location": f"/r{i + 1}"}) for i in range(length)
    }
    routes[f"/r{length}"] = Reply(ARTICLE)
    return routes


@pytest.mark.parametrize(("hops", "code"), [(2, None), (3, "fetch.too_many_redirects")])
async def test_redirects_are_followed_up_to_the_limit(
    fast_policy: FetchPolicy, hops: int, code: str | None
) -> None:
    policy = replace(fast_policy, max_redirects=2)
    with serve(_redirect_chain(hops)) as server:
        if code is None:
            result = await _fetch(policy, server.url("/r0"))
            assert (result.url, result.body) == (server.url(f"/r{hops}"), ARTICLE)
        else:
            error = await _fetch_error(policy, server.url("/r0"))
            assert error.code == code
            assert str(error) == f"more than 2 redirects, next to {server.url('/r3')}"


@pytest.mark.parametrize(
    "url", ["ftp://chinhphu.vn/van-ban.pdf", "file:///etc/passwd", "javascript:alert(1)", "data:text/html,x"]
)
async def test_only_http_and_https_are_fetched(fast_policy: FetchPolicy, url: str) -> None:
    error = await _fetch_error(fast_policy, url)
    assert error.code == "fetch.bad_scheme"
    assert error.url == url


async def test_redirect_to_another_scheme_is_refused(fast_policy: FetchPolicy) -> None:
    with serve({"/tai-lieu": Reply(b"", 301, {"Location": "ftp://vanban.chinhphu.vn/43.pdf"})}) as server:
        error = await _fetch_error(fast_policy, server.url("/tai-lieu"))
    assert (error.code, error.url) == ("fetch.bad_scheme", "ftp://vanban.chinhphu.vn/43.pdf")


ZERO_CHUNK = b"\0" * (64 * 1024)


async def test_huge_chunked_body_stops_at_cap_without_holding_it(fast_policy: FetchPolicy) -> None:
    sent: list[int] = []

    def hundred_megabytes() -> Iterator[bytes]:
        for _ in range(100 * MIB // len(ZERO_CHUNK)):
            sent.append(1)
            yield ZERO_CHUNK

    policy = replace(fast_policy, max_body_bytes=MIB)
    with serve({"/lon": Reply(hundred_megabytes)}) as server:
        error, peak = await _traced(_fetch_error(policy, server.url("/lon")))
    assert (error.code, str(error)) == ("fetch.too_large", f"body exceeds {MIB} bytes")
    assert peak < 3 * MIB
    assert len(sent) < 100 * MIB // len(ZERO_CHUNK)


def _bomb(wbits: int) -> Callable[[], Iterator[bytes]]:
    """A compressed stream of endless zeros: every 1 KiB on the wire inflates to 1 MiB."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, wbits)
    head = deflater.compress(b"\0" * MIB) + deflater.flush(zlib.Z_FULL_FLUSH)
    # After a full flush the compressor starts afresh, so the same block compresses to the same bytes.
    segment = deflater.compress(b"\0" * MIB) + deflater.flush(zlib.Z_FULL_FLUSH)

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range(100):
            yield segment

    return chunks


@pytest.mark.parametrize(("encoding", "wbits"), [("gzip", 31), ("deflate", 15), ("deflate", -15)])
async def test_compression_bomb_stops_at_cap(fast_policy: FetchPolicy, encoding: str, wbits: int) -> None:
    policy = replace(fast_policy, max_body_bytes=MIB)
    with serve({"/bom": Reply(_bomb(wbits), headers={"Content-Encoding": encoding})}) as server:
        error, peak = await _traced(_fetch_error(policy, server.url("/bom")))
    assert (error.code, str(error)) == ("fetch.too_large", f"body exceeds {MIB} bytes")
    assert peak < 3 * MIB


async def _traced(work: Awaitable[FetchError]) -> tuple[FetchError, int]:
    tracemalloc.start()
    try:
        error = await work
        return error, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def test_declared_length_over_cap_is_refused_before_reading(fast_policy: FetchPolicy) -> None:
    policy = replace(fast_policy, max_body_bytes=len(ARTICLE) - 1)
    with serve({"/a": Reply(ARTICLE)}) as server:
        error = await _fetch_error(policy, server.url("/a"))
    assert str(error) == f"body exceeds {len(ARTICLE) - 1} bytes (Content-Length {len(ARTICLE)})"


async def test_body_of_exactly_the_cap_is_kept(fast_policy: FetchPolicy) -> None:
    policy = replace(fast_policy, max_body_bytes=len(ARTICLE))
    with serve({"/a": Reply(ARTICLE)}) as server:
        result = await _fetch(policy, server.url("/a"))
    assert result.body == ARTICLE


@pytest.mark.parametrize(
    ("encoding", "payload"),
    [
        ("gzip", gzip.compress(ARTICLE)),
        ("deflate", zlib.compress(ARTICLE)),
        ("deflate", zlib.compress(ARTICLE)[2:-4]),  # raw deflate, as some servers send it
        ("identity", ARTICLE),
    ],
)
async def test_compressed_body_is_decoded(fast_policy: FetchPolicy, encoding: str, payload: bytes) -> None:
    with serve({"/a": Reply(payload, headers={"Content-Encoding": encoding})}) as server:
        result = await _fetch(fast_policy, server.url("/a"))
    assert result.body == ARTICLE
    assert "content-encoding" not in result.headers or encoding == "identity"
    assert server.requests[-1].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    ("encoding", "payload", "message"),
    [
        ("br", b"\x1b\x00", "unsupported Content-Encoding 'br'"),
        (
            "gzip",
            b"khong phai gzip",
            "corrupt compressed body: Error -3 while decompressing data: incorrect header check",
        ),
    ],
)
async def test_undecodable_body_is_an_encoding_error(
    fast_policy: FetchPolicy, encoding: str, payload: bytes, message: str
) -> None:
    with serve({"/a": Reply(payload, headers={"Content-Encoding": encoding})}) as server:
        error = await _fetch_error(fast_policy, server.url("/a"))
    assert (error.code, str(error)) == ("fetch.encoding", message)


def _slow(pause: float, chunks: int) -> Callable[[], Iterator[bytes]]:
    def body() -> Iterator[bytes]:
        for _ in range(chunks):
            time.sleep(pause)
            yield "Đang cập nhật… ".encode()

    return body


@pytest.mark.parametrize(
    ("overrides", "pause", "chunks", "message"),
    [
        ({"read_timeout": 0.05}, 0.5, 2, "timed out waiting for data (0.05s)"),
        ({"total_timeout": 0.2}, 0.03, 100, "no complete answer within 0.2s"),
    ],
)
async def test_slow_server_times_out(
    fast_policy: FetchPolicy, overrides: dict[str, Any], pause: float, chunks: int, message: str
) -> None:
    policy = replace(fast_policy, **overrides)
    with serve({"/cham": Reply(_slow(pause, chunks))}) as server:
        error = await _fetch_error(policy, server.url("/cham"))
    assert error.code == "fetch.timeout"
    assert str(error) == f"{message}: {server.url('/cham')}"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_refused_connection_is_a_connect_error(fast_policy: FetchPolicy) -> None:
    error = await _fetch_error(fast_policy, f"http://127.0.0.1:{_closed_port()}/")
    assert error.code == "fetch.connect"


async def test_failed_tls_handshake_is_a_tls_error(fast_policy: FetchPolicy) -> None:
    with serve() as server:
        error = await _fetch_error(fast_policy, server.url("/").replace("http://", "https://"))
    assert error.code == "fetch.tls"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
async def test_error_status_carries_the_status(fast_policy: FetchPolicy, status: int) -> None:
    with serve({"/a": Reply(b"", status)}) as server:
        error = await _fetch_error(fast_policy, server.url("/a"))
    assert (error.code, error.status, error.url) == ("fetch.http_status", status, server.url("/a"))


async def test_not_modified_without_validators_is_an_error(fast_policy: FetchPolicy) -> None:
    with serve({"/a": Reply(b"", 304)}) as server:
        error = await _fetch_error(fast_policy, server.url("/a"), conditional=True)
    assert (error.code, error.status) == ("fetch.http_status", 304)


@pytest.mark.parametrize(
    ("url", "message"), [("http://[::1/", "invalid URL"), ("http:///tin-tuc", "URL has no host")]
)
async def test_malformed_url_is_a_bad_url(fast_policy: FetchPolicy, url: str, message: str) -> None:
    error = await _fetch_error(fast_policy, url)
    assert error.code == "fetch.bad_url"
    assert str(error).startswith(message)


async def test_broken_http_is_a_network_error(fast_policy: FetchPolicy) -> None:
    # A second, conflicting Content-Length: the client cannot tell where the body ends.
    with serve({"/a": Reply(ARTICLE, headers={"Content-Length": "5"})}) as server:
        error = await _fetch_error(fast_policy, server.url("/a"))
    assert error.code == "fetch.network"


async def test_fetch_outside_the_context_manager_is_a_programming_error(fast_policy: FetchPolicy) -> None:
    with serve({"/a": Reply(ARTICLE)}) as server:
        client = PoliteClient(replace(fast_policy, robots_cache_seconds=0))
        with pytest.raises(RuntimeError, match="outside `async with`"):
            await client.fetch(server.url("/a"))
