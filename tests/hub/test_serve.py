"""`portalhub serve` and `portalhub worker` as real processes: uvicorn on a free loopback port, the
scheduler harvesting in the same process, and a graceful exit on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlmodel import Session, select

from hub.models import Harvest, Source
from tests.conftest import rss_feed
from tests.support.http import LOOPBACK_TIMEOUT, LocalServer, Reply, serve

STARTED = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")
DEADLINE = 60  # seconds; only keeps a broken command from hanging the suite


@contextmanager
def portalhub(
    tmp_path: Path, database_url: str, *args: str
) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """Run `python -m hub ARGS` from an empty folder (no .env); its stderr lines, collected as they come."""
    env = {
        **os.environ,
        "PORTALHUB_DATABASE_URL": database_url,
        "PORTALHUB_SCHEDULER_TICK_SECONDS": "3600",  # one tick, at start
        "PORTALHUB_PER_HOST_DELAY": "0",
        "PORTALHUB_LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "hub", *args]
    with subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True) as process:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(iter(process.stderr.readline, "")), daemon=True)
        reader.start()
        try:
            yield process, lines
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            reader.join()


def _wait_for(condition: Callable[[], object], lines: list[str]) -> object:
    deadline = time.monotonic() + DEADLINE
    while not (found := condition()):
        assert time.monotonic() < deadline, "".join(lines)
        time.sleep(0.05)
    return found


def _add_due_source(session: Session, portal: LocalServer) -> None:
    now = datetime.now(UTC)
    portal.routes["/rss"] = Reply(rss_feed(portal.base_url), headers={"Content-Type": "application/rss+xml"})
    session.add(
        Source(
            id="moit-tin-tuc",
            name="Bộ Công Thương - Tin tức",
            agency="Bộ Công Thương",
            level="ministry",
            kind="feed",
            content_type="article",
            url=portal.url("/rss"),
            schedule_every_seconds=900,
            created_at=now,
            updated_at=now,
            next_harvest_at=now,
        )
    )
    session.commit()


def _finished_harvest(session: Session) -> Harvest | None:
    session.rollback()  # see the other process's commits
    return session.exec(select(Harvest).where(Harvest.finished_at.is_not(None))).first()


def test_serve_answers_healthz_and_harvests_on_schedule(
    tmp_path: Path, database_url: str, session: Session
) -> None:
    with serve() as portal:
        _add_due_source(session, portal)
        with portalhub(tmp_path, database_url, "serve", "--host", "127.0.0.1", "--port", "0") as (
            process,
            lines,
        ):
            base = _wait_for(
                lambda: next((m[1] for line in lines if (m := STARTED.search(line))), None), lines
            )
            health = httpx.get(f"{base}/healthz", timeout=LOOPBACK_TIMEOUT)
            openapi = httpx.get(f"{base}/openapi.json", timeout=LOOPBACK_TIMEOUT).json()
            harvest = _wait_for(lambda: _finished_harvest(session), lines)
            items = httpx.get(f"{base}/api/v1/items", timeout=LOOPBACK_TIMEOUT).json()["items"]
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=DEADLINE)

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert {"/api/v1/items", "/api/v1/sources", "/api/v1/harvests"} <= set(openapi["paths"])
    assert (harvest.trigger, harvest.status) == ("schedule", "success")
    assert len(items) == 3
    assert code == 0


def test_worker_harvests_and_stops_gracefully_on_sigterm(
    tmp_path: Path, database_url: str, session: Session
) -> None:
    with serve() as portal:
        _add_due_source(session, portal)
        with portalhub(tmp_path, database_url, "worker") as (process, lines):
            harvest = _wait_for(lambda: _finished_harvest(session), lines)
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=DEADLINE)

    session.rollback()
    source = session.get_one(Source, "moit-tin-tuc")
    assert (harvest.trigger, harvest.status, harvest.items_new) == ("schedule", "success", 3)
    assert code == 0
    assert (source.lease_owner, source.last_status) == (None, "success")
