"""A harvest's fingerprints made in a worker process, ahead of its story stage.

Fingerprinting (matching text, folded tokens, shingles, signatures, band keys, and the facts that veto
look-alikes) is a pure function of an item's text and about a third of the story stage's work per item.
A hub harvests several sources at once: the event loop hands one harvest's items to the worker process
and, while they are fingerprinted on another core, runs the other harvests' store and story stage. The
stage takes the fingerprints by the key of their inputs (`input_key`); any it lacks (the pool off,
broken or refusing a batch) it makes itself, so the pool changes where the work runs, never what the
stage decides.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass

from dedupe import DedupeSettings, Fingerprint, ItemText, fingerprint_items
from hub.pipeline.fingerprints import Fingerprinted, text_of

__all__ = ["Ahead", "FingerprintPool", "Pending", "fingerprints_with_facts", "input_key", "shared_pool"]

logger = logging.getLogger(__name__)

InputKey = tuple[object, ...]
Ahead = Mapping[InputKey, Fingerprint]  # fingerprints made ahead, by the key of their inputs


def input_key(text: ItemText) -> InputKey:
    """Everything a fingerprint is made of: equal keys give equal fingerprints (under one settings)."""
    body = text.body if isinstance(text.body, str) else tuple(text.body)
    keys = tuple(sorted(text.keys.items()))
    return (text.title, body, text.url, text.guid, text.source_id, text.published, keys)


def fingerprints_with_facts(texts: Sequence[ItemText], settings: DedupeSettings) -> list[Fingerprint]:
    """What the worker makes: the fingerprints with their facts. The stage reads the facts of every
    pair that looks alike (a copy and its original); extracted here, they come with the fingerprint
    and stay cached with it, for the copies of later harvests too."""
    made = fingerprint_items(texts, settings)
    for fingerprint in made:
        _ = fingerprint.facts
    return made


class FingerprintPool:
    """Worker processes that fingerprint batches of items; started on first use, started afresh after
    a crash. `workers=0` turns it off: every batch then comes back empty at once."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, items: Sequence[Fingerprinted], settings: DedupeSettings) -> Pending:
        """Start fingerprinting `items` in a worker; `Pending.result` gives them."""
        if not self.workers or not items:
            return Pending(self, [], None)
        texts = [text_of(item) for item in items]
        executor = self._started()
        try:
            return Pending(self, texts, executor.submit(fingerprints_with_facts, texts, settings), executor)
        except (BrokenProcessPool, RuntimeError) as exc:  # broken, or shut down meanwhile
            logger.warning("the fingerprint worker is gone (%s); the stage makes its own", exc)
            self.forget(executor)
            return Pending(self, [], None)

    async def fingerprints(self, items: Sequence[Fingerprinted], settings: DedupeSettings) -> Ahead:
        """`submit` and its result, awaited without holding up the event loop."""
        pending = self.submit(items, settings)
        if pending.future is not None:
            with suppress(Exception):  # `result` reports it
                await asyncio.wrap_future(pending.future)
        return pending.result()

    def close(self) -> None:
        if self._executor is not None:
            self.forget(self._executor)

    def forget(self, executor: ProcessPoolExecutor) -> None:
        """Shut `executor` down; the next batch starts another if it was this pool's."""
        executor.shutdown(wait=False, cancel_futures=True)
        if self._executor is executor:
            self._executor = None

    def _started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn: the hub runs threads (the web server, the scheduler, stores in worker threads),
            # and a fork would copy their locks in whatever state they were.
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._executor


@dataclass(frozen=True, slots=True)
class Pending:
    """A batch on its way through a worker."""

    pool: FingerprintPool
    texts: list[ItemText]
    future: Future[list[Fingerprint]] | None
    executor: ProcessPoolExecutor | None = None

    def result(self) -> Ahead:
        """The batch's fingerprints by `input_key` (waiting for them); {} when the worker failed,
        which is logged: the stage then makes them itself."""
        if self.future is None:
            return {}
        try:
            made = self.future.result()
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh next time
            logger.warning("the fingerprint worker died; this harvest's stage makes its own fingerprints")
            if self.executor is not None:
                self.pool.forget(self.executor)
            return {}
        except Exception:
            logger.exception("fingerprinting in the worker failed; the stage makes its own")
            return {}
        return {input_key(text): fingerprint for text, fingerprint in zip(self.texts, made, strict=True)}


_POOLS: dict[int, FingerprintPool] = {}


def shared_pool(workers: int) -> FingerprintPool:
    """This process's pool of `workers` workers, shared by all its harvests."""
    return _POOLS.setdefault(workers, FingerprintPool(workers))
