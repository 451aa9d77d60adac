"""Sources in the database: sync from the sources file, list, health after a harvest, claim and release.

The database is the schedule (STYLE 30): a due source is claimed by setting a lease in one statement,
so two hub processes never harvest one source at once and a dead process's lease simply runs out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, or_, update
from sqlmodel import Session, col, select

from connectors.base import SourceSpec
from hub.db import is_postgresql
from hub.models import Source, table_of

if TYPE_CHECKING:
    from hub.sources import SourceConfig


@dataclass(slots=True)
class SyncReport:
    """Source ids by what syncing the file did to them."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def sync_sources(configs: list[SourceConfig], *, session: Session, now: datetime) -> SyncReport:
    """Make the table say what the file says; sources missing from it are disabled, never deleted."""
    report = SyncReport()
    existing = {source.id: source for source in session.exec(select(Source)).all()}
    for config in configs:
        values = _config_values(config)
        source = existing.get(config.id)
        if source is None:
            session.add(Source(**values, created_at=now, updated_at=now, next_harvest_at=now))
            report.added.append(config.id)
        elif _apply(source, values, now):
            report.updated.append(config.id)
        else:
            report.unchanged.append(config.id)
    listed = {config.id for config in configs}
    for source_id, source in sorted(existing.items()):
        if source_id not in listed and source.enabled:
            _apply(source, {"enabled": False}, now)
            report.disabled.append(source_id)
    session.flush()
    return report


def list_sources(*, session: Session, enabled_only: bool = False) -> list[Source]:
    query = select(Source).order_by(col(Source.id))
    if enabled_only:
        query = query.where(col(Source.enabled).is_(True))
    return list(session.exec(query).all())


# Built once, on the table: making the query anew each time took longer than running it (measured).
_CREDIT_ALIASES = select(
    *(table_of(Source).c[name] for name in ("id", "name", "agency", "url", "site", "priority"))
)


def credit_aliases(*, session: Session) -> tuple[Row[Any], ...]:
    """Every source's id, names, URLs and priority: what credit lines resolve against, read as plain
    rows (each harvest's story stage reads them; loading full `Source` objects cost more than the rest
    of a small harvest's lookups). A tuple: `hub.pipeline.election.resolver_of` keeps its resolver by it."""
    return tuple(session.execute(_CREDIT_ALIASES).all())


def get_source(source_id: str, *, session: Session) -> Source | None:
    return session.get(Source, source_id)


def spec_of(source: Source) -> SourceSpec:
    """What the connector is told about a stored source."""
    return SourceSpec(
        id=source.id,
        name=source.name,
        agency=source.agency,
        level=source.level,
        kind=source.kind,
        content_type=source.content_type,  # type: ignore[arg-type]  # checked when synced from the file
        url=source.url,
        topics=tuple(source.topics),
        options=dict(source.options),
    )


def claim_due_sources(
    limit: int, lease_seconds: int, owner: str, now: datetime, *, session: Session
) -> list[Source]:
    """Lease up to `limit` enabled sources that are due and not leased by a live owner.

    One `UPDATE ... WHERE id IN (due ids) RETURNING id`: on PostgreSQL the inner SELECT takes
    `FOR UPDATE SKIP LOCKED`, so concurrent claimers pass over each other's rows; on SQLite the
    statement holds the single write lock. The outer lease test repeats the inner one because a row
    can change between the two on PostgreSQL's READ COMMITTED. Call it first in a fresh transaction.
    """
    free = or_(col(Source.lease_until).is_(None), col(Source.lease_until) < now)
    due = (
        select(Source.id)
        .where(col(Source.enabled).is_(True), free)
        .where(or_(col(Source.next_harvest_at).is_(None), col(Source.next_harvest_at) <= now))
        .order_by(col(Source.priority).desc(), col(Source.next_harvest_at).asc(), col(Source.id))
        .limit(limit)
    )
    if is_postgresql(session):
        due = due.with_for_update(skip_locked=True)
    claim = (
        update(Source)
        .where(col(Source.id).in_(due.scalar_subquery()), free)
        .values(lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds))
        .returning(col(Source.id))
    )
    claimed = list(session.execute(claim).scalars().all())
    session.expire_all()  # the ORM's copies of those rows are stale now
    sources = session.exec(select(Source).where(col(Source.id).in_(claimed))).all()
    return sorted(sources, key=lambda source: (-source.priority, source.id))


def release(source_id: str, owner: str, *, session: Session) -> bool:
    """Give the lease back; False when `owner` no longer held it (it ran out and was taken over)."""
    result = session.execute(
        update(Source)
        .where(col(Source.id) == source_id, col(Source.lease_owner) == owner)
        .values(lease_owner=None, lease_until=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def record_health(
    source: Source, *, status: str, now: datetime, next_harvest_at: datetime, error: tuple[str, str] | None
) -> None:
    """Set a source's health after a harvest; `error` (code, message) marks it failed."""
    source.last_harvest_at = now
    source.last_status = status
    source.next_harvest_at = next_harvest_at
    if error is not None:
        source.consecutive_failures += 1
        source.last_error_code, source.last_error_message = error
        return
    source.last_success_at = now
    source.consecutive_failures = 0
    source.last_error_code = source.last_error_message = None


def _config_values(config: SourceConfig) -> dict[str, Any]:
    values = config.model_dump(exclude={"schedule"})
    return {
        **values,
        "schedule_every_seconds": config.schedule.every_seconds,
        "schedule_cron": config.schedule.cron,
    }


def _apply(source: Source, values: dict[str, Any], now: datetime) -> bool:
    changed = {name: value for name, value in values.items() if getattr(source, name) != value}
    for name, value in changed.items():
        setattr(source, name, value)
    if changed:
        source.updated_at = now
    return bool(changed)
