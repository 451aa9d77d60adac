"""Election of a story's canonical original, and credit lines resolved to known sources.

Rungs, in order: (1) the source the copies credit ("Nguồn: mae.gov.vn"), (2) the earliest publication,
(3) the higher source priority when publication times tie. An editor's choice stands while its item
stays in the story. Input: story ids; output: `Story.canonical_item_id` and `StoredItem.is_canonical`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import Row
from sqlmodel import Session

from dedupe import Credit, find_credit, resolve_credit
from hub.models import ElectedBy
from hub.storage import stories as store

__all__ = ["CreditAliases", "CreditResolver", "choose", "elect_stories", "resolver_of"]


class CreditAliases(Protocol):
    """What a credit line may name of a source: a `Source`, or a row of `credit_aliases`."""

    id: str
    name: str
    agency: str
    url: str
    site: str | None
    priority: int


class CreditResolver:
    """Credited names and hosts -> source ids, from each source's URL and site hosts, name and agency."""

    def __init__(self, sources: Iterable[CreditAliases]) -> None:
        self.known: dict[str, str] = {}
        self.agency: dict[str, str] = {}
        # Lower priority first, so that an agency with several feeds resolves to its main one.
        for source in sorted(sources, key=lambda s: (s.priority, s.id)):
            # `site` is the portal copies credit when its feed is served from a CDN or mirror host.
            urls = (url for url in (source.url, source.site) if url)
            hosts = [(urlsplit(url).hostname or "").removeprefix("www.") for url in urls]
            for alias in (*hosts, source.name, source.agency):
                if alias:
                    self.known[alias] = source.id
            self.agency[source.id] = source.agency

    def resolve(self, credit_line: str | None) -> str | None:
        """Source id credited by a stored credit line (the line as found in the body), or None."""
        if not credit_line:
            return None
        credit = find_credit([credit_line]) or Credit(credit_line, credit_line, "end")
        return resolve_credit(credit, self.known)


@lru_cache(maxsize=4)
def resolver_of(sources: tuple[CreditAliases, ...]) -> CreditResolver:
    """The resolver of these sources (rows of `credit_aliases`), built once while they stay the same:
    every harvest's story stage reads them, and building the resolver (two URLs parsed per source) took
    longer than reading them. The rows are compared whole, so any change to a source builds anew."""
    return CreditResolver(sources)


def elect_stories(
    story_ids: Collection[int], resolver: CreditResolver, *, session: Session, now: datetime
) -> set[int]:
    """Re-elect the canonical original of each story (one read of all their members, one of their
    elections, one update of those that changed and one of the items' canonical flags); returns the
    stories whose canonical or rule changed."""
    if not story_ids:
        return set()
    contenders = store.contenders_of(story_ids, session=session)
    current = store.elections_of(story_ids, session=session)
    elected = {
        story_id: _winner(story, contenders.get(story_id, []), resolver)
        for story_id, story in current.items()
    }
    changed = {
        story_id: choice
        for story_id, choice in elected.items()
        if (current[story_id].canonical_item_id, current[story_id].elected_by) != choice
    }
    store.set_elections(changed, session=session, now=now)
    canonical = [item_id for item_id, _rule in elected.values() if item_id is not None]
    store.set_canonical_flags(elected.keys(), canonical, session=session)
    return set(changed)


def _winner(story: Row[Any], members: Sequence[Row[Any]], resolver: CreditResolver) -> tuple[int | None, str]:
    """(canonical item id, rule): an editor's choice stands while its item stays in the story."""
    if story.elected_by == ElectedBy.EDITOR and any(m.item_id == story.canonical_item_id for m in members):
        return story.canonical_item_id, ElectedBy.EDITOR
    if not members:
        return None, ElectedBy.EARLIEST
    member, rule = choose(members, resolver)
    return member.item_id, rule


def choose(members: Sequence[Row[Any]], resolver: CreditResolver) -> tuple[Row[Any], ElectedBy]:
    """The canonical member and the rung that chose it."""
    credited = _credited_agencies(members, resolver)
    originals = [m for m in members if m.agency in credited]
    if originals:
        return min(originals, key=_earliest), ElectedBy.CREDITED
    first = min(members, key=_earliest)
    tied = [m for m in members if m.published == first.published]
    if len({m.priority for m in tied}) > 1:
        return max(tied, key=lambda m: (m.priority, -m.item_id)), ElectedBy.PRIORITY
    return first, ElectedBy.EARLIEST


def _credited_agencies(members: Sequence[Row[Any]], resolver: CreditResolver) -> set[str]:
    """Agencies that other members credit (a portal crediting itself credits nobody)."""
    agencies = set()
    for m in members:
        agency = resolver.agency.get(m.credited_source_id or "")
        if agency and agency != m.agency:
            agencies.add(agency)
    return agencies


def _earliest(member: Row[Any]) -> tuple[datetime, int]:
    return member.published, member.item_id
