"""The scheduler: every hub process ticks "claim due sources, harvest them, release" on one interval job.

The database is the schedule (STYLE 30): sources are claimed with a lease, so any number of processes
on any number of machines may tick; a dead process's leases run out and its sources are claimed again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from hub.db import make_engine, session_scope
from hub.harvest import HarvestOutcome, harvest_sources
from hub.models import HarvestTrigger, Source
from hub.schedule import next_harvest_at
from hub.settings import Settings
from hub.storage.leases import postpone, renew_leases
from hub.storage.payloads import prune_payloads
from hub.storage.sources import claim_due_sources, release

logger = logging.getLogger(__name__)

TICK_JOB_ID = "tick"
PRUNE_JOB_ID = "prune-raw-payloads"
PRUNE_INTERVAL = timedelta(hours=1)  # retention is counted in days: an hourly sweep is plenty
FALLBACK_INTERVAL = timedelta(hours=1)  # a stored source without schedule still recurs (as the pipeline does)


def lease_owner(role: str) -> str:
    """Who holds a lease: machine, process and a random part (a restarted process is a new owner)."""
    return f"{socket.gethostname()}:{os.getpid()}:{role}:{uuid.uuid4().hex[:8]}"


async def tick(settings: Settings, engine: Engine, *, owner: str) -> list[HarvestOutcome]:
    """One round of scheduled harvesting:

    1. claim up to `scheduler_batch` due sources with a lease of `lease_seconds`;
    2. harvest them (`trigger="schedule"`) while renewing the leases every third of their length;
       the pipeline records each source's health and next harvest time (schedule, failures, Retry-After);
    3. if the harvest crashed, give the sources it never finished a backed-off next harvest time;
    4. release the leases.
    """
    claimed = _claim(settings, engine, owner)
    if not claimed:
        return []
    ids = [source.id for source in claimed]
    outcomes: list[HarvestOutcome] = []
    renewer = asyncio.create_task(_keep_leases(ids, owner, settings, engine))
    try:
        await harvest_sources(
            ids,
            settings=settings,
            engine=engine,
            trigger=HarvestTrigger.SCHEDULE,
            on_progress=outcomes.append,
        )
    except Exception:  # a tick never kills the scheduler; the sources it missed are backed off below
        logger.exception("scheduled harvest failed", extra={"stage": "schedule"})
        finished = {outcome.source_id for outcome in outcomes}
        _postpone([source for source in claimed if source.id not in finished], owner, engine)
    finally:
        renewer.cancel()
        with suppress(asyncio.CancelledError):
            await renewer
        _release(ids, owner, engine)
    return outcomes


def run_tick(settings: Settings, engine: Engine, *, owner: str) -> list[HarvestOutcome]:
    """`tick` from a plain thread (APScheduler's pool): an event loop of its own per tick."""
    return asyncio.run(tick(settings, engine, owner=owner))


class Scheduler:
    """One APScheduler interval job, "tick"; at most one tick at a time per process."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings.database_url)
        self.owner = lease_owner("scheduler")
        self._scheduler = BackgroundScheduler(timezone=UTC)

    def start(self) -> None:
        """Tick at once, then every `scheduler_tick_seconds`; a tick still running skips the next one."""
        self._scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=self.settings.scheduler_tick_seconds, timezone=UTC),
            id=TICK_JOB_ID,
            next_run_time=datetime.now(UTC),
            max_instances=1,
            coalesce=True,
        )
        self._scheduler.add_job(
            self._prune,
            IntervalTrigger(seconds=PRUNE_INTERVAL.total_seconds(), timezone=UTC),
            id=PRUNE_JOB_ID,
        )
        self._scheduler.start()
        logger.info("scheduler started", extra={"stage": "schedule"})

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop ticking; with `wait`, the running tick finishes and releases its leases first."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=wait)
        logger.info("scheduler stopped", extra={"stage": "schedule"})

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def _tick(self) -> None:
        try:
            run_tick(self.settings, self.engine, owner=self.owner)
        except Exception:  # the database may be down for a while: log, and try again next tick
            logger.exception("scheduler tick failed", extra={"stage": "schedule"})

    def _prune(self) -> None:
        try:
            prune_raw_payloads(self.settings, self.engine, now=datetime.now(UTC))
        except Exception:  # retention can wait for the next sweep; harvesting must not stop for it
            logger.exception("pruning raw payloads failed", extra={"stage": "retention"})


def prune_raw_payloads(settings: Settings, engine: Engine, *, now: datetime) -> int:
    """Delete raw payloads older than `raw_retention_days` that nothing refers to any more."""
    with session_scope(engine) as session:
        deleted = prune_payloads(now - timedelta(days=settings.raw_retention_days), session=session)
    logger.info("pruned %d raw payloads", deleted, extra={"stage": "retention"})
    return deleted


def _claim(settings: Settings, engine: Engine, owner: str) -> list[Source]:
    with session_scope(engine) as session:
        return claim_due_sources(
            settings.scheduler_batch, settings.lease_seconds, owner, datetime.now(UTC), session=session
        )


async def _keep_leases(ids: list[str], owner: str, settings: Settings, engine: Engine) -> None:
    """Harvests longer than a lease keep their sources (a queue of claimed sources waits its turn too)."""
    while True:
        await asyncio.sleep(settings.lease_seconds / 3)
        await asyncio.to_thread(_renew, ids, owner, settings.lease_seconds, engine)


def _renew(ids: list[str], owner: str, lease_seconds: int, engine: Engine) -> None:
    with session_scope(engine) as session:
        renew_leases(ids, owner, lease_seconds, datetime.now(UTC), session=session)


def _postpone(sources: list[Source], owner: str, engine: Engine) -> None:
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        for source in sources:
            every = (
                timedelta(seconds=source.schedule_every_seconds) if source.schedule_every_seconds else None
            )
            due = next_harvest_at(
                now=now,
                every=every if every or source.schedule_cron else FALLBACK_INTERVAL,
                cron=source.schedule_cron,
                consecutive_failures=source.consecutive_failures + 1,
            )
            postpone(source.id, owner, due, session=session)


def _release(ids: list[str], owner: str, engine: Engine) -> None:
    with session_scope(engine) as session:
        for source_id in ids:
            release(source_id, owner, session=session)
