"""Leases beyond the scheduler's claim: claim one named source, renew held leases, postpone a source.

Every write is one conditional UPDATE, so it is safe with any number of hub processes: a lease is
taken only when free, and renewed or released only by the owner that holds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col

from hub.models import Source


def claim_source(source_id: str, owner: str, lease_seconds: int, now: datetime, *, session: Session) -> bool:
    """Lease this source now, due or not (an operator asked); False when another owner holds it."""
    free = or_(col(Source.lease_until).is_(None), col(Source.lease_until) < now)
    result = session.execute(
        update(Source)
        .where(col(Source.id) == source_id, free)
        .values(lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def renew_leases(
    source_ids: Sequence[str], owner: str, lease_seconds: int, now: datetime, *, session: Session
) -> int:
    """Push the leases `owner` still holds on these sources; how many it held."""
    if not source_ids:
        return 0
    result = session.execute(
        update(Source)
        .where(col(Source.id).in_(source_ids), col(Source.lease_owner) == owner)
        .values(lease_until=now + timedelta(seconds=lease_seconds))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def postpone(source_id: str, owner: str, due: datetime, *, session: Session) -> None:
    """Set the next harvest time of a source whose harvest never recorded one (it crashed)."""
    session.execute(
        update(Source)
        .where(col(Source.id) == source_id, col(Source.lease_owner) == owner)
        .values(next_harvest_at=due)
    )
