"""Ingest benchmark: items/s through fetch -> parse -> normalise -> store, cold and with every source at 304.

Run from the repository root: `python bench/ingest.py [--feeds 200] [--entries 50] [--database-url URL]
[--no-stories] [--no-memory]`. Generated portals are served on loopback by a child process, so the CPU
figures are the hub's process alone. Steps and figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any, cast
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import feedparser
from sqlalchemy import Engine, create_engine, func, select, text

from connectors.base import FetchResult, HarvestContext, RawRecord
from connectors.feed.parse import parse_feed
from connectors.registry import get_connector
from hub.db import database_url, make_engine, session_scope, upgrade_database
from hub.demo.scale import FEED_PATH, scaled_portals, serve_scaled_portals
from hub.harvest import harvest_sources
from hub.items import Item
from hub.models import HarvestStatus, HarvestTrigger, ItemVersion, Payload, Source, StoredItem
from hub.pipeline.normalise import normalise_record
from hub.settings import Settings
from hub.sources import load_sources_file
from hub.storage.harvests import open_harvest
from hub.storage.items import store_items
from hub.storage.sources import list_sources, spec_of, sync_sources

COUNTED_TABLES = (ItemVersion, Payload, StoredItem)  # rows a harvest of unchanged sources must not add
STARTUP_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class Run:
    label: str
    items: int
    wall: float
    cpu: float

    def row(self) -> str:
        rate = self.items / self.wall if self.wall else 0.0
        cpu_rate = self.items / self.cpu if self.cpu else 0.0
        cores = self.cpu / self.wall if self.wall else 0.0
        return (
            f"{self.label:<34}{self.items:>8}{self.wall:>9.2f}{self.cpu:>9.2f}"
            f"{cores:>7.2f}{rate:>10.0f}{cpu_rate:>10.0f}"
        )


class ParseCounter(logging.Handler):
    """Counts the feeds and entries the feed connector reports parsed (its "feed parsed" log line)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.feeds = 0
        self.entries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("feed parsed"):
            self.feeds += 1
            self.entries += int(cast(tuple[int, str], record.args)[0])


class StageCounter(logging.Handler):
    """Counts the story stages and the harvests they took (the stage's "stories of ..." log line): the
    store queue stores the harvests that finish while another is being stored together."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.stages = 0
        self.harvests = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("stories of"):
            self.stages += 1
            self.harvests += str(cast(tuple[str, object], record.args)[0]).count("#")


def timed(label: str, items: Callable[[Any], int], work: Callable[[], Any]) -> tuple[Run, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return Run(label, items(result), time.perf_counter() - wall, time.process_time() - cpu), result


def bench_settings(url: str) -> Settings:
    """No pause between requests (every feed is its own host anyway); timeouts long enough that a slow
    stage holding the event loop shows as a low rate, not as failed fetches."""
    return Settings(
        database_url=url, per_host_delay=0.0, connect_timeout=600, read_timeout=600, total_timeout=1200
    )


def without_stories() -> None:
    """Leave the stories stage out: what remains is the issue's fetch -> parse -> normalise -> store path."""
    import hub.pipeline

    assert hasattr(hub.pipeline, "assign_stories"), "the pipeline has no stories stage to leave out"
    hub.pipeline.assign_stories = lambda *_args, **_kwargs: None


def harvest_all(settings: Settings, engine: Engine) -> list[Any]:
    return asyncio.run(harvest_sources(None, settings=settings, engine=engine, trigger="cli"))


def table_rows(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as session:
        return {
            t.__name__: session.execute(select(func.count()).select_from(t)).scalar_one()
            for t in COUNTED_TABLES
        }


def prepared(url: str, sources_file: Path) -> Engine:
    """A migrated database at `url` holding the sources of `sources_file`."""
    upgrade_database(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        sync_sources(load_sources_file(sources_file), session=session, now=_now())
    return engine


def bench_database(label: str, url: str, sources_file: Path, counter: ParseCounter) -> list[Run]:
    """(a) cold harvest and (b) the all-304 harvest into a fresh database at `url`."""
    settings = bench_settings(url)
    engine = prepared(url, sources_file)
    stages = StageCounter()
    logging.getLogger("hub.pipeline.stories").addHandler(stages)
    logging.getLogger("hub.pipeline.stories").setLevel(logging.INFO)
    try:
        cold, outcomes = timed(f"{label}: cold harvest", _new_items, lambda: harvest_all(settings, engine))
        _check(outcomes, {HarvestStatus.SUCCESS})
        if stages.stages:
            print(f"{label} cold: {stages.harvests} harvests stored in {stages.stages} story stages")
        before, counter.feeds, counter.entries = table_rows(engine), 0, 0
        warm, outcomes = timed(f"{label}: all 304", _written, lambda: harvest_all(settings, engine))
        _check(outcomes, {HarvestStatus.NOT_MODIFIED})
        grown = {name: rows - before[name] for name, rows in table_rows(engine).items()}
        print(
            f"{label} all-304: feeds parsed {counter.feeds}, entries parsed {counter.entries}, "
            f"items written {warm.items}, new rows {grown}"
        )
        assert counter.entries == 0, "the 304 harvest parsed entries"
        assert warm.items == 0, "the 304 harvest stored items"
        assert not any(grown.values()), "the 304 harvest added rows"
        return [cold, warm]
    finally:
        logging.getLogger("hub.pipeline.stories").removeHandler(stages)
        engine.dispose()


def bench_parsers(feeds: int, entries: int) -> list[Run]:
    """(c) feedparser with its defaults and (d) the hub's parser, on the bytes the portals serve."""
    bodies = [portal.files[FEED_PATH] for portal in scaled_portals(feeds, entries)]
    url = "https://cong-0000.gov.vn" + FEED_PATH

    def entries_of(parsed: list[Any]) -> int:
        return sum(len(result.entries) for result in parsed)

    def hub_parser(body: bytes) -> Any:
        return parse_feed(body, "application/rss+xml", url)

    parsers: tuple[tuple[str, Callable[[bytes], Any]], ...] = (
        ("feedparser alone (defaults)", feedparser.parse),
        ("hub parser alone (parse_feed)", hub_parser),
    )
    return [timed(label, entries_of, partial(_parse_all, parse, bodies))[0] for label, parse in parsers]


class MemoryFetcher:
    """The connectors' `Fetcher` over one feed's bytes in memory: no HTTP, nothing kept."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    async def fetch(self, url: str, *, conditional: bool = False, discovered: bool = False) -> FetchResult:
        return FetchResult(url, 200, {"content-type": "application/rss+xml; charset=utf-8"}, self.body)


def bench_stages(feeds: int, entries: int, sources_file: Path, directory: Path) -> list[Run]:
    """(f) the feed connector, (g) the normaliser, (h) `store_items`, each alone on the same entries."""
    engine = prepared(f"sqlite:///{directory / 'stages.db'}", sources_file)
    bodies = {f"{portal.id}-tin-tuc": portal.files[FEED_PATH] for portal in scaled_portals(feeds, entries)}
    with session_scope(engine) as session:
        sources = list_sources(session=session)
    now = _now()

    async def connector_records() -> list[tuple[Source, list[RawRecord]]]:
        return [(source, await _records(source, bodies[source.id])) for source in sources]

    def normalised(batches: list[tuple[Source, list[RawRecord]]]) -> list[tuple[Source, list[Item]]]:
        return [
            (source, [normalise_record(record, source_url=source.url, now=now) for record in records])
            for source, records in batches
        ]

    def stored(batches: list[tuple[Source, list[Item]]]) -> int:
        for source, items in batches:
            with session_scope(engine) as session:
                harvest = open_harvest(source.id, session=session, trigger=HarvestTrigger.CLI, now=now)
                store_items(items, session=session, harvest_id=harvest.id or 0, source_id=source.id, now=now)
        return sum(len(items) for _source, items in batches)

    def count(batches: list[tuple[Source, list[Any]]]) -> int:
        return sum(len(values) for _source, values in batches)

    connector, records = timed("feed connector alone", count, lambda: asyncio.run(connector_records()))
    normaliser, items = timed("normaliser alone", count, lambda: normalised(records))
    store, _stored = timed("store_items alone (SQLite)", lambda n: n, lambda: stored(items))
    engine.dispose()
    return [connector, normaliser, store]


def peak_memory(sources_file: Path, directory: Path) -> int:
    """(e) tracemalloc's peak over a cold harvest into another fresh SQLite database, in bytes."""
    url = f"sqlite:///{directory / 'memory.db'}"
    engine = prepared(url, sources_file)
    tracemalloc.start()
    try:
        harvest_all(bench_settings(url), engine)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        engine.dispose()


@contextmanager
def served_portals(feeds: int, entries: int, sources_file: Path) -> Iterator[None]:
    """The scaled portals in a child process (their serving threads stay out of this process's CPU time)."""
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Event(), context.Event()
    child = context.Process(target=_serve, args=(feeds, entries, str(sources_file), ready, stop), daemon=True)
    child.start()
    try:
        if not ready.wait(STARTUP_SECONDS):
            raise RuntimeError("the scaled portals did not start")
        yield
    finally:
        stop.set()
        child.join(10)


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database next to `admin_url`'s, dropped afterwards."""
    name = f"portalhub_bench_{uuid4().hex[:8]}"
    admin = create_engine(database_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield database_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--database-url", help="PostgreSQL server to bench too (a scratch database is made)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--no-stories", action="store_true", help="harvest without the stories stage")
    args = parser.parse_args()
    if args.no_stories:
        without_stories()
    counter = ParseCounter()
    logging.getLogger("connectors.feed.connector").addHandler(counter)
    logging.getLogger("connectors.feed.connector").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        sources_file = directory / "sources.yaml"
        with served_portals(args.feeds, args.entries, sources_file):
            runs = bench_database("sqlite", f"sqlite:///{directory / 'bench.db'}", sources_file, counter)
            if args.database_url:
                with postgres_database(args.database_url) as url:
                    runs += bench_database("postgresql", url, sources_file, counter)
            max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
            peak = None if args.no_memory else peak_memory(sources_file, directory)
            runs += bench_stages(args.feeds, args.entries, sources_file, directory)
    runs += bench_parsers(args.feeds, args.entries)
    _report(args.feeds, args.entries, runs, max_rss, peak)


def _serve(feeds: int, entries: int, sources_file: str, ready: Event, stop: Event) -> None:
    with serve_scaled_portals(feeds, entries) as portals:
        portals.write_sources(sources_file)
        ready.set()
        stop.wait()


def _report(feeds: int, entries: int, runs: list[Run], max_rss: int, peak: int | None) -> None:
    print(f"\n{feeds} feeds x {entries} entries; items = items stored (harvests) or entries parsed (parsers)")
    print(f"{'':<34}{'items':>8}{'wall s':>9}{'cpu s':>9}{'cores':>7}{'items/s':>10}{'/cpu s':>10}")
    for run in runs:
        print(run.row())
    print(f"max RSS after the harvests: {max_rss / 2**20:.0f} MiB")
    if peak is not None:
        print(f"tracemalloc peak over a cold SQLite harvest: {peak / 2**20:.0f} MiB")


def _new_items(outcomes: list[Any]) -> int:
    return sum(outcome.items_new for outcome in outcomes)


def _written(outcomes: list[Any]) -> int:
    return sum(outcome.items_new + outcome.items_updated for outcome in outcomes)


def _check(outcomes: list[Any], expected: set[HarvestStatus]) -> None:
    wrong = [
        (o.source_id, o.status, o.error_code, o.error_message) for o in outcomes if o.status not in expected
    ]
    assert not wrong, f"unexpected harvest outcomes: {wrong[:5]}"


def _parse_all(parse: Callable[[bytes], Any], bodies: list[bytes]) -> list[Any]:
    return [parse(body) for body in bodies]


def _now() -> datetime:
    return datetime.now(UTC)


async def _records(source: Source, body: bytes) -> list[RawRecord]:
    connector = get_connector(source.kind).from_source(spec_of(source), HarvestContext(MemoryFetcher(body)))
    return [record async for record in connector.harvest()]


if __name__ == "__main__":
    main()
