"""Keyset-paged queries of a stream (all, articles, documents, services, one source) with filters.

Order is (published DESC, id DESC): a new item never shifts the rows of pages already read, so a
reader paging with cursors neither skips nor repeats an entry while harvests add items. Streams list
each story once, by its canonical item; a source's own feed lists all its items.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlmodel import Session, col

from dedupe.text import match_key
from hub.models import Source, StoredItem, Story
from hub.storage.stories import republications_of


class CursorError(ValueError):
    """A cursor that this hub did not make (or made by another version)."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in the stream: the (published, id) of an entry, and which way to read from it."""

    published: datetime
    item_id: int
    before: bool  # True: older entries (next page); False: newer entries (previous page)

    def encode(self) -> str:
        raw = f"{'n' if self.before else 'p'}|{self.published.astimezone(UTC).isoformat()}|{self.item_id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            direction, stamp, item_id = raw.split("|")
            published = datetime.fromisoformat(stamp)
            if direction not in ("n", "p") or published.tzinfo is None:
                raise ValueError(direction)
            return cls(published=published, item_id=int(item_id), before=direction == "n")
        except (ValueError, UnicodeDecodeError) as exc:
            raise CursorError(f"cursor {token!r} is not a cursor of this feed") from exc


@dataclass(frozen=True, slots=True)
class FeedFilters:
    content_type: str | None = None  # None: every content type
    source_id: str | None = None
    agency: str | None = None
    level: str | None = None
    topic: str | None = None
    since: datetime | None = None
    q: str | None = None
    limit: int = 50
    cursor: Cursor | None = None


@dataclass(frozen=True, slots=True)
class FeedRows:
    rows: list[tuple[StoredItem, Source]]
    has_older: bool
    has_newer: bool
    # story id -> the other portals' items of that story (republications), earliest first
    republications: dict[int, list[tuple[StoredItem, Source]]] = field(default_factory=dict)


def query_stream(filters: FeedFilters, *, session: Session) -> FeedRows:
    """One page of a stream, newest first, and whether pages exist on either side of it."""
    base = _filtered(filters)
    cursor = filters.cursor
    if cursor is None or cursor.before:
        condition = _older_than(cursor) if cursor else None
        rows = _fetch(base, condition, filters.limit + 1, newest_first=True, session=session)
        page, has_older = rows[: filters.limit], len(rows) > filters.limit
        has_newer = cursor is not None and _exists(
            base, _newer_than(_first_key(page, cursor)), session=session
        )
        return FeedRows(page, has_older, has_newer, _republications(page, session=session))
    rows = _fetch(base, _newer_than(cursor), filters.limit + 1, newest_first=False, session=session)
    page, has_newer = list(reversed(rows[: filters.limit])), len(rows) > filters.limit
    has_older = _exists(base, _older_than(_last_key(page, cursor)), session=session)
    return FeedRows(page, has_older, has_newer, _republications(page, session=session))


def stream_marker(*, session: Session) -> str:
    """Changes whenever anything a feed shows may have changed (an item or a source's name, agency ...)."""
    newest_item, last_change = session.execute(
        select(func.max(StoredItem.id), func.max(StoredItem.last_changed_at))
    ).one()
    last_source_change = session.execute(select(func.max(Source.updated_at))).scalar()
    # A re-elected canonical, a merge or a split changes entries without changing any item.
    last_story_change = session.execute(select(func.max(Story.updated_at))).scalar()
    return f"{newest_item}|{last_change}|{last_source_change}|{last_story_change}"


_Page = Select[StoredItem, Source]


def _filtered(filters: FeedFilters) -> _Page:
    query = select(StoredItem, Source).join(Source, col(Source.id) == col(StoredItem.source_id))
    conditions: list[ColumnElement[bool]] = []
    if not filters.source_id:  # one entry per story; a source's own feed shows its copies too
        conditions.append(col(StoredItem.is_canonical) == true())
    if filters.content_type:
        conditions.append(col(StoredItem.content_type) == filters.content_type)
    if filters.source_id:
        conditions.append(col(StoredItem.source_id) == filters.source_id)
    if filters.agency:
        conditions.append(col(Source.agency) == filters.agency)
    if filters.level:
        conditions.append(col(Source.level) == filters.level)
    if filters.topic:
        conditions.append(col(StoredItem.topic_keys).contains(f"|{match_key(filters.topic)}|"))
    if filters.since:
        conditions.append(col(StoredItem.published) >= filters.since)
    for word in match_key(filters.q or "").split():
        # Whole words of the folded title and summary: "khanh hoa" finds "Khánh Hòa" and "Khánh Hoà".
        conditions.append((" " + col(StoredItem.search_text) + " ").contains(f" {word} "))
    return query.where(and_(*conditions)) if conditions else query


def _fetch(
    base: _Page, condition: ColumnElement[bool] | None, limit: int, *, newest_first: bool, session: Session
) -> list[tuple[StoredItem, Source]]:
    query = base if condition is None else base.where(condition)
    published, item_id = col(StoredItem.published), col(StoredItem.id)
    if newest_first:
        query = query.order_by(published.desc(), item_id.desc())
    else:
        query = query.order_by(published.asc(), item_id.asc())
    return [(item, source) for item, source in session.execute(query.limit(limit)).all()]


def _republications(
    page: list[tuple[StoredItem, Source]], *, session: Session
) -> dict[int, list[tuple[StoredItem, Source]]]:
    return republications_of([item.story_id for item, _source in page if item.story_id], session=session)


def _exists(base: _Page, condition: ColumnElement[bool], *, session: Session) -> bool:
    return session.execute(base.where(condition).limit(1)).first() is not None


def _older_than(cursor: Cursor) -> ColumnElement[bool]:
    published, item_id = col(StoredItem.published), col(StoredItem.id)
    return or_(published < cursor.published, and_(published == cursor.published, item_id < cursor.item_id))


def _newer_than(cursor: Cursor) -> ColumnElement[bool]:
    published, item_id = col(StoredItem.published), col(StoredItem.id)
    return or_(published > cursor.published, and_(published == cursor.published, item_id > cursor.item_id))


def _first_key(page: list[tuple[StoredItem, Source]], fallback: Cursor) -> Cursor:
    if not page:
        return fallback
    item = page[0][0]
    return Cursor(item.published, item.id or 0, before=False)


def _last_key(page: list[tuple[StoredItem, Source]], fallback: Cursor) -> Cursor:
    if not page:
        return fallback
    item = page[-1][0]
    return Cursor(item.published, item.id or 0, before=True)
