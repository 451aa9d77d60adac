"""The polite HTTP client every connector fetches through: one shared httpx.AsyncClient.

Input: a URL (and optional validators); output: `FetchResult`, or a `FetchError` with a stable code.
Every hop is checked for scheme, address (discovered URLs) and robots.txt, then paced per host.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self
from urllib.parse import urljoin

import httpx

from connectors.base import FetchResult
from connectors.body import ACCEPT_ENCODING, read_body
from connectors.fetch_errors import (
    BadSchemeError,
    BadUrlError,
    BlockedAddressError,
    ConnectFailedError,
    ContentEncodingError,
    FetchError,
    FetchTimeoutError,
    HttpStatusError,
    NetworkError,
    RateLimitedError,
    RobotsDisallowedError,
    TlsError,
    TooLargeError,
    TooManyRedirectsError,
)
from connectors.fetch_guard import (
    AddressGuard,
    origin_of,
    parse_target,
    peer_is_blocked,
    port_of,
    transport_error,
)
from connectors.fetch_policy import FetchPolicy, Validators, build_user_agent
from connectors.pacing import HostGate, parse_retry_after
from connectors.robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules, load_robots

__all__ = [
    "BadSchemeError",
    "BadUrlError",
    "BlockedAddressError",
    "ConnectFailedError",
    "ContentEncodingError",
    "FetchError",
    "FetchPolicy",
    "FetchTimeoutError",
    "HttpStatusError",
    "NetworkError",
    "PoliteClient",
    "RateLimitedError",
    "RobotsDisallowedError",
    "TlsError",
    "TooLargeError",
    "TooManyRedirectsError",
    "Validators",
    "build_user_agent",
]

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# 429 without Retry-After still means "slow down"; wait this long before asking that host again.
DEFAULT_RETRY_AFTER = 60.0


@dataclass(frozen=True, slots=True)
class _Request:
    headers: Mapping[str, str] = field(default_factory=dict)
    discovered: bool = False
    robots: bool = True  # False only for robots.txt itself
    limit: int = 0
    truncate: bool = False


@dataclass(frozen=True, slots=True)
class _Redirect:
    location: str


class PoliteClient:
    """Async context manager holding the shared httpx client, per-host gates and the robots cache."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._gates: dict[str, HostGate] = {}
        self._robots = RobotsCache(self._load_robots, policy.robots_cache_seconds)
        self._guard = AddressGuard(policy.trusted_hosts)
        self._http: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Self:
        p = self.policy
        self._http = httpx.AsyncClient(
            headers={"User-Agent": p.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(p.total_timeout, connect=p.connect_timeout, read=p.read_timeout),
            follow_redirects=False,  # followed by hand: every hop is re-checked
            trust_env=False,
            proxy=p.proxy,
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def fetch(
        self,
        url: str,
        *,
        conditional: bool = False,
        discovered: bool = False,
        validators: Validators | None = None,
    ) -> FetchResult:
        """GET `url` politely. With `conditional` and `validators`, a 304 gives `not_modified=True`.

        `discovered=True` marks a URL found inside fetched content: refused when its host resolves to a
        non-public address and is not a trusted (configured source) host.
        """
        headers = validators.request_headers() if conditional and validators else {}
        request = _Request(headers, discovered, limit=self.policy.max_body_bytes)
        return await self._follow(url, request)

    async def _follow(self, url: str, request: _Request) -> FetchResult:
        first_host: str | None = None
        for _hop in range(self.policy.max_redirects + 1):
            target = parse_target(url)
            first_host = first_host or target.host
            # A redirect away from the source's own host leads somewhere nobody configured: guard it.
            guarded = request.discovered or target.host != first_host
            await self._admit(target, request, guarded=guarded)
            answer = await self._exchange(target, request, guarded=guarded)
            if isinstance(answer, FetchResult):
                return answer
            url = answer.location
        raise TooManyRedirectsError(
            f"more than {self.policy.max_redirects} redirects, next to {url}", url=url
        )

    async def _admit(self, target: httpx.URL, request: _Request, *, guarded: bool) -> None:
        if guarded:
            await self._guard.check(target, port_of(target))
        if request.robots:
            await self._obey_robots(target, guarded=guarded)

    async def _obey_robots(self, target: httpx.URL, *, guarded: bool) -> None:
        origin = origin_of(target)
        rules = await self._robots.rules_for(origin, guarded=guarded)
        self._gate(origin).delay = max(self.policy.per_host_delay, rules.crawl_delay() or 0.0)
        if rules.allows(str(target)):
            return
        path = target.raw_path.decode("ascii")
        if rules.unreachable is not None:
            message = (
                f"robots.txt of {origin} could not be read ({rules.unreachable}); {path} disallowed for now"
            )
        else:
            message = f"robots.txt of {origin} disallows {path}"
        raise RobotsDisallowedError(message, url=str(target))

    async def _exchange(
        self, target: httpx.URL, request: _Request, *, guarded: bool
    ) -> FetchResult | _Redirect:
        url = str(target)
        gate = self._gate(origin_of(target))
        async with gate.slot():
            _refuse_while_backing_off(gate, url)
            try:
                async with asyncio.timeout(self.policy.total_timeout):
                    return await self._send(target, request, gate, guarded=guarded)
            except TimeoutError as exc:
                raise transport_error(exc, url, self.policy) from exc
            except httpx.TransportError as exc:
                raise transport_error(exc, url, self.policy) from exc

    async def _send(
        self, target: httpx.URL, request: _Request, gate: HostGate, *, guarded: bool
    ) -> FetchResult | _Redirect:
        if self._http is None:
            raise RuntimeError("PoliteClient used outside `async with`")
        logger.debug("fetching %s", target, extra={"url": str(target), "stage": "fetch"})
        async with self._http.stream("GET", target, headers=request.headers) as response:
            # Checked again after connecting: DNS may answer differently now than when we guarded the name.
            if guarded and self.policy.proxy is None and not self._guard.trusts(target):
                peer_is_blocked(response)
            return await self._answer(response, request, gate)

    async def _answer(
        self, response: httpx.Response, request: _Request, gate: HostGate
    ) -> FetchResult | _Redirect:
        url, status = str(response.url), response.status_code
        if status in REDIRECT_STATUSES and "location" in response.headers:
            return _Redirect(urljoin(url, response.headers["location"]))
        if status == 304 and request.headers:  # only conditional headers are ever added
            return FetchResult(url=url, status=304, headers=_headers(response), body=b"", not_modified=True)
        if status == 429 or (status == 503 and "retry-after" in response.headers):
            raise self._rate_limited(response, gate)
        if not 200 <= status < 300:
            raise HttpStatusError(
                f"HTTP {status} {response.reason_phrase} from {url}", url=url, status=status
            )
        body = await read_body(response, request.limit, truncate=request.truncate)
        return FetchResult(url=url, status=status, headers=_headers(response), body=body)

    def _rate_limited(self, response: httpx.Response, gate: HostGate) -> RateLimitedError:
        header = response.headers.get("retry-after")
        seconds = parse_retry_after(header, default=DEFAULT_RETRY_AFTER, cap=self.policy.max_retry_after)
        gate.back_off(seconds, response.status_code)
        url = str(response.url)
        logger.info("host asks to wait %.0fs", seconds, extra={"url": url, "stage": "fetch"})
        message = f"HTTP {response.status_code} from {url}: retry after {seconds:.0f}s"
        return RateLimitedError(message, url=url, status=response.status_code, retry_after=seconds)

    async def _load_robots(self, robots_url: str, guarded: bool) -> RobotsRules:
        limit = min(ROBOTS_MAX_BYTES, self.policy.max_body_bytes)
        request = _Request(discovered=guarded, robots=False, limit=limit, truncate=True)
        return await load_robots(robots_url, lambda url: self._follow(url, request))

    def _gate(self, origin: str) -> HostGate:
        gate = self._gates.get(origin)
        if gate is None:
            gate = HostGate(self.policy.per_host_concurrency, self.policy.per_host_delay)
            self._gates[origin] = gate
        return gate


def _refuse_while_backing_off(gate: HostGate, url: str) -> None:
    wait = gate.wait_left()
    if wait > 0:
        message = f"host asked to wait: {wait:.0f}s left before {url} may be requested"
        raise RateLimitedError(message, url=url, status=gate.back_off_status, retry_after=wait)


def _headers(response: httpx.Response) -> dict[str, str]:
    headers = {name.lower(): value for name, value in response.headers.items()}
    if headers.get("content-encoding", "identity") != "identity":
        # The body handed back is decoded: these described the bytes on the wire, not it.
        headers.pop("content-encoding")
        headers.pop("content-length", None)
    return headers
