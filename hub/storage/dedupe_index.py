"""The dedupe index in the database: LSH band rows and exact-key rows, implementing `dedupe.index.Index`.

A lookup is one indexed `(band_no, band_hash)` probe per band, limited to the article window by
`published`, so its cost follows the bucket sizes inside the window, not the archive. Exact keys
(url, guid, content, document, service) are point lookups on `(kind, key)`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    CursorResult,
    Delete,
    Executable,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
)
from sqlmodel import Session

from hub.models import DedupeBand, DedupeKey

__all__ = ["SqlIndex", "key_digest"]


class SqlIndex:
    """`dedupe.index.Index` over `dedupe_band`, plus the exact keys over `dedupe_key`.

    `window` bounds the candidates by publication time around the item looked up (None: no bound, for
    content types whose copies may come years later, such as documents).
    """

    def __init__(self, session: Session, *, window: timedelta | None = None) -> None:
        self.session = session
        self.window = window

    def add(self, item_id: int, bands: Sequence[int], published: datetime | None = None) -> None:
        """Index the item under its bands; adding again replaces the earlier bands."""
        self.remove_bands(item_id)
        if not bands:
            return
        if published is None:
            msg = "the SQL index needs the item's publication time to bound candidates by the window"
            raise ValueError(msg)
        rows = [
            {"band_no": band_no, "band_hash": band_hash, "item_id": item_id, "published": published}
            for band_no, band_hash in enumerate(bands)
        ]
        self._run(insert(_table(DedupeBand)), rows)

    def candidates(self, bands: Sequence[int], around: datetime | None = None) -> set[int]:
        """Items sharing at least one band, published within the window around `around` when given."""
        if not bands:
            return set()
        windowed = around is not None and self.window is not None
        params: dict[str, object] = {f"h{n}": value for n, value in enumerate(bands)}
        if around is not None and self.window is not None:
            params |= {"since": around - self.window, "until": around + self.window}
        return set(self._run(_band_lookup(len(bands), windowed=windowed), params).scalars())

    def remove(self, item_id: int) -> None:
        """Forget the item's bands and keys; unknown ids are fine."""
        self.remove_bands(item_id)
        self._run(_forget(DedupeKey), {"forgotten": item_id})

    def remove_bands(self, item_id: int) -> None:
        self._run(_forget(DedupeBand), {"forgotten": item_id})

    def add_keys(self, item_id: int, keys: Iterable[tuple[str, str]]) -> None:
        """Index the item under its exact keys ((rung, key) pairs); adding again replaces them."""
        self._run(_forget(DedupeKey), {"forgotten": item_id})
        rows = [{"kind": kind, "key": key_digest(key), "item_id": item_id} for kind, key in keys]
        if rows:
            self._run(insert(_table(DedupeKey)), rows)

    def find_keys(self, keys: Iterable[tuple[str, str]]) -> set[int]:
        """Items holding any of the exact keys."""
        wanted = [(kind, key_digest(key)) for kind, key in keys]
        if not wanted:
            return set()
        params: dict[str, str] = {}
        for n, (kind, digest) in enumerate(wanted):
            params[f"k{n}"], params[f"d{n}"] = kind, digest
        return set(self._run(_key_lookup(len(wanted)), params).scalars())

    def _run(self, statement: Executable, params: Any) -> CursorResult[Any]:
        # Core on the session's connection (same transaction): the ORM layer costs more than these
        # index-backed statements themselves.
        return self.session.connection().execute(statement, params)


def key_digest(key: str) -> str:
    """Fixed-size digest of an exact key: URLs and document keys may exceed an index entry's size."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


# Statements are built once per shape and reused with new parameters: building 32 comparisons per lookup
# costs more than the lookup itself. OR of (band_no = n AND band_hash = ?) rather than a row-value IN:
# SQLite plans the OR as one index search per band ("MULTI-INDEX OR") but scans the table for `IN (VALUES)`.
@lru_cache(maxsize=64)
def _band_lookup(bands: int, *, windowed: bool) -> Select[Any]:
    table = _table(DedupeBand)
    per_band = [
        and_(table.c.band_no == n, table.c.band_hash == bindparam(f"h{n}", type_=BigInteger))
        for n in range(bands)
    ]
    query = select(table.c.item_id).where(or_(*per_band))
    if windowed:
        published = table.c.published
        query = query.where(published >= bindparam("since"), published <= bindparam("until"))
    return query


@lru_cache(maxsize=4)
def _forget(model: type) -> Delete:
    table = _table(model)
    return delete(table).where(table.c.item_id == bindparam("forgotten"))


@lru_cache(maxsize=16)
def _key_lookup(keys: int) -> Select[Any]:
    table = _table(DedupeKey)
    wanted = [
        and_(table.c.kind == bindparam(f"k{n}"), table.c.key == bindparam(f"d{n}")) for n in range(keys)
    ]
    return select(table.c.item_id).where(or_(*wanted))


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]
