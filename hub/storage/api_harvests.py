"""Harvest records as the API lists them: filtered by source and status, newest first, paged by id."""

from __future__ import annotations

from sqlmodel import Session, col, select

from hub.models import Harvest


def find_harvests(
    *,
    session: Session,
    source_id: str | None = None,
    status: str | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[Harvest]:
    query = select(Harvest).order_by(col(Harvest.id).desc()).limit(limit)
    if source_id is not None:
        query = query.where(col(Harvest.source_id) == source_id)
    if status is not None:
        query = query.where(col(Harvest.status) == status)
    if before_id is not None:
        query = query.where(col(Harvest.id) < before_id)
    return list(session.exec(query).all())
