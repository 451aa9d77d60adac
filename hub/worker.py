"""A process that only harvests: the scheduler runs until SIGINT/SIGTERM, then stops gracefully.

Graceful: the tick under way finishes its harvests and releases its leases before the process exits;
a second signal falls back to the default handler (an impatient operator can still kill it).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from sqlalchemy import Engine

from hub.scheduler import Scheduler
from hub.settings import Settings

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def run_worker(settings: Settings, engine: Engine, *, stop: threading.Event | None = None) -> None:
    """Tick until `stop` is set (by a signal when run in the main thread), then shut down."""
    stop = stop or threading.Event()
    scheduler = Scheduler(settings, engine)
    with stop_on_signals(stop):
        scheduler.start()
        try:
            stop.wait()
        finally:
            logger.info("worker stopping: waiting for the running tick", extra={"stage": "schedule"})
            scheduler.shutdown(wait=True)


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT/SIGTERM set `stop`; only the main thread may install handlers, elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, _frame: FrameType | None) -> None:
        logger.info("worker got %s", signal.Signals(signum).name, extra={"stage": "schedule"})
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        stop.set()

    previous = {number: signal.signal(number, handle) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
