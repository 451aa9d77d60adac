"""Stories in the database: members, canonical flags, editor decisions, and what feeds and the API show.

Input: stored item ids and story ids. Output: `Story` / `StoryMember` rows and the `StoredItem.story_id` /
`is_canonical` columns kept in step with them, always in the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from typing import Any, TypeVarTuple

from sqlalchemy import (
    ColumnElement,
    Delete,
    Executable,
    Result,
    Row,
    Select,
    Update,
    bindparam,
    delete,
    false,
    or_,
    select,
    text,
    union,
    update,
)
from sqlmodel import Session, col

from hub.db import is_postgresql
from hub.models import EditorDecision, ElectedBy, Source, StoredItem, Story, StoryMember, table_of
from hub.storage.bulk import bound_values, insert_rows, one_of, update_rows

__all__ = [
    "FINGERPRINT_COLUMNS",
    "Member",
    "add_member",
    "add_members",
    "candidate_rows",
    "contenders_of",
    "decisions_about",
    "elections_of",
    "fingerprint_rows",
    "items_to_assign",
    "lock_stories",
    "members_of",
    "members_of_stories",
    "move_members",
    "record_decision",
    "republications_of",
    "set_canonical_flags",
    "set_elections",
    "set_story_ids",
    "start_stories",
    "start_story",
]

# Only what a fingerprint reads, selected as columns (a migration must not depend on later columns).
FINGERPRINT_COLUMNS: tuple[Any, ...] = (
    StoredItem.id,
    StoredItem.title,
    StoredItem.body_text,
    StoredItem.summary,
    StoredItem.url,
    StoredItem.guid,
    StoredItem.identity_rule,
    StoredItem.source_id,
    StoredItem.published,
    StoredItem.content_type,
    StoredItem.extra,
    StoredItem.version,
    StoredItem.content_hash,
)
_CANDIDATE_COLUMNS: tuple[Any, ...] = (
    StoredItem.id,
    StoredItem.story_id,
    StoredItem.content_type,
    StoredItem.published,
    StoredItem.version,
    StoredItem.content_hash,
)

Columns = TypeVarTuple("Columns")  # the selected columns or entities of a query

# Any constant works: every process takes the same one, so two harvests never assign stories at once.
_ADVISORY_LOCK = 0x706F7274  # "port"


# What an election reads of each member (`hub.pipeline.election.choose`), as plain columns: loading the
# members as ORM objects cost more than the election itself.
_CONTENDER_COLUMNS: tuple[Any, ...] = (
    col(StoredItem.story_id),
    col(StoredItem.id).label("item_id"),
    col(StoredItem.published),
    col(Source.agency),
    col(Source.priority),
    col(StoryMember.credited_source_id),
)


@dataclass(frozen=True, slots=True)
class Member:
    """One item of a story with what election needs: its source and the credit it carries."""

    item: StoredItem
    source: Source
    member: StoryMember


def lock_stories(*, session: Session) -> None:
    """Serialise story assignment across processes until the transaction ends (SQLite's write lock
    already does; PostgreSQL needs a transaction-scoped advisory lock)."""
    if is_postgresql(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})


def items_to_assign(harvests: Mapping[int, str], *, session: Session) -> list[Row[Any]]:
    """Harvest id -> its source's id: the items of those sources without a story, and those the harvests
    stored or changed; oldest first. Rows of the columns fingerprints read plus story and credit line: no
    ORM object per item."""
    return list(
        session.execute(
            _to_assign(), {"source_ids": sorted(set(harvests.values())), "harvest_ids": sorted(harvests)}
        )
    )


@lru_cache(maxsize=1)
def _to_assign() -> Select[Any]:
    # Two index lookups (`ix_stored_item_unassigned`, `ix_stored_item_harvest`), not one condition with
    # OR: the databases answer that by reading every item of the sources.
    unassigned = select(col(StoredItem.id)).where(
        col(StoredItem.source_id).in_(bindparam("source_ids", expanding=True)),
        col(StoredItem.story_id).is_(None),
    )
    harvested = select(col(StoredItem.id)).where(
        col(StoredItem.harvest_id).in_(bindparam("harvest_ids", expanding=True))
    )
    return (
        select(*FINGERPRINT_COLUMNS, col(StoredItem.story_id), col(StoredItem.credited_source))
        .where(col(StoredItem.id).in_(union(unassigned, harvested)))
        .order_by(col(StoredItem.published), col(StoredItem.id))
    )


def set_story_ids(stories: Mapping[int, tuple[int, bool]], *, session: Session) -> None:
    """Item id -> (story id, canonical?), in one multi-row update."""
    rows = [
        {"id": item_id, "story_id": story_id, "is_canonical": canonical}
        for item_id, (story_id, canonical) in stories.items()
    ]
    update_rows(session.connection(), table_of(StoredItem), "id", rows)


def candidate_rows(item_ids: Collection[int], *, session: Session) -> dict[int, Row[Any]]:
    """What deciding whether an item may be a candidate needs (story, content type, time, version),
    without the texts: most candidates' fingerprints are cached."""
    return _rows_by_id(_CANDIDATE_COLUMNS, item_ids, session)


def fingerprint_rows(item_ids: Collection[int], *, session: Session) -> dict[int, Row[Any]]:
    """The columns a fingerprint reads (`hub.pipeline.fingerprints.Fingerprinted`), per item id."""
    return _rows_by_id(FINGERPRINT_COLUMNS, item_ids, session)


def start_stories(items: Sequence[Row[Any]], *, session: Session, now: datetime) -> dict[int, int]:
    """One new story per item, each item its only member and canonical; item id -> story id (one
    multi-row insert)."""
    if not items:
        return {}
    rows = [
        {
            "content_type": item.content_type,
            "canonical_item_id": item.id,
            "elected_by": ElectedBy.EARLIEST,  # a lone member is the earliest publication
            "created_at": now,
            "updated_at": now,
        }
        for item in items
    ]
    # Core on the table: the ORM's bulk insert costs more per row than the database does.
    returned = insert_rows(session.connection(), table_of(Story), rows, returning=("canonical_item_id", "id"))
    return {row.canonical_item_id: row.id for row in returned}


def add_members(members: Sequence[Mapping[str, Any]], *, session: Session) -> None:
    """`story_member` rows of items that had none (one delete of leftovers, one multi-row insert)."""
    if not members:
        return
    _with_ids(_forget_members, session, values=[member["item_id"] for member in members])
    insert_rows(session.connection(), table_of(StoryMember), members)


def start_story(item: StoredItem, *, session: Session, now: datetime) -> int:
    """A new story whose only member (and canonical) is the item; returns its id."""
    story = Story(content_type=item.content_type, canonical_item_id=item.id, created_at=now, updated_at=now)
    session.add(story)
    session.flush()
    return story.id or 0


def add_member(item: StoredItem, member: StoryMember, *, session: Session) -> None:
    """Put the item in `member.story_id` (replacing any earlier membership); canonical flags are separate."""
    existing = session.get(StoryMember, member.item_id)
    if existing is not None:
        session.delete(existing)
        session.flush()
    session.add(member)
    item.story_id = member.story_id
    session.flush()


def members_of(story_id: int, *, session: Session) -> list[Member]:
    """Every item of the story with its source and membership, earliest publication first."""
    return members_of_stories([story_id], session=session).get(story_id, [])


def members_of_stories(story_ids: Collection[int], *, session: Session) -> dict[int, list[Member]]:
    """`members_of` for several stories, in one query."""
    query = _of_members(
        select(StoredItem, Source, StoryMember), col(StoredItem.story_id).in_(sorted(story_ids))
    )
    found: dict[int, list[Member]] = defaultdict(list)
    for item, source, member in session.execute(query).all():
        found[item.story_id or 0].append(Member(item, source, member))
    return dict(found)


def contenders_of(story_ids: Collection[int], *, session: Session) -> dict[int, list[Row[Any]]]:
    """Per story, its members as rows of (story_id, item_id, published, agency, priority,
    credited_source_id), earliest publication first."""
    found: dict[int, list[Row[Any]]] = defaultdict(list)
    for row in _with_ids(_contenders, session, values=story_ids):
        found[row.story_id].append(row)
    return dict(found)


def elections_of(story_ids: Collection[int], *, session: Session) -> dict[int, Row[Any]]:
    """Per story, its current (id, canonical_item_id, elected_by)."""
    return {row.id: row for row in _with_ids(_elections, session, values=story_ids)}


def set_elections(elected: Mapping[int, tuple[int | None, str]], *, session: Session, now: datetime) -> None:
    """Story id -> (canonical item id, the rule that chose it), in one multi-row update. A Core
    statement: ORM objects of these stories that the session holds are the caller's to expire."""
    rows = [
        {"id": story_id, "canonical_item_id": item_id, "elected_by": rule, "updated_at": now}
        for story_id, (item_id, rule) in elected.items()
    ]
    update_rows(session.connection(), table_of(Story), "id", rows)


def set_canonical_flags(story_ids: Collection[int], canonical: Collection[int], *, session: Session) -> None:
    """`is_canonical` of every item of the stories: true for the `canonical` ids, false for the rest.
    Only rows whose flag changes are written: an update writes a new row version on PostgreSQL, with an
    entry in every index of the table, even when its values stay the same."""
    if not story_ids:
        return
    _with_ids(_flag_canonical, session, stories=story_ids, canonical=canonical)


def move_members(from_story: int, to_story: int, *, session: Session, now: datetime) -> None:
    """Every item of `from_story` joins `to_story`; the emptied story remembers where they went."""
    session.execute(
        update(StoryMember).where(col(StoryMember.story_id) == from_story).values(story_id=to_story)
    )
    session.execute(
        update(StoredItem).where(col(StoredItem.story_id) == from_story).values(story_id=to_story)
    )
    absorbed = session.get_one(Story, from_story)
    absorbed.merged_into, absorbed.canonical_item_id, absorbed.updated_at = to_story, None, now
    session.flush()


def record_decision(decision: EditorDecision, *, session: Session) -> EditorDecision:
    session.add(decision)
    session.flush()
    return decision


def decisions_about(item_id: int, story_id: int, *, session: Session) -> list[EditorDecision]:
    """Editor decisions naming the item or its story, oldest first."""
    named = or_(
        col(EditorDecision.item_id) == item_id,
        col(EditorDecision.story_id) == story_id,
        col(EditorDecision.other_story_id) == story_id,
    )
    query = select(EditorDecision).where(named).order_by(col(EditorDecision.id))
    return list(session.execute(query).scalars())


def republications_of(
    story_ids: Sequence[int], *, session: Session
) -> dict[int, list[tuple[StoredItem, Source]]]:
    """Non-canonical items of each story with their sources, earliest first (one query for a page)."""
    if not story_ids:
        return {}
    query = (
        select(StoredItem, Source)
        .join(Source, col(Source.id) == col(StoredItem.source_id))
        .where(col(StoredItem.story_id).in_(sorted(set(story_ids))), col(StoredItem.is_canonical) == false())
        .order_by(col(StoredItem.published), col(StoredItem.id))
    )
    found: dict[int, list[tuple[StoredItem, Source]]] = defaultdict(list)
    for item, source in session.execute(query).all():
        found[item.story_id or 0].append((item, source))
    return dict(found)


def _of_members(query: Select[*Columns], stories: ColumnElement[bool]) -> Select[*Columns]:
    """`query` over the items of the `stories` (a condition on their story id) joined to their
    sources and memberships, earliest first."""
    return (
        query.select_from(StoredItem)
        .join(Source, col(Source.id) == col(StoredItem.source_id))
        .join(StoryMember, col(StoryMember.item_id) == col(StoredItem.id))
        .where(stories)
        .order_by(col(StoredItem.published), col(StoredItem.id))
    )


def _rows_by_id(columns: tuple[Any, ...], item_ids: Collection[int], session: Session) -> dict[int, Row[Any]]:
    if not item_ids:
        return {}
    return {row.id: row for row in _with_ids(partial(_by_id, columns), session, values=item_ids)}


def _with_ids(statement: Callable[..., Executable], session: Session, **ids: Collection[int]) -> Result[Any]:
    """Run the statement built for this database kind, each list of ids bound as one parameter."""
    postgresql = is_postgresql(session)
    values = {name: bound_values(sorted(given), postgresql=postgresql) for name, given in ids.items()}
    return session.execute(statement(postgresql=postgresql), values)


# The stage's statements with a list of ids, built once per database kind: one text whatever the
# number of ids, so the driver and the server reuse their work (see `hub.storage.bulk.one_of`).
@lru_cache(maxsize=2)
def _forget_members(*, postgresql: bool) -> Delete:
    table = table_of(StoryMember)
    return delete(table).where(one_of(table.c.item_id, postgresql=postgresql))


@lru_cache(maxsize=2)
def _contenders(*, postgresql: bool) -> Select[Any]:
    return _of_members(
        select(*_CONTENDER_COLUMNS), one_of(table_of(StoredItem).c.story_id, postgresql=postgresql)
    )


@lru_cache(maxsize=2)
def _elections(*, postgresql: bool) -> Select[Any]:
    table = table_of(Story)
    columns = (table.c.id, table.c.canonical_item_id, table.c.elected_by)
    return select(*columns).where(one_of(table.c.id, postgresql=postgresql))


@lru_cache(maxsize=2)
def _flag_canonical(*, postgresql: bool) -> Update:
    items = table_of(StoredItem)
    flag = one_of(items.c.id, postgresql=postgresql, name="canonical")
    of_stories = one_of(items.c.story_id, postgresql=postgresql, name="stories")
    return (
        update(items)
        .where(of_stories & items.c.is_canonical.is_distinct_from(flag))
        .values(is_canonical=flag)
    )


@lru_cache(maxsize=8)
def _by_id(columns: tuple[Any, ...], *, postgresql: bool) -> Select[Any]:
    """The columns of the stored items whose ids are bound as one parameter (a harvest asks for a
    thousand-odd candidates)."""
    return select(*columns).where(one_of(table_of(StoredItem).c.id, postgresql=postgresql))
