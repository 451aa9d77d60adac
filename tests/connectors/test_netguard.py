"""The address guard: discovered URLs may not reach private, loopback, link-local or reserved addresses."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import replace

import pytest

from connectors import netguard
from connectors.fetch import FetchPolicy, PoliteClient
from connectors.fetch_errors import FetchError
from connectors.netguard import blocked_addresses, is_blocked_ip, parse_ip
from tests.support.http import Reply, serve

PAGE = "<p>Sở Thông tin và Truyền thông Đà Nẵng thông báo lịch tiếp công dân</p>".encode()

BLOCKED = [
    "0.0.0.0",
    "10.0.0.1",
    "100.64.0.1",  # carrier-grade NAT
    "127.0.0.1",
    "169.254.169.254",  # cloud metadata
    "172.16.5.4",
    "192.168.1.1",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2002:a00:1::",  # 6to4 around 10.0.0.1
    "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
    "fc00::1",
    "fe80::1",
    "ff02::1",
]
PUBLIC = [
    "8.8.8.8",
    "14.225.0.1",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "2002:808:808::",
    "64:ff9b::808:808",
]


@pytest.mark.parametrize("address", BLOCKED)
def test_non_public_address_is_blocked(address: str) -> None:
    assert is_blocked_ip(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_address_is_allowed(address: str) -> None:
    assert not is_blocked_ip(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("host", "expected"),
    [("10.0.0.1", "10.0.0.1"), ("[::1]", "::1"), ("fe80::1%eth0", "fe80::1"), ("danang.gov.vn", None)],
)
def test_literal_ip_hosts_are_recognised(host: str, expected: str | None) -> None:
    parsed = parse_ip(host)
    assert (str(parsed) if parsed else None) == expected


async def test_name_resolving_to_loopback_is_blocked() -> None:
    assert "127.0.0.1" in await blocked_addresses("localhost", 80)


async def test_discovered_loopback_url_is_refused_unless_trusted(fast_policy: FetchPolicy) -> None:
    with serve({"/lich": Reply(PAGE)}) as server:
        async with PoliteClient(fast_policy) as client:
            with pytest.raises(FetchError) as caught:
                await client.fetch(server.url("/lich"), discovered=True)
            own = await client.fetch(server.url("/lich"))
        async with PoliteClient(replace(fast_policy, trusted_hosts=frozenset({"127.0.0.1"}))) as client:
            trusted = await client.fetch(server.url("/lich"), discovered=True)
    assert caught.value.code == "fetch.blocked_address"
    assert str(caught.value) == "127.0.0.1 is a non-public address; refused for a discovered URL"
    assert (own.body, trusted.body) == (PAGE, PAGE)
    assert server.hits("/lich") == 2  # the refused fetch never reached the server, not even robots.txt


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/admin",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://[fe80::1]/",
        "http://[::ffff:10.0.0.1]/",
        "https://localhost/",
    ],
)
async def test_discovered_private_addresses_are_refused_before_connecting(
    fast_policy: FetchPolicy, url: str
) -> None:
    async with PoliteClient(fast_policy) as client:
        with pytest.raises(FetchError) as caught:
            await client.fetch(url, discovered=True)
    assert (caught.value.code, caught.value.url) == ("fetch.blocked_address", url)


async def test_redirect_from_a_source_to_another_private_host_is_refused(fast_policy: FetchPolicy) -> None:
    with serve() as server:
        port = server.base_url.rsplit(":", 1)[1]
        server.routes["/di"] = Reply(b"", 302, {"Location": f"http://localhost:{port}/noi-bo"})
        async with PoliteClient(fast_policy) as client:
            with pytest.raises(FetchError) as caught:
                await client.fetch(server.url("/di"))
    assert caught.value.code == "fetch.blocked_address"
    assert server.hits("/noi-bo") == 0


async def test_name_that_rebinds_to_loopback_is_refused_after_connecting(
    fast_policy: FetchPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def public_answer(host: str, port: int) -> list[netguard.IPAddress]:
        return [ipaddress.ip_address("14.225.0.1")]

    # The guard's lookup says "public", the connection's own lookup then lands on 127.0.0.1: DNS rebinding.
    monkeypatch.setattr(netguard, "resolve", public_answer)
    with serve({"/lich": Reply(PAGE)}) as server:
        url = server.url("/lich").replace("127.0.0.1", "localhost")
        async with PoliteClient(fast_policy) as client:
            with pytest.raises(FetchError) as caught:
                await client.fetch(url, discovered=True)
    assert caught.value.code == "fetch.blocked_address"
    assert "connected to non-public address 127.0.0.1" in str(caught.value)
    assert server.hits("/lich") == 0


async def test_unresolvable_discovered_host_is_a_connect_error(
    fast_policy: FetchPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_answer(host: str, port: int) -> list[netguard.IPAddress]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(netguard, "resolve", no_answer)
    async with PoliteClient(fast_policy) as client:
        with pytest.raises(FetchError) as caught:
            await client.fetch("https://khong-ton-tai.gov.vn/tin", discovered=True)
    assert caught.value.code == "fetch.connect"
    assert str(caught.value) == "cannot resolve khong-ton-tai.gov.vn: [Errno -2] Name or service not known"
