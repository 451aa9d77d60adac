"""Election of a story's canonical original, and credit lines resolved to known sources.

Rungs, in order: (1) the source the copies credit ("Nguồn: mae.gov.vn"), (2) the earliest publication,
(3) the higher source priority when publication times tie. An editor's choice stands while its item
stays in the story. Input: story ids; output: `Story.canonical_item_id` and `StoredItem.is_canonical`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from sqlmodel import Session

from dedupe import Credit, find_credit, resolve_credit
from hub.models import ElectedBy, Story
from hub.storage.stories import Member, load_stories, members_of_stories, set_canonicals

__all__ = ["CreditAliases", "CreditResolver", "choose", "elect_stories"]


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


def elect_stories(
    story_ids: Collection[int], resolver: CreditResolver, *, session: Session, now: datetime
) -> set[int]:
    """Re-elect the canonical original of each story (one read of all their members, one update of
    the items' canonical flags); returns the stories whose canonical or rule changed."""
    if not story_ids:
        return set()
    members = members_of_stories(story_ids, session=session, light=True)
    chosen = [
        (story, *_winner(story, members.get(story_id, []), resolver))
        for story_id, story in load_stories(story_ids, session=session).items()
    ]
    return set_canonicals(chosen, session=session, now=now)


def _winner(story: Story, members: Sequence[Member], resolver: CreditResolver) -> tuple[int | None, str]:
    """(canonical item id, rule): an editor's choice stands while its item stays in the story."""
    if story.elected_by == ElectedBy.EDITOR and any(m.item.id == story.canonical_item_id for m in members):
        return story.canonical_item_id, ElectedBy.EDITOR
    if not members:
        return None, ElectedBy.EARLIEST
    member, rule = choose(members, resolver)
    return member.item.id, rule


def choose(members: Sequence[Member], resolver: CreditResolver) -> tuple[Member, ElectedBy]:
    """The canonical member and the rung that chose it."""
    credited = _credited_agencies(members, resolver)
    originals = [m for m in members if m.source.agency in credited]
    if originals:
        return min(originals, key=_earliest), ElectedBy.CREDITED
    first = min(members, key=_earliest)
    tied = [m for m in members if m.item.published == first.item.published]
    if len({m.source.priority for m in tied}) > 1:
        return max(tied, key=lambda m: (m.source.priority, -(m.item.id or 0))), ElectedBy.PRIORITY
    return first, ElectedBy.EARLIEST


def _credited_agencies(members: Sequence[Member], resolver: CreditResolver) -> set[str]:
    """Agencies that other members credit (a portal crediting itself credits nobody)."""
    agencies = set()
    for m in members:
        credited = m.member.credited_source_id
        agency = resolver.agency.get(credited or "")
        if agency and agency != m.source.agency:
            agencies.add(agency)
    return agencies


def _earliest(member: Member) -> tuple[datetime, int]:
    return member.item.published, member.item.id or 0
