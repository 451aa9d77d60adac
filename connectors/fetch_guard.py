"""Checks every hop must pass (scheme, URL shape, address guard) and the mapping of transport failures.

Input: a URL, a streaming response or an exception; output: a parsed URL, nothing, or a `FetchError`.
"""

from __future__ import annotations

import ssl

import httpx

from connectors.fetch_errors import (
    BadSchemeError,
    BadUrlError,
    BlockedAddressError,
    ConnectFailedError,
    FetchError,
    FetchTimeoutError,
    NetworkError,
    TlsError,
)
from connectors.fetch_policy import FetchPolicy
from connectors.netguard import blocked_addresses, is_blocked_ip, parse_ip

DEFAULT_PORTS = {"http": 80, "https": 443}
# What was being waited for, and which policy limit ran out.
_TIMEOUT_WHAT = {
    httpx.ConnectTimeout: ("connecting", "connect_timeout"),
    httpx.PoolTimeout: ("waiting for a free connection", "total_timeout"),
    httpx.ReadTimeout: ("waiting for data", "read_timeout"),
    httpx.WriteTimeout: ("sending the request", "total_timeout"),
}


class AddressGuard:
    """Refuses non-public addresses for guarded hops, except on trusted (configured source) hosts."""

    def __init__(self, trusted_hosts: frozenset[str]) -> None:
        self._trusted = frozenset(host.lower().strip("[]") for host in trusted_hosts)

    def trusts(self, target: httpx.URL) -> bool:
        return target.host.lower() in self._trusted or _ascii_host(target) in self._trusted

    async def check(self, target: httpx.URL, port: int) -> None:
        if self.trusts(target):
            return
        host = _ascii_host(target)
        try:
            blocked = await blocked_addresses(host, port)
        except OSError as exc:  # socket.gaierror: the name does not resolve
            raise ConnectFailedError(f"cannot resolve {host}: {exc}", url=str(target)) from exc
        if blocked:
            where = "is" if parse_ip(host) is not None else f"resolves to {', '.join(blocked)}:"
            message = f"{host} {where} a non-public address; refused for a discovered URL"
            raise BlockedAddressError(message, url=str(target))


def peer_is_blocked(response: httpx.Response) -> None:
    """Raise when the connection behind `response` reached a non-public address."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    ip = parse_ip(str(peer[0])) if peer else None
    if ip is not None and is_blocked_ip(ip):
        message = f"{response.url.host} connected to non-public address {ip}; refused for a discovered URL"
        raise BlockedAddressError(message, url=str(response.url))


def transport_error(exc: Exception, url: str, policy: FetchPolicy) -> FetchError:
    """The fetch error for an httpx transport failure or the total timeout (a builtin `TimeoutError`)."""
    if isinstance(exc, httpx.TimeoutException):
        what, limit = _TIMEOUT_WHAT.get(type(exc), ("the server", "total_timeout"))
        return FetchTimeoutError(f"timed out {what} ({getattr(policy, limit)}s): {url}", url=url)
    if isinstance(exc, TimeoutError):
        return FetchTimeoutError(f"no complete answer within {policy.total_timeout}s: {url}", url=url)
    if _caused_by_tls(exc):
        return TlsError(f"TLS failed for {url}: {exc}", url=url)
    if isinstance(exc, httpx.ConnectError):
        return ConnectFailedError(f"cannot connect for {url}: {exc}", url=url)
    return NetworkError(f"connection failed during {url}: {type(exc).__name__}: {exc}", url=url)


def parse_target(url: str) -> httpx.URL:
    """The URL as httpx reads it, refused unless it is http(s) with a host."""
    try:
        target = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise BadUrlError(f"invalid URL: {exc}", url=url) from exc
    if target.scheme not in DEFAULT_PORTS:
        raise BadSchemeError(f"scheme {target.scheme!r} is not http or https", url=url)
    if not target.host:
        raise BadUrlError("URL has no host", url=url)
    return target


def port_of(target: httpx.URL) -> int:
    return target.port or DEFAULT_PORTS[target.scheme]


def origin_of(target: httpx.URL) -> str:
    """scheme://host[:port], the unit of robots.txt and of pacing (httpx drops default ports)."""
    return f"{target.scheme}://{target.netloc.decode('ascii')}"


def _caused_by_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _ascii_host(target: httpx.URL) -> str:
    return target.raw_host.decode("ascii").strip("[]")
