"""Per-host pacing: a concurrency limit, a minimum gap between request starts, and Retry-After.

A host is an origin (scheme, host, port). `HostGate.slot()` is held for a whole exchange;
`parse_retry_after` turns a Retry-After header into seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class HostGate:
    """Pacing state of one origin: at most `concurrency` exchanges at once, starts `delay` seconds apart,
    and nothing before `not_before` once the host has asked us to wait."""

    def __init__(
        self,
        concurrency: int,
        delay: float,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._slots = asyncio.Semaphore(max(1, concurrency))
        self.delay = delay
        self._clock = clock
        self._sleep = sleep
        self._next_start = float("-inf")
        self.not_before = float("-inf")
        self.back_off_status = 429  # the status that made us back off, repeated to refused callers

    def wait_left(self) -> float:
        """Seconds until the host's Retry-After has passed (0 when it has)."""
        return max(0.0, self.not_before - self._clock())

    def back_off(self, seconds: float, status: int) -> None:
        """Remember that the host wants no request for `seconds`; a later, longer wait wins."""
        self.not_before = max(self.not_before, self._clock() + seconds)
        self.back_off_status = status

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the host's slots, starting no sooner than `delay` after the previous start."""
        async with self._slots:
            await self._sleep(self._reserve_start())
            yield

    def _reserve_start(self) -> float:
        # Reserve the start time before sleeping, so concurrent waiters line up one `delay` apart
        # instead of all waking at the same instant.
        now = self._clock()
        start = max(now, self._next_start + self.delay)
        self._next_start = start
        return start - now


def parse_retry_after(value: str | None, *, default: float, cap: float, now: datetime | None = None) -> float:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP date), within [0, cap].

    A missing or unreadable value gives `default` (also capped).
    """
    seconds = _retry_after_seconds(value.strip(), now or datetime.now(UTC)) if value else None
    return min(cap, max(0.0, default if seconds is None else seconds))


def _retry_after_seconds(value: str, now: datetime) -> float | None:
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; a zone-less one is read the same way
        when = when.replace(tzinfo=UTC)
    return (when - now).total_seconds()
