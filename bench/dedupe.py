"""Dedupe benchmark: the story stage (`hub.pipeline.stories.assign_stories`) at growing archive sizes, on
the SQL-backed index (SQLite by default, PostgreSQL with --database-url): items/s, lookup time per item,
peak memory, and whether each copy found its original.

Run from the repository root: `python bench/dedupe.py [--sizes 100000,1000000] [--measure 2000]`.
The archive is filled in bulk (items, one story each, their index rows; fingerprints computed by a
process pool, rows inserted in large batches), so the measuring process starts with no fingerprint
cached. Then, at each size, twice `--measure` new articles (a fifth of them republications of recent ones)
are stored as harvests of 50 items and go through the real story stage; the stage is timed up to its
commit and with it (a harvest runs both in one transaction; here the items are committed first, so that
the commit timed is the index rows' and stories', not the items'). The first `--measure` meet an empty
fingerprint cache (a worker that just started), the next ones a warm one (a worker that has run).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps
from multiprocessing import Pool, Process
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert, select, text
from sqlmodel import Session, col

from dedupe import DEFAULT_SETTINGS
from dedupe.bandmap import BandMap
from hub.db import make_engine, session_scope, upgrade_database
from hub.items import DatePrecision, IdentityRule, Item
from hub.models import (
    DedupeBand,
    DedupeKey,
    DedupeSketch,
    HarvestTrigger,
    Source,
    StoredItem,
    Story,
    StoryMember,
)
from hub.pipeline.fingerprint_pool import FingerprintPool
from hub.pipeline.fingerprints import FingerprintCache, index_entry, item_fingerprint
from hub.pipeline.stories import assign_stories
from hub.settings import Settings
from hub.startup import freeze_imports
from hub.storage.dedupe_index import SqlIndex, index_rows
from hub.storage.dedupe_sql import INDEX_COLUMNS, insert_index_rows
from hub.storage.dedupe_window import drop_windows, window_of
from hub.storage.harvests import open_harvest
from hub.storage.items import store_items
from tests.eval.generator import _event
from tests.eval.transforms import ORDER, TRANSFORMS, Copy
from tests.eval.vocab import PROVINCES, TEMPLATES

START = datetime(2026, 1, 1, tzinfo=UTC)
# Articles a day, nationwide. 30,000 (the default) is the densest case: 1 M articles span about a month,
# so the window in memory holds the whole archive; `--per-day 5000` spreads 1 M over 200 days.
PER_DAY = 30_000
REPUBLISHED_SHARE = 0.2  # a fifth of articles copy one published in the last few thousand
HARVEST_SIZE = 50  # items per harvest: one feed page
# Measured harvests come from the archive's own provincial portals, round robin: each source then holds
# its share of the archive (some 40,000 items at 1 M), as a hub's sources do, and a stage whose cost grew
# with its source's items shows here.
MEASURED_SOURCES = tuple(host.split(".")[0] for _, host in PROVINCES)
FILL_BATCH = 5000  # archived items per insert transaction
_WORDS = sorted(
    {w.strip(".,;:()") for _, ps in TEMPLATES.values() for alts in ps for s in alts for w in s.split()}
)


@dataclass(frozen=True, slots=True)
class Article:
    number: int
    title: str
    body: str
    url: str
    source_id: str
    published: datetime
    copy_of: int | None  # the article number it republishes


def article(number: int) -> Article:
    """Article `number`, the same on every call: an original, or a republication of a recent original."""
    rng = random.Random(number * 7919 + 17)
    origin = _original_before(number, rng) if rng.random() < REPUBLISHED_SHARE else None
    title, paragraphs, host = _text(origin if origin is not None else number)
    if origin is not None:
        name, host = rng.choice(PROVINCES)
        copy = Copy(title, paragraphs, "Bộ NN&MT", "mae.gov.vn", f"tỉnh {name}")
        for transform in (t for t in ORDER if rng.random() < 0.45):
            copy = TRANSFORMS[transform](rng, copy)
        title, paragraphs = copy.title, copy.paragraphs
    published = _published(origin if origin is not None else number) + timedelta(hours=rng.randint(0, 30))
    url = f"https://{host}/tin-tuc/bai-{number}.html"
    return Article(number, title, "\n".join(paragraphs), url, host.split(".")[0], published, origin)


def item_of(a: Article, source_id: str | None = None) -> Item:
    """The article as the normaliser would hand it over."""
    return Item(
        source_id=source_id or a.source_id,
        content_type="article",
        identity=a.url,
        identity_rule=IdentityRule.URL,
        url=a.url,
        guid=None,
        title=a.title,
        summary="",
        body_html="",
        body_text=a.body,
        published=a.published,
        published_precision=DatePrecision.DATETIME,
        updated=None,
        author=None,
        topics=[],
        image_url=None,
        content_hash=f"bench-{a.number}",
        fetched_at=a.published,
        entry_digest=f"bench-{a.number}",
    )


def _original_before(number: int, rng: random.Random) -> int | None:
    for _ in range(8):
        candidate = number - rng.randint(1, 3000)
        if candidate >= 0 and random.Random(candidate * 7919 + 17).random() >= REPUBLISHED_SHARE:
            return candidate
    return None


def _text(number: int) -> tuple[str, tuple[str, ...], str]:
    """A template event (government-news phrasing) plus paragraphs of its own, so events differ."""
    rng = random.Random(number)
    event = _event(rng, sorted(TEMPLATES)[number % len(TEMPLATES)], _published(number))
    title, sentences = TEMPLATES[event.template]
    lead = tuple(alts[i].format(**event.fields) for alts, i in zip(sentences, event.choices, strict=True))
    # Real articles share phrasing, not most of their text: one template paragraph (with the event's facts),
    # the rest the article's own words.
    own = tuple(" ".join(rng.choices(_WORDS, k=40)).capitalize() + "." for _ in range(4))
    return f"{title.format(**event.fields)} ({number})", lead[:1] + own, event.origin_host


def _published(number: int) -> datetime:
    return START + timedelta(seconds=number * 86_400 / PER_DAY)


def _archived(number: int) -> dict[str, list[Any]]:
    """Rows of one archived article, alone in its story (run in pool workers); item id = number + 1."""
    a = article(number)
    item_id = number + 1
    item = _Row(_item_row(a, item_id))
    index = index_rows([index_entry(item, item_fingerprint(item, DEFAULT_SETTINGS))])
    return {
        "stored_item": [item.__dict__],
        "story": [
            {
                "id": item_id,
                "content_type": "article",
                "canonical_item_id": item_id,
                "elected_by": "earliest",
                "created_at": a.published,
                "updated_at": a.published,
            }
        ],
        "story_member": [
            {
                "item_id": item_id,
                "story_id": item_id,
                "rule": "first",
                "score": 0.0,
                "containment": 0.0,
                "reason": "",
                "joined_at": a.published,
            }
        ],
        **{model.__tablename__: rows for model, rows in index.items()},  # type: ignore[attr-defined]
    }


class _Row:
    """Attribute access to a row dict, for `item_fingerprint`."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _item_row(a: Article, item_id: int) -> dict[str, Any]:
    return {
        "id": item_id,
        "source_id": a.source_id,
        "identity": a.url,
        "identity_rule": "url",
        "content_type": "article",
        "url": a.url,
        "guid": None,
        "title": a.title,
        "summary": "",
        "body_html": "",
        "body_text": a.body,
        "published": a.published,
        "published_precision": "datetime",
        "first_seen_at": a.published,
        "last_changed_at": a.published,
        "topics": [],
        "content_hash": f"bench-{a.number}",
        "flags": [],
        "extra": {},
        "version": 1,
        "entry_digest": f"bench-{a.number}",
        "search_text": "",
        "topic_keys": "",
        "story_id": item_id,
        "is_canonical": True,
    }


TABLES = {
    "stored_item": StoredItem,
    "story": Story,
    "story_member": StoryMember,
    "dedupe_band": DedupeBand,
    "dedupe_key": DedupeKey,
    "dedupe_sketch": DedupeSketch,
}


def fill(url: str, start: int, stop: int) -> float:
    """Archive articles [start, stop) in bulk, in a child process (so this process's memory is the
    stage's alone); items/s."""
    began = time.perf_counter()
    child = Process(target=_fill, args=(url, start, stop))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"filling the archive failed (exit code {child.exitcode})")
    return (stop - start) / (time.perf_counter() - began)


def _fill(url: str, start: int, stop: int) -> None:
    """The pool fingerprints the next batch while this process inserts the last one."""
    engine = make_engine(url)
    batches = [range(first, min(first + FILL_BATCH, stop)) for first in range(start, stop, FILL_BATCH)]
    with Pool(2) as pool:
        pending = pool.map_async(_archived, batches[0], chunksize=250) if batches else None
        for following in [*batches[1:], None]:
            archived = pending.get() if pending else []
            pending = pool.map_async(_archived, following, chunksize=250) if following else None
            _insert(engine, {name: [row for rows in archived for row in rows[name]] for name in TABLES})
    if engine.dialect.name == "postgresql":  # explicit ids do not move the sequences
        with engine.begin() as connection:
            for table in ("stored_item", "story"):
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}")
                )
    engine.dispose()


def _insert(engine: Engine, rows: dict[str, list[Any]]) -> None:
    _add_sources(engine, {str(row["source_id"]) for row in rows["stored_item"]})
    with engine.begin() as connection:
        for name, model in TABLES.items():
            if model in INDEX_COLUMNS:  # tuples, as the story stage writes them
                insert_index_rows(connection, model, rows[name])
            else:
                connection.execute(insert(model.__table__), rows[name])  # type: ignore[attr-defined]


@dataclass
class Measured:
    items_per_s: float  # through the story stage, up to its commit (storing the items is not timed)
    cpu_ms: float  # this process's CPU time per item in the stage
    committed_per_s: float  # the same with the stage's commit
    committed_cpu_ms: float
    lookup_ms: float  # of which the index lookups (exact keys and bands)
    exact_keys_ms: float  # of which the exact keys (a database lookup)
    band_map_ms: float  # of which the window's band map (the rest: bringing it up to date, late originals)
    matched_copies: int
    copies: int
    wrong: int


class LookupClock:
    """Time spent in the index's batch lookups and in two of their parts, by wrapping them for the run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        for owner, name in ((SqlIndex, "candidates_of"), (SqlIndex, "find_keys_of"), (BandMap, "lookup")):
            setattr(owner, name, self._timed(name, getattr(owner, name)))

    def ms_per_item(self, count: int, *names: str) -> float:
        return 1000 * sum(self.seconds.get(name, 0.0) for name in names) / count

    def _timed(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - began

        return timed


def measure(
    engine: Engine,
    start: int,
    count: int,
    clock: LookupClock,
    pool: FingerprintPool,
    *,
    together: int,
    cache: FingerprintCache,
) -> Measured:
    """Articles [start, start + count) stored as harvests and put in stories by the real stage, run on
    `together` harvests (of as many sources) at a time, as the hub's store queue runs it on those that
    waited behind a store.

    With a pool, each stage's items go to its worker as the stage before them runs, as a hub harvesting
    several sources hands them over while it stores another; the time the stage then waits for them,
    and the copying to and from the worker, are timed with the stage.
    """
    _add_sources(engine, set(MEASURED_SOURCES))
    ids: dict[int, int] = {}
    stage = cpu = committed = committed_cpu = 0.0
    clock.seconds.clear()
    firsts = range(start, start + count, HARVEST_SIZE)
    harvests = [range(first, min(first + HARVEST_SIZE, start + count)) for first in firsts]
    stages = [harvests[first : first + together] for first in range(0, len(harvests), together)]
    upcoming = [_harvest_items(numbers) for numbers in stages[0]]  # per harvest of the next stage
    pending = pool.submit([item for items in upcoming for item in items], DEFAULT_SETTINGS)
    for numbers, following in zip(stages, [*stages[1:], []], strict=True):
        stored: dict[int, str] = {}
        for harvest_numbers, items in zip(numbers, upcoming, strict=True):
            source_id = _measured_source(harvest_numbers[0] // HARVEST_SIZE)
            with session_scope(engine) as session:
                harvest = open_harvest(source_id, session=session, trigger=HarvestTrigger.CLI, now=START)
                store_items(
                    items, session=session, harvest_id=harvest.id or 0, source_id=source_id, now=START
                )
            stored[harvest.id or 0] = source_id
        upcoming = [_harvest_items(numbers) for numbers in following]
        # The stage in a transaction of its own, so that its commit (writing the pages its index rows
        # dirtied) is timed with it and the items' own rows are not.
        with session_scope(engine) as session:
            # The hub runs the stage in the harvest's session, whose connection is long checked out.
            session.connection()
            began, cpu_began = time.perf_counter(), time.process_time()
            ahead = pending.result()
            pending = pool.submit([item for items in upcoming for item in items], DEFAULT_SETTINGS)
            assign_stories(stored, session=session, ahead=ahead, cache=cache)
            session.flush()
            stage_done, stage_cpu = time.perf_counter(), time.process_time()
        stage += stage_done - began
        cpu += stage_cpu - cpu_began
        committed += time.perf_counter() - began
        committed_cpu += time.process_time() - cpu_began
        with Session(engine) as session:
            query = select(StoredItem.url, StoredItem.id).where(col(StoredItem.harvest_id).in_(stored))
            ids |= {_number(url): item_id for url, item_id in session.execute(query)}
    found, copies, wrong = _verdicts(engine, range(start, start + count), ids)
    return Measured(
        count / stage,
        1000 * cpu / count,
        count / committed,
        1000 * committed_cpu / count,
        clock.ms_per_item(count, "candidates_of", "find_keys_of"),
        clock.ms_per_item(count, "find_keys_of"),
        clock.ms_per_item(count, "lookup"),
        found,
        copies,
        wrong,
    )


def _verdicts(engine: Engine, numbers: range, ids: dict[int, int]) -> tuple[int, int, int]:
    """(copies that joined a story of their original, copies, items that joined a wrong story)."""
    numbers_of = {item_id: number for number, item_id in ids.items()}
    found = copies = wrong = 0
    with Session(engine) as session:
        for number in numbers:
            a = article(number)
            copies += a.copy_of is not None
            member = session.get(StoryMember, ids[number])
            if member is None or member.matched_item_id is None:
                continue
            matched = numbers_of.get(member.matched_item_id, member.matched_item_id - 1)
            truth = article(matched)
            same = {a.copy_of, a.number} & {truth.copy_of, truth.number} - {None}
            found += bool(same)
            wrong += not same
    return found, copies, wrong


def _number(url: str) -> int:
    return int(url.rsplit("-", 1)[1].removesuffix(".html"))


def _harvest_items(numbers: range) -> list[Item]:
    """The items of one measured harvest (one source's feed page)."""
    source_id = _measured_source(numbers[0] // HARVEST_SIZE) if numbers else ""
    return [item_of(article(n), source_id) for n in numbers]


def _measured_source(n: int) -> str:
    return MEASURED_SOURCES[n % len(MEASURED_SOURCES)]


def _add_sources(engine: Engine, source_ids: set[str]) -> None:
    with Session(engine) as session:
        known = set(session.execute(select(Source.id)).scalars())
        for source_id in sorted(source_ids - known):
            session.add(
                Source(
                    id=source_id,
                    name=f"Cổng TTĐT {source_id}",
                    agency=f"Cơ quan {source_id}",
                    level="province",
                    kind="feed",
                    content_type="article",
                    url=f"https://{source_id}.gov.vn/rss",
                    created_at=START,
                    updated_at=START,
                )
            )
        session.commit()


def _engine(url: str) -> Engine:
    upgrade_database(url)
    return make_engine(url)


def load_window(engine: Engine, newest: datetime) -> None:
    """What a worker does on its first harvest: load the window's article bands into memory; timed."""
    drop_windows()  # as a worker that just started
    began, cpu_began = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        window = timedelta(days=DEFAULT_SETTINGS.article_window_days)
        SqlIndex(session, window=window).candidates((0,) * DEFAULT_SETTINGS.bands, newest)
        held = window_of(session.connection()).bands
        session.commit()
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  window load: {len(held):,} articles, {held.pairs:,} band pairs ({held.nbytes / 2**20:,.0f} MiB)"
        f" in {wall:.1f} s"
        f" ({cpu:.1f} s CPU) | peak RSS {peak:,.0f} MB",
        flush=True,
    )


def _settle(engine: Engine) -> None:
    """PostgreSQL: what autovacuum does for a hub that grew harvest by harvest, which a bulk fill outruns:
    planner statistics (else the band lookup plans for the archive's earlier size, ~100 ms a query at
    1 M) and the visibility map (else no index-only scan). SQLite's hub never runs ANALYZE: nothing."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for name in TABLES:
            connection.execute(text(f"VACUUM ANALYZE {name}"))


def _report(phase: str, m: Measured) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  {phase:>25}: stage {m.items_per_s:,.0f} items/s ({m.cpu_ms:.2f} ms CPU/item),"
        f" with its commit {m.committed_per_s:,.0f} items/s ({m.committed_cpu_ms:.2f} ms CPU/item),"
        f" lookup {m.lookup_ms:.3f} ms/item (exact keys {m.exact_keys_ms:.3f}, band map {m.band_map_ms:.3f})"
        f" | copies found {m.matched_copies}/{m.copies},"
        f" wrong merges {m.wrong} | peak RSS {peak:,.0f} MB",
        flush=True,
    )


def main() -> None:
    global PER_DAY  # read by the fill's pool workers, which fork after it is set
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000", help="archive sizes to measure at")
    parser.add_argument("--measure", type=int, default=2000, help="articles through the story stage per size")
    parser.add_argument(
        "--database-url", default=None, help="an empty database; default: a temporary SQLite file"
    )
    parser.add_argument("--per-day", type=int, default=PER_DAY, help="articles published a day")
    parser.add_argument(
        "--fingerprint-workers",
        type=int,
        default=Settings().fingerprint_workers,
        help="processes fingerprinting harvests ahead of the stage (0: in the stage); default: the hub's",
    )
    parser.add_argument(
        "--together",
        default="1,4",
        help="harvests of 50 whose items one stage takes, as the store queue puts them (one run each)",
    )
    args = parser.parse_args()
    togethers = [int(count) for count in args.together.split(",")]
    freeze_imports()  # as the hub's command line does
    PER_DAY = args.per_day
    sizes = sorted(int(size) for size in args.sizes.split(","))
    clock = LookupClock()
    pool = FingerprintPool(args.fingerprint_workers)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'dedupe-bench.db'}"
        engine = _engine(url)
        archived = 0
        print(
            f"{engine.dialect.name}; window {DEFAULT_SETTINGS.article_window_days} days, {PER_DAY}/day;"
            f" {args.fingerprint_workers} fingerprint worker(s)"
        )
        for size in sizes:
            rate = fill(url, archived, size)
            print(f"archive {size:>9,}: bulk fill {rate:,.0f}/s", flush=True)
            _settle(engine)
            first = size
            for together in togethers:
                load_window(engine, _published(size))
                _warm(pool)
                # First after the fill: no fingerprint of the recent archive is cached (a worker just
                # started); then the next ones, with the first ones cached (a worker that has been
                # running). Each number of harvests together starts so afresh.
                cache = FingerprintCache()
                for phase in ("just started", "running"):
                    measured = measure(
                        engine, first, args.measure, clock, pool, together=together, cache=cache
                    )
                    _report(f"{phase}, {together} together", measured)
                    first += args.measure
            archived = first
            pool.close()  # the fill forks: no pool threads meanwhile
        engine.dispose()


def _warm(pool: FingerprintPool) -> None:
    """Start the pool's workers before anything is timed, as a hub's first harvest does once."""
    pool.submit(_harvest_items(range(HARVEST_SIZE)), DEFAULT_SETTINGS).result()


if __name__ == "__main__":
    main()
