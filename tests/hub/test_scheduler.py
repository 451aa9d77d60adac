"""The scheduler tick: claim due sources (never one twice across processes), harvest, reschedule, release."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from hub.models import Harvest, Payload, Source
from hub.scheduler import Scheduler, lease_owner, run_tick
from hub.settings import Settings
from hub.storage.harvests import list_harvests
from hub.worker import run_worker
from tests.conftest import rss_feed
from tests.support.http import LocalServer, Reply, serve

SOURCES = [f"so-{name}" for name in ("congthuong", "giaoduc", "nongnghiep", "taichinh", "tuphap", "yte")]


@pytest.fixture
def portal() -> Iterator[LocalServer]:
    with serve() as portal:
        for source_id in SOURCES:
            portal.routes[f"/{source_id}.rss"] = Reply(
                rss_feed(portal.base_url), headers={"Content-Type": "application/rss+xml"}
            )
        yield portal


def _add_due(add_source: Callable[..., Source], portal: LocalServer, *ids: str, **values: object) -> None:
    for source_id in ids:
        add_source(
            source_id, url=portal.url(f"/{source_id}.rss"), next_harvest_at=datetime.now(UTC), **values
        )


def _wait_for(condition: Callable[[], bool]) -> None:
    """Poll until `condition` holds; the deadline only keeps a broken scheduler from hanging the suite."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the scheduler never got there"
        time.sleep(0.01)


def _sources(session: Session) -> dict[str, Source]:
    session.rollback()  # a new transaction sees what the ticks committed
    return {source.id: source for source in session.exec(select(Source)).scalars()}


def test_two_concurrent_ticks_harvest_each_due_source_once(
    settings: Settings,
    engine: Engine,
    session: Session,
    add_source: Callable[..., Source],
    portal: LocalServer,
) -> None:
    _add_due(add_source, portal, *SOURCES)
    settings = settings.model_copy(update={"scheduler_batch": 4})
    started = datetime.now(UTC)
    outcomes: dict[str, list[str]] = {}

    def scheduler_process(name: str) -> None:
        outcomes[name] = [o.source_id for o in run_tick(settings, engine, owner=lease_owner(name))]

    threads = [threading.Thread(target=scheduler_process, args=(name,)) for name in ("hub-a", "hub-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    harvested = sorted(outcomes["hub-a"] + outcomes["hub-b"])
    per_source = dict(
        session.execute(select(Harvest.source_id, func.count()).group_by(Harvest.source_id)).all()
    )
    sources = _sources(session)
    assert harvested == SOURCES
    assert per_source == dict.fromkeys(SOURCES, 1)
    assert {h.trigger for h in list_harvests(session=session, limit=100)} == {"schedule"}
    assert all(source.next_harvest_at >= started + timedelta(seconds=900) for source in sources.values())
    assert {(source.lease_owner, source.lease_until) for source in sources.values()} == {(None, None)}


def test_a_tick_leaves_sources_not_due_or_disabled_alone(
    settings: Settings,
    engine: Engine,
    session: Session,
    add_source: Callable[..., Source],
    portal: LocalServer,
) -> None:
    later = datetime.now(UTC) + timedelta(minutes=10)
    _add_due(add_source, portal, "so-yte")
    _add_due(add_source, portal, "so-tuphap", enabled=False)
    add_source("so-giaoduc", url=portal.url("/so-giaoduc.rss"), next_harvest_at=later)

    outcomes = run_tick(settings, engine, owner=lease_owner("hub-a"))
    again = run_tick(settings, engine, owner=lease_owner("hub-a"))

    assert [outcome.source_id for outcome in outcomes] == ["so-yte"]
    assert again == []
    assert _sources(session)["so-giaoduc"].next_harvest_at == later


def test_a_rate_limited_source_waits_for_its_retry_after(
    settings: Settings,
    engine: Engine,
    session: Session,
    add_source: Callable[..., Source],
    portal: LocalServer,
) -> None:
    portal.routes["/so-yte.rss"] = Reply(b"Too Many Requests", status=429, headers={"Retry-After": "7200"})
    _add_due(add_source, portal, "so-yte")
    started = datetime.now(UTC)

    [outcome] = run_tick(settings, engine, owner=lease_owner("hub-a"))

    source = _sources(session)["so-yte"]
    assert (outcome.status, outcome.error_code) == ("failed", "fetch.rate_limited")
    assert source.consecutive_failures == 1
    assert source.next_harvest_at >= started + timedelta(seconds=7200)
    assert source.lease_owner is None


def test_scheduler_ticks_in_the_background_until_shut_down(
    settings: Settings,
    engine: Engine,
    session: Session,
    add_source: Callable[..., Source],
    portal: LocalServer,
) -> None:
    _add_due(add_source, portal, "so-yte", "so-tuphap")
    scheduler = Scheduler(settings.model_copy(update={"scheduler_tick_seconds": 3600}), engine)

    scheduler.start()  # the first tick runs at once
    assert scheduler.running
    _wait_for(lambda: portal.hits("/so-yte.rss") + portal.hits("/so-tuphap.rss") == 2)
    scheduler.shutdown(wait=True)  # waits for the running tick to finish and release

    assert not scheduler.running
    assert sorted(h.source_id for h in list_harvests(session=session)) == ["so-tuphap", "so-yte"]


def test_worker_harvests_until_stopped_then_releases_its_leases(
    settings: Settings,
    engine: Engine,
    session: Session,
    add_source: Callable[..., Source],
    portal: LocalServer,
) -> None:
    _add_due(add_source, portal, "so-yte")
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(settings, engine), kwargs={"stop": stop})

    worker.start()
    _wait_for(lambda: portal.hits("/so-yte.rss") == 1)  # the first tick is under way
    stop.set()
    worker.join()

    source = _sources(session)["so-yte"]
    assert [h.status for h in list_harvests(session=session)] == ["success"]
    assert (source.last_status, source.lease_owner) == ("success", None)


def test_retention_sweep_prunes_raw_payloads_older_than_the_setting(
    engine: Engine, settings: Settings
) -> None:
    from hub.scheduler import prune_raw_payloads
    from hub.storage.payloads import keep_payload

    now = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
    with Session(engine) as session:
        keep_payload(
            "https://mae.gov.vn/rss",
            "text/xml",
            b"<rss>cu</rss>",
            session=session,
            now=now - timedelta(days=45),
        )
        keep_payload(
            "https://mae.gov.vn/rss",
            "text/xml",
            b"<rss>moi</rss>",
            session=session,
            now=now - timedelta(days=2),
        )
        session.commit()

    deleted = prune_raw_payloads(settings.model_copy(update={"raw_retention_days": 30}), engine, now=now)

    with Session(engine) as session:
        remaining = session.execute(select(func.count()).select_from(Payload)).scalar()
    assert (deleted, remaining) == (1, 1)
