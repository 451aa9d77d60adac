"""Harvests that finish while another is being stored wait, and are then stored together.

Why: storing a harvest ends with the story stage, and about a quarter of a 50-article harvest's stage
does not depend on its size (some 20 statements: the story lock, the reads of its items and candidates,
the bulk writes, the election, the commit; about 9.5 ms at a million archived articles on PostgreSQL).
A hub harvesting many sources at once queues at the stage anyway: its lock lets one harvest in at a
time. Here the harvests queued behind a store go in next, together, through one transaction and one
stage, so the fixed part is paid once for all of them. A harvest alone is stored at once, as before.

A batch is all or nothing, as one harvest is. When a batch of several fails, each of its harvests is
stored again alone, so that one harvest's fault (a refused write) fails that harvest only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["StoreQueue"]

logger = logging.getLogger(__name__)

Job = TypeVar("Job")
Result = TypeVar("Result")


class StoreQueue(Generic[Job, Result]):
    """Runs `store` (blocking: in a worker thread) on the jobs waiting, one batch at a time, in the
    order they came. A batch takes waiting jobs while their `weight` (items) stays within `max_weight`,
    and always at least one: a long transaction holds the story lock, and the feeds, that much longer."""

    def __init__(
        self,
        store: Callable[[Sequence[Job]], list[Result]],
        *,
        weight: Callable[[Job], int],
        max_weight: int,
    ) -> None:
        self._store = store
        self._weight = weight
        self._max_weight = max_weight
        self._waiting: list[tuple[Job, asyncio.Future[Result]]] = []
        self._draining: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        """Jobs waiting for the store under way to end."""
        return len(self._waiting)

    async def store(self, job: Job) -> Result:
        """Store `job`, alone or with the jobs waiting beside it; its result, or the error it raised
        stored alone."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((job, future))
        if self._draining is None:
            self._draining = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        batch: list[tuple[Job, asyncio.Future[Result]]] = []
        try:
            while self._waiting:
                batch = self._next_batch()
                await self._run(batch)
        finally:  # cancelled (the loop shutting down): no harvest waits forever
            for _job, future in [*batch, *self._waiting]:
                future.cancel()
            self._waiting.clear()
            self._draining = None

    def _next_batch(self) -> list[tuple[Job, asyncio.Future[Result]]]:
        taken, weight = 0, 0
        for job, _future in self._waiting:
            weight += self._weight(job)
            if taken and weight > self._max_weight:
                break
            taken += 1
        batch, self._waiting = self._waiting[:taken], self._waiting[taken:]
        return batch

    async def _run(self, batch: list[tuple[Job, asyncio.Future[Result]]]) -> None:
        try:
            results = await asyncio.to_thread(self._store, [job for job, _future in batch])
        except Exception as exc:  # noqa: BLE001  (the harvest's own error: handed to it)
            if len(batch) == 1:
                _settle(batch[0][1], error=exc)
                return
            logger.warning("storing %d harvests together failed (%s); storing each alone", len(batch), exc)
            for one in batch:
                await self._run([one])
            return
        for (_job, future), result in zip(batch, results, strict=True):
            _settle(future, result=result)


def _settle(
    future: asyncio.Future[Result], *, result: Result | None = None, error: Exception | None = None
) -> None:
    """Hand the outcome to the harvest waiting for it, unless it stopped waiting (cancelled)."""
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]
