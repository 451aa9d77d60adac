"""Harvest records: open one, record its issues, close it with counters, list them; the outcome summary."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from hub.models import Harvest, HarvestIssue, HarvestStatus, HarvestTrigger


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem met while harvesting: a dropped or failed record, or the failure of the whole source."""

    stage: str
    code: str
    message: str
    url: str | None = None
    item_key: str | None = None


@dataclass(frozen=True, slots=True)
class HarvestOutcome:
    """What one harvest did, as the CLI, the scheduler and the API report it."""

    source_id: str
    harvest_id: int
    status: HarvestStatus
    http_status: int | None
    items_new: int
    items_updated: int
    items_unchanged: int
    error_count: int
    error_code: str | None
    error_message: str | None
    bytes_fetched: int


@dataclass(frozen=True, slots=True)
class HarvestTotals:
    """The counters a harvest is closed with."""

    status: HarvestStatus
    http_status: int | None = None
    bytes_fetched: int = 0
    items_new: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    error_code: str | None = None
    error_message: str | None = None


def open_harvest(source_id: str, *, session: Session, trigger: HarvestTrigger, now: datetime) -> Harvest:
    harvest = Harvest(source_id=source_id, started_at=now, trigger=trigger, status=HarvestStatus.RUNNING)
    session.add(harvest)
    session.flush()
    return harvest


def record_issues(harvest_id: int, issues: list[Issue], *, session: Session) -> None:
    if not issues:
        return
    session.execute(insert(HarvestIssue), [{"harvest_id": harvest_id, **asdict(issue)} for issue in issues])


def close_harvest(
    harvest_id: int, totals: HarvestTotals, *, session: Session, error_count: int, now: datetime
) -> Harvest:
    harvest = session.get_one(Harvest, harvest_id)
    harvest.sqlmodel_update({"finished_at": now, "error_count": error_count, **asdict(totals)})
    session.add(harvest)
    session.flush()
    return harvest


def list_harvests(*, session: Session, source_id: str | None = None, limit: int = 50) -> list[Harvest]:
    """Newest first."""
    query = select(Harvest).order_by(col(Harvest.id).desc()).limit(limit)
    if source_id is not None:
        query = query.where(Harvest.source_id == source_id)
    return list(session.exec(query).all())


def list_issues(harvest_id: int, *, session: Session) -> list[HarvestIssue]:
    query = select(HarvestIssue).where(HarvestIssue.harvest_id == harvest_id).order_by(col(HarvestIssue.id))
    return list(session.exec(query).all())


def outcome_of(harvest: Harvest) -> HarvestOutcome:
    if harvest.id is None:
        raise ValueError("an outcome is made from a stored (flushed) harvest")
    return HarvestOutcome(
        source_id=harvest.source_id,
        harvest_id=harvest.id,
        status=HarvestStatus(harvest.status),
        http_status=harvest.http_status,
        items_new=harvest.items_new,
        items_updated=harvest.items_updated,
        items_unchanged=harvest.items_unchanged,
        error_count=harvest.error_count,
        error_code=harvest.error_code,
        error_message=harvest.error_message,
        bytes_fetched=harvest.bytes_fetched,
    )
