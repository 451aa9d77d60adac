"""Dedupe benchmark: items/s, lookup time per item and peak memory of the story stage's index path at
growing archive sizes, on the SQL-backed index (SQLite by default, PostgreSQL with --database-url).

Run from the repository root: `python bench/dedupe.py [--sizes 100000,1000000] [--measure 2000]`.
The archive is filled in bulk (fingerprints computed by a process pool, rows inserted in large batches);
then, at each size, `--measure` new articles (a fifth of them republications of recent ones) go through
the full path one by one: fingerprint -> exact keys -> band candidates in the window -> best match ->
index rows, committed every 500 items as harvests do.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, event, insert
from sqlmodel import Session

from dedupe import DEFAULT_SETTINGS, Fingerprint, best_match, exact_keys, fingerprint_item
from hub.db import make_engine, upgrade_database
from hub.models import DedupeBand, DedupeKey
from hub.storage.dedupe_index import SqlIndex, key_digest
from tests.eval.generator import _event
from tests.eval.transforms import ORDER, TRANSFORMS, Copy
from tests.eval.vocab import PROVINCES, TEMPLATES

START = datetime(2026, 1, 1, tzinfo=UTC)
PER_DAY = 30_000  # articles a day, nationwide: 1 M items span about a month, the whole window
REPUBLISHED_SHARE = 0.2  # a fifth of articles copy one published in the last few thousand
CACHE_SIZE = 5_000  # fingerprints of recent items kept in memory: bounded by the window's activity
COMMIT_EVERY = 500
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


def fingerprint(a: Article) -> Fingerprint:
    return fingerprint_item(
        title=a.title, body=a.body, url=a.url, source_id=a.source_id, published=a.published
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


def _rows(number: int) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Index rows of one archived article (run in pool workers)."""
    a = article(number)
    fp = fingerprint(a)
    bands = [
        {"band_no": n, "band_hash": h, "item_id": number, "published": a.published}
        for n, h in enumerate(fp.bands)
    ]
    keys = [{"kind": k, "key": key_digest(v), "item_id": number} for k, v in exact_keys(fp)]
    return bands, keys


def fill(engine: Engine, start: int, stop: int) -> float:
    """Archive articles [start, stop) in bulk; items/s."""
    began = time.perf_counter()
    with Pool(2) as pool:
        for chunk in _chunks(range(start, stop), 5000):
            bands: list[dict[str, object]] = []
            keys: list[dict[str, object]] = []
            for b, k in pool.imap(_rows, chunk, chunksize=250):
                bands += b
                keys += k
            with engine.begin() as connection:
                connection.execute(insert(DedupeBand.__table__), bands)  # type: ignore[attr-defined]
                connection.execute(insert(DedupeKey.__table__), keys)  # type: ignore[attr-defined]
    return (stop - start) / (time.perf_counter() - began)


@dataclass
class Measured:
    items_per_s: float
    cpu_ms: float  # this process's CPU time per item: the rest of the wall time is waiting on the disk
    lookup_ms: float
    matched_copies: int
    copies: int
    wrong: int


def measure(engine: Engine, start: int, count: int, cache: OrderedDict[int, Fingerprint]) -> Measured:
    """The full path for articles [start, start + count), one by one."""
    window = timedelta(days=DEFAULT_SETTINGS.article_window_days)
    lookup = 0.0
    found = copies = wrong = 0
    began, cpu = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        index = SqlIndex(session, window=window)
        for number in range(start, start + count):
            a = article(number)
            fp = fingerprint(a)
            t0 = time.perf_counter()
            ids = index.find_keys(exact_keys(fp)) | index.candidates(fp.bands, a.published)
            lookup += time.perf_counter() - t0
            match = best_match(fp, {i: _cached(i, cache) for i in ids})
            copies += a.copy_of is not None
            if match is not None:
                truth = article(match[0])
                same = {a.copy_of, a.number} & {truth.copy_of, truth.number} - {None}
                found += bool(same)
                wrong += not same
            index.add_keys(number, exact_keys(fp))
            index.add(number, fp.bands, a.published)
            _remember(cache, number, fp)
            if number % COMMIT_EVERY == 0:
                session.commit()
        session.commit()
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    return Measured(count / elapsed, 1000 * cpu / count, 1000 * lookup / count, found, copies, wrong)


def _cached(number: int, cache: OrderedDict[int, Fingerprint]) -> Fingerprint:
    if number not in cache:
        _remember(cache, number, fingerprint(article(number)))
    cache.move_to_end(number)
    return cache[number]


def _remember(cache: OrderedDict[int, Fingerprint], number: int, fp: Fingerprint) -> None:
    cache[number] = fp
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


def _chunks(values: range, size: int) -> Iterator[range]:
    for first in range(values.start, values.stop, size):
        yield range(first, min(first + size, values.stop))


def _engine(url: str | None, folder: Path) -> Engine:
    url = url or f"sqlite:///{folder / 'dedupe-bench.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        # A page cache in proportion to the band index (the hub's default is SQLite's 2 MB).
        event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA cache_size=-524288"))
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000", help="archive sizes to measure at")
    parser.add_argument("--measure", type=int, default=2000, help="articles through the full path per size")
    parser.add_argument(
        "--database-url", default=None, help="an empty database; default: a temporary SQLite file"
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    with tempfile.TemporaryDirectory() as folder:
        engine = _engine(args.database_url, Path(folder))
        cache: OrderedDict[int, Fingerprint] = OrderedDict()
        archived = 0
        print(f"{engine.dialect.name}; window {DEFAULT_SETTINGS.article_window_days} days, {PER_DAY}/day")
        for size in sizes:
            rate = fill(engine, archived, size)
            m = measure(engine, size, args.measure, cache)
            archived = size + args.measure
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"archive {size:>9,}: bulk fill {rate:,.0f}/s | full path {m.items_per_s:,.0f} items/s"
                f" ({m.cpu_ms:.2f} ms CPU/item),"
                f" lookup {m.lookup_ms:.2f} ms/item | copies found {m.matched_copies}/{m.copies},"
                f" wrong merges {m.wrong} | peak RSS {peak:,.0f} MB",
                flush=True,
            )
        engine.dispose()


if __name__ == "__main__":
    main()
