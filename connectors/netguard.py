"""Address guard: tells whether a host resolves to an address a discovered URL must not reach.

Input: a host name or literal IP (and port); output: the offending addresses (empty when all are public).
Only URLs found inside fetched content are guarded; a configured source's own host may sit on a LAN.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes that carry an IPv4 address in their last 32 bits and reach it through a translator.
_NAT64_PREFIXES = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)


def parse_ip(host: str) -> IPAddress | None:
    """The address when `host` is a literal IP (brackets and zone allowed), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def is_blocked_ip(ip: IPAddress) -> bool:
    """True for private, loopback, link-local, reserved, multicast, unspecified or otherwise non-global
    addresses. An IPv4-mapped, 6to4 or NAT64 address is judged by the IPv4 address packets end up at."""
    inner = _embedded_ipv4(ip)
    return _is_blocked_plain(inner if inner is not None else ip)


async def blocked_addresses(host: str, port: int) -> tuple[str, ...]:
    """The addresses of `host` that a discovered URL must not reach (resolution runs off the event loop).

    Raises `socket.gaierror` when the name does not resolve.
    """
    literal = parse_ip(host)
    addresses = [literal] if literal is not None else await resolve(host, port)
    return tuple(sorted({str(ip) for ip in addresses if is_blocked_ip(ip)}))


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to; `loop.getaddrinfo` runs in the default executor."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found = (parse_ip(str(info[4][0])) for info in infos)
    return [ip for ip in found if ip is not None]


def _is_blocked_plain(ip: IPAddress) -> bool:
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        # 100.64.0.0/10 (carrier-grade NAT) and similar ranges are neither private nor global.
        or not ip.is_global
    )


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 wrapper delivers to (Teredo is left out: its prefix is blocked anyway)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in prefix for prefix in _NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
