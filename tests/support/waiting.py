"""Waiting, in a test's event loop, for what another task or thread is about to do."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

WAIT = 30.0  # seconds; a loaded machine still gets there well within it


async def until(condition: Callable[[], bool]) -> None:
    """Poll `condition` until it holds; a `TimeoutError` after `WAIT` seconds."""
    async with asyncio.timeout(WAIT):
        while not condition():
            await asyncio.sleep(0.005)
