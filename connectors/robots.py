"""robots.txt rules per origin, cached, with RFC 9309 outcomes for missing or unreachable files.

Input: an origin and a loader that fetches its robots.txt; output: `RobotsRules` answering `allows(url)`.
The loader lives with the HTTP client, so robots.txt goes through the same caps, pacing and guard.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

from connectors.base import FetchResult
from connectors.fetch_errors import (
    BlockedAddressError,
    ConnectFailedError,
    FetchError,
    HttpStatusError,
    RateLimitedError,
    TlsError,
    TooManyRedirectsError,
)
from connectors.pacing import Clock

ROBOTS_AGENT = "portalhub"
# RFC 9309 2.5: parse at least the first 500 KiB; the rest may be ignored.
ROBOTS_MAX_BYTES = 500 * 1024
# An unreachable robots.txt disallows everything "for now": ask again soon, not after a full cache period.
UNREACHABLE_RETRY_SECONDS = 60.0
# Crawl-delay is honoured up to this many seconds; a larger value would stall the source.
MAX_CRAWL_DELAY = 60.0


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one robots.txt allows. `unreachable` holds why the file could not be read (then nothing is
    allowed); `parser` is None when the file is missing (then everything is)."""

    parser: RobotFileParser | None = None
    unreachable: str | None = None

    @classmethod
    def from_text(cls, text: str) -> RobotsRules:
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        return cls(parser=parser)

    @classmethod
    def allow_all(cls) -> RobotsRules:
        return cls()

    @classmethod
    def disallow_all(cls, reason: str) -> RobotsRules:
        return cls(unreachable=reason)

    def allows(self, url: str) -> bool:
        if self.unreachable is not None:
            return False
        return self.parser is None or self.parser.can_fetch(ROBOTS_AGENT, url)

    def crawl_delay(self) -> float | None:
        """The Crawl-delay for portalhub (or `*`), capped at `MAX_CRAWL_DELAY`; None when absent."""
        delay = self.parser.crawl_delay(ROBOTS_AGENT) if self.parser is not None else None
        return None if delay is None else min(float(delay), MAX_CRAWL_DELAY)


Loader = Callable[[str, bool], Awaitable[RobotsRules]]  # (robots.txt URL, guarded) -> rules


async def load_robots(robots_url: str, fetch: Callable[[str], Awaitable[FetchResult]]) -> RobotsRules:
    """Fetch and read one robots.txt. RFC 9309: 4xx (or endless redirects) = no rules;
    5xx or unreachable = disallow all for now."""
    try:
        result = await fetch(robots_url)
    except (BlockedAddressError, ConnectFailedError, RateLimitedError, TlsError):
        # Not an answer about robots.txt but about the host, and the page would fail the same way:
        # report that, and cache nothing so the next fetch asks again.
        raise
    except TooManyRedirectsError:
        return RobotsRules.allow_all()
    except HttpStatusError as exc:
        if exc.status < 500:
            return RobotsRules.allow_all()
        return RobotsRules.disallow_all(f"HTTP {exc.status}")
    except FetchError as exc:
        return RobotsRules.disallow_all(f"{exc.code}: {exc}")
    return RobotsRules.from_text(result.body.decode("utf-8", errors="replace"))


@dataclass(slots=True)
class _Entry:
    rules: RobotsRules
    expires: float


class RobotsCache:
    """Rules per origin, loaded at most once per cache period even when many fetches ask at once."""

    def __init__(self, load: Loader, ttl: float, *, clock: Clock = time.monotonic) -> None:
        self._load = load
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, origin: str, *, guarded: bool = False) -> RobotsRules:
        """The rules of `origin` ("https://host:port"), from the cache or loaded now.

        `guarded`: the robots.txt request goes through the address guard, like the page asking for it.
        """
        async with self._locks.setdefault(origin, asyncio.Lock()):
            entry = self._entries.get(origin)
            if entry is None or entry.expires <= self._clock():
                rules = await self._load(origin + "/robots.txt", guarded)
                entry = _Entry(rules, self._clock() + self._ttl_for(rules))
                self._entries[origin] = entry
            return entry.rules

    def _ttl_for(self, rules: RobotsRules) -> float:
        return min(self._ttl, UNREACHABLE_RETRY_SECONDS) if rules.unreachable else self._ttl
