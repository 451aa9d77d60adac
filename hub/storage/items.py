"""Items of a source: store a harvested batch (new / changed / unchanged) with version history; look-ups.

Input: normalised `hub.items.Item`s of one source. Writes: Core bulk statements, never one ORM object
per row; an edited item keeps its superseded state as an `ItemVersion` row.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, literal, or_, select
from sqlmodel import Session, col
from sqlmodel import select as sqlmodel_select

from dedupe.text import match_key
from hub.db import insert_for
from hub.items import Item
from hub.models import ItemVersion, StoredItem, table_of

LOOKUP_CHUNK = 1000  # identities per IN (...) list: far below SQLite's and PostgreSQL's parameter limits
_ITEM_ONLY = ("fetched_at",)  # Item fields that are not columns
# What a superseded state keeps: item_version column <- stored_item column.
_VERSION_COLUMNS = {
    "item_id": "id",
    "version": "version",
    "content_hash": "content_hash",
    "title": "title",
    "summary": "summary",
    "body_html": "body_html",
    "published": "published",
    "updated": "updated",
    "harvest_id": "harvest_id",
    "recorded_at": "last_changed_at",
}


@dataclass(frozen=True, slots=True)
class StoreCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


class _Known(NamedTuple):
    id: int
    content_hash: str
    entry_digest: str


@dataclass(slots=True)
class _Plan:
    """What to write for a batch: rows to insert, (id, item) to version, (id, digest) to refresh."""

    new: list[Item] = field(default_factory=list)
    changed: list[tuple[int, Item]] = field(default_factory=list)
    stale_digests: list[tuple[int, str]] = field(default_factory=list)


def store_items(
    items: Sequence[Item], *, session: Session, harvest_id: int, source_id: str, now: datetime
) -> StoreCounts:
    """Insert new items, version changed ones, leave unchanged ones untouched (an identity counts once)."""
    batch = _first_per_identity(items)
    plan = _plan(batch, _known(source_id, list(batch), session=session))
    _insert_new(plan.new, session=session, harvest_id=harvest_id, source_id=source_id, now=now)
    _version_changed(plan.changed, session=session, harvest_id=harvest_id, now=now)
    _refresh_digests(plan.stale_digests, session=session)
    new, updated = len(plan.new), len(plan.changed)
    return StoreCounts(new=new, updated=updated, unchanged=len(batch) - new - updated)


def is_entry_unchanged(
    source_id: str,
    hint: str,
    entry_digest: str,
    *,
    session: Session | None = None,
    known: Container[tuple[str, str]] | None = None,
) -> bool:
    """True when this source already holds an item with this guid or URL and this exact entry digest.

    `known` (from `entry_digests`) answers without a query: one read per harvest, not one per entry.
    """
    if not entry_digest:
        return False
    if known is not None:
        return (hint, entry_digest) in known
    if session is None:
        raise TypeError("is_entry_unchanged needs a session or the known digests")
    query = (
        select(literal(1))
        .where(col(StoredItem.source_id) == source_id, col(StoredItem.entry_digest) == entry_digest)
        .where(or_(col(StoredItem.guid) == hint, col(StoredItem.url) == hint))
        .limit(1)
    )
    return session.execute(query).first() is not None


def entry_digests(
    source_id: str, *, session: Session, at_most: int | None = None
) -> set[tuple[str, str]] | None:
    """(guid, digest) and (URL, digest) of every item of the source that has an entry digest; None when
    the source has more than `at_most` such items (nothing more is read)."""
    query = select(col(StoredItem.guid), col(StoredItem.url), col(StoredItem.entry_digest)).where(
        col(StoredItem.source_id) == source_id, col(StoredItem.entry_digest) != ""
    )
    rows = session.execute(query if at_most is None else query.limit(at_most + 1)).all()
    if at_most is not None and len(rows) > at_most:
        return None
    pairs: set[tuple[str, str]] = set()
    for guid, url, digest in rows:
        pairs.add((url, digest))
        if guid is not None:
            pairs.add((guid, digest))
    return pairs


def list_items(*, session: Session, source_id: str | None = None) -> list[StoredItem]:
    query = sqlmodel_select(StoredItem).order_by(col(StoredItem.id))
    if source_id is not None:
        query = query.where(StoredItem.source_id == source_id)
    return list(session.exec(query).all())


def list_versions(item_id: int, *, session: Session) -> list[ItemVersion]:
    """Superseded states of an item, oldest first (the current state is the item itself)."""
    query = (
        sqlmodel_select(ItemVersion).where(ItemVersion.item_id == item_id).order_by(col(ItemVersion.version))
    )
    return list(session.exec(query).all())


def topic_keys(topics: Sequence[str]) -> str:
    """Folded topics between bars, so `LIKE '%|key|%'` matches one whole topic: ["Y tế"] -> "|y te|"."""
    keys = sorted({match_key(topic) for topic in topics} - {""})
    return "".join(f"|{key}" for key in keys) + "|" if keys else ""


def _first_per_identity(items: Sequence[Item]) -> dict[str, Item]:
    # A feed listing one entry twice: keep the first, as the source shows it first.
    batch: dict[str, Item] = {}
    for item in items:
        batch.setdefault(item.identity, item)
    return batch


def _known(source_id: str, identities: list[str], *, session: Session) -> dict[str, _Known]:
    found: dict[str, _Known] = {}
    for chunk in _chunks(identities, LOOKUP_CHUNK):
        query = select(
            col(StoredItem.identity),
            col(StoredItem.id),
            col(StoredItem.content_hash),
            col(StoredItem.entry_digest),
        ).where(col(StoredItem.source_id) == source_id, col(StoredItem.identity).in_(chunk))
        for identity, item_id, content_hash, digest in session.execute(query):
            found[identity] = _Known(item_id, content_hash, digest)
    return found


def _plan(batch: dict[str, Item], known: dict[str, _Known]) -> _Plan:
    plan = _Plan()
    for identity, item in batch.items():
        row = known.get(identity)
        if row is None:
            plan.new.append(item)
        elif row.content_hash != item.content_hash:
            plan.changed.append((row.id, item))
        elif row.entry_digest != item.entry_digest:
            plan.stale_digests.append((row.id, item.entry_digest))
    return plan


def _insert_new(
    items: list[Item], *, session: Session, harvest_id: int, source_id: str, now: datetime
) -> None:
    if not items:
        return
    rows = [
        {
            **_content(item),
            "source_id": source_id,
            "first_seen_at": now,
            "last_changed_at": now,
            "version": 1,
            "harvest_id": harvest_id,
        }
        for item in items
    ]
    # Idempotent by (source, identity): a row another process inserted meanwhile is left as it is.
    statement = insert_for(session)(table_of(StoredItem)).on_conflict_do_nothing(
        index_elements=["source_id", "identity"]
    )
    session.execute(statement, rows)


def _version_changed(
    changed: list[tuple[int, Item]], *, session: Session, harvest_id: int, now: datetime
) -> None:
    if not changed:
        return
    table = table_of(StoredItem)
    ids = [item_id for item_id, _item in changed]
    # 1. Keep the state being replaced, in one INSERT ... SELECT.
    superseded = select(*(table.c[column] for column in _VERSION_COLUMNS.values())).where(table.c.id.in_(ids))
    session.execute(insert(ItemVersion).from_select(list(_VERSION_COLUMNS), superseded))
    # 2. Overwrite the row with the new state; the version is bumped by the statement itself.
    update = table.update().where(table.c.id == bindparam("changed_id")).values(version=table.c.version + 1)
    rows = [
        {**_content(item), "changed_id": item_id, "last_changed_at": now, "harvest_id": harvest_id}
        for item_id, item in changed
    ]
    session.execute(update, rows)


def _refresh_digests(stale: list[tuple[int, str]], *, session: Session) -> None:
    # Same content, re-serialised entry: keep the digest current so connectors can skip it next time.
    if not stale:
        return
    table = table_of(StoredItem)
    update = table.update().where(table.c.id == bindparam("stale_id"))
    session.execute(update, [{"stale_id": item_id, "entry_digest": digest} for item_id, digest in stale])


def _content(item: Item) -> dict[str, Any]:
    # Plain attribute reads, not `asdict`: its deep copies of lists and dicts were a tenth of a cold harvest.
    values = {name: getattr(item, name) for name in _COLUMN_FIELDS}
    values["identity_rule"] = str(item.identity_rule)
    values["published_precision"] = str(item.published_precision)
    values["search_text"] = match_key(f"{item.title} {item.summary}")
    values["topic_keys"] = topic_keys(item.topics)
    return values


_COLUMN_FIELDS = tuple(f.name for f in fields(Item) if f.name not in _ITEM_ONLY)


def _chunks(values: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
