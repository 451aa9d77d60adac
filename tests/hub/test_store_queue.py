"""The store queue: harvests that finish during a store wait and go in together; a failed batch is
stored again harvest by harvest, so that only the faulty one fails."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from hub.pipeline.store_queue import StoreQueue
from tests.support.waiting import WAIT, until


class Store:
    """A blocking store (it runs in a worker thread) that records its batches and may hold the first
    one until the test has queued the others; a job named with "lỗi" makes its batch fail."""

    def __init__(self, *, hold_first: bool = False) -> None:
        self.batches: list[list[str]] = []
        self.release = threading.Event()
        if not hold_first:
            self.release.set()

    def __call__(self, jobs: Sequence[str]) -> list[str]:
        self.batches.append(list(jobs))
        if len(self.batches) == 1 and not self.release.wait(WAIT):
            raise TimeoutError("the test never released the first batch")
        if any("lỗi" in job for job in jobs):
            raise ValueError(f"ghi bị từ chối: {', '.join(jobs)}")
        return [f"đã lưu {job}" for job in jobs]


def queue_of(store: Store, max_weight: int = 100) -> StoreQueue[str, str]:
    return StoreQueue(store, weight=len, max_weight=max_weight)


async def storing_first(queue: StoreQueue[str, str], store: Store, job: str) -> asyncio.Task[str]:
    """`job` stored, and its store under way (held): what comes next waits."""
    task = asyncio.create_task(queue.store(job))
    await until(lambda: bool(store.batches))
    return task


async def behind_a_held_store(
    store: Store, queue: StoreQueue[str, str], later: Sequence[str]
) -> list[object]:
    """ "moit" stored and held; `later` sent meanwhile, all waiting; then the store let go: every
    outcome, in that order (an error as itself)."""
    first = await storing_first(queue, store, "moit")
    tasks = [asyncio.create_task(queue.store(name)) for name in later]
    await until(lambda: queue.waiting == len(later))
    store.release.set()
    return list(await asyncio.gather(first, *tasks, return_exceptions=True))


async def test_a_harvest_alone_is_stored_at_once_by_itself() -> None:
    store = Store()
    result = await queue_of(store).store("Cổng TTĐT Bộ Công Thương")
    assert (result, store.batches) == ("đã lưu Cổng TTĐT Bộ Công Thương", [["Cổng TTĐT Bộ Công Thương"]])


async def test_harvests_finishing_during_a_store_wait_and_go_in_together_in_their_order() -> None:
    store = Store(hold_first=True)
    queue = queue_of(store)
    results = await behind_a_held_store(store, queue, ["hanoi", "danang", "khanhhoa"])
    assert store.batches == [["moit"], ["hanoi", "danang", "khanhhoa"]]
    assert results == ["đã lưu moit", "đã lưu hanoi", "đã lưu danang", "đã lưu khanhhoa"]
    assert queue.waiting == 0


async def test_a_batch_stops_at_its_weight_but_a_heavy_harvest_goes_in_alone() -> None:
    store = Store(hold_first=True)
    # weights (characters): 6 + 4 fit in 10; 13 goes alone, beyond the cap; then 6
    await behind_a_held_store(
        store, queue_of(store, max_weight=10), ["danang", "hue.", "thanhphohanoi", "laocai"]
    )
    assert store.batches == [["moit"], ["danang", "hue."], ["thanhphohanoi"], ["laocai"]]


async def test_a_failed_batch_is_stored_again_one_by_one_and_only_the_faulty_harvest_fails() -> None:
    store = Store(hold_first=True)
    outcomes = await behind_a_held_store(store, queue_of(store), ["hanoi", "lỗi-danang", "khanhhoa"])
    assert store.batches == [
        ["moit"],
        ["hanoi", "lỗi-danang", "khanhhoa"],
        ["hanoi"],
        ["lỗi-danang"],
        ["khanhhoa"],
    ]
    assert outcomes[:2] == ["đã lưu moit", "đã lưu hanoi"]
    assert isinstance(outcomes[2], ValueError)
    assert str(outcomes[2]) == "ghi bị từ chối: lỗi-danang"
    assert outcomes[3] == "đã lưu khanhhoa"


async def test_a_harvest_that_stops_waiting_does_not_hold_up_the_others() -> None:
    store = Store(hold_first=True)
    queue = queue_of(store)
    first = await storing_first(queue, store, "moit")
    gone = asyncio.create_task(queue.store("hanoi"))
    kept = asyncio.create_task(queue.store("danang"))
    await until(lambda: queue.waiting == 2)
    gone.cancel()
    store.release.set()
    assert list(await asyncio.gather(first, kept)) == ["đã lưu moit", "đã lưu danang"]
    with pytest.raises(asyncio.CancelledError):
        await gone
    # Stored all the same: the harvest's rows are written even when nobody waits for the outcome.
    assert store.batches == [["moit"], ["hanoi", "danang"]]


async def test_the_queue_serves_again_after_it_ran_dry() -> None:
    store = Store()
    queue = queue_of(store)
    assert await queue.store("moit") == "đã lưu moit"
    assert await queue.store("hanoi") == "đã lưu hanoi"
    assert store.batches == [["moit"], ["hanoi"]]
