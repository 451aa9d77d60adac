"""/api/v1/sources: sources with their health; create, update and harvest-now for admins (bearer token)."""

import asyncio
import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Body, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import Engine

from hub.db import session_scope
from hub.harvest import harvest_sources
from hub.models import HarvestTrigger, Source
from hub.scheduler import lease_owner
from hub.settings import Settings
from hub.sources import SourceConfig
from hub.storage.health import RecentCounts, recent_item_counts
from hub.storage.leases import claim_source
from hub.storage.source_admin import config_of, create_source, update_source
from hub.storage.sources import get_source, list_sources, release
from hub.web.api.errors import Conflict, NotFound
from hub.web.api.schemas import (
    API_PREFIX,
    ErrorReply,
    HarvestAccepted,
    SourceList,
    SourcePatch,
    SourceRecord,
)
from hub.web.deps import AdminDep, SessionDep, WebStateDep

logger = logging.getLogger(__name__)

router = APIRouter(prefix=f"{API_PREFIX}/sources", tags=["sources"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorReply}}
ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {status: {"model": ErrorReply} for status in (401, 404, 409)}


@router.get("", response_model=SourceList)
def list_all(session: SessionDep) -> SourceList:
    """Every source with its health and how many items it brought lately."""
    now = datetime.now(UTC)
    counts = recent_item_counts(now, session=session)
    return SourceList(
        sources=[_record(source, counts.get(source.id), now) for source in list_sources(session=session)]
    )


@router.get("/{source_id}", response_model=SourceRecord, responses=NOT_FOUND)
def get_one(source_id: str, session: SessionDep) -> SourceRecord:
    return _present(_found(source_id, session), session)


@router.post(
    "", response_model=SourceRecord, status_code=201, dependencies=[AdminDep], responses=ADMIN_ERRORS
)
def create(config: SourceConfig, response: Response, session: SessionDep) -> SourceRecord:
    """Register a source; the body is a sources-file entry (kind options at top level or under `options`)."""
    source = create_source(config, session=session, now=datetime.now(UTC))
    if source is None:
        raise Conflict(f"source {config.id!r} exists already; PATCH it instead")
    session.commit()
    response.headers["Location"] = f"{API_PREFIX}/sources/{source.id}"
    return _present(source, session)


@router.patch("/{source_id}", response_model=SourceRecord, dependencies=[AdminDep], responses=ADMIN_ERRORS)
def patch(source_id: str, changes: Annotated[SourcePatch, Body()], session: SessionDep) -> SourceRecord:
    """Change some fields (enabled, schedule, name ...); the result must still be a valid source."""
    source = _found(source_id, session)
    merged = {**config_of(source), **{name: getattr(changes, name) for name in changes.model_fields_set}}
    try:
        config = SourceConfig.model_validate(merged)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in exc.errors(include_url=False)]
        ) from exc
    if update_source(source, config, now=datetime.now(UTC)):
        session.commit()
    return _present(source, session)


@router.post(
    "/{source_id}/harvest",
    response_model=HarvestAccepted,
    status_code=202,
    dependencies=[AdminDep],
    responses=ADMIN_ERRORS,
)
def harvest_now(
    source_id: str, response: Response, tasks: BackgroundTasks, session: SessionDep, state: WebStateDep
) -> HarvestAccepted:
    """Harvest the source now, in the background; the harvest appears under `harvests_url`."""
    _found(source_id, session)
    owner = lease_owner("api")
    if not claim_source(source_id, owner, state.settings.lease_seconds, datetime.now(UTC), session=session):
        raise Conflict(f"source {source_id!r} is being harvested right now", code="harvest.in_progress")
    session.commit()
    tasks.add_task(_harvest, source_id, owner, state.settings, state.engine)
    url = f"{API_PREFIX}/harvests?source={source_id}"
    response.headers["Location"] = url
    return HarvestAccepted(source_id=source_id, harvests_url=url)


def _harvest(source_id: str, owner: str, settings: Settings, engine: Engine) -> None:
    """Runs after the answer, in a worker thread with its own event loop (the server's loop stays free)."""
    try:
        asyncio.run(
            harvest_sources([source_id], settings=settings, engine=engine, trigger=HarvestTrigger.API)
        )
    except Exception:  # a background task has nobody to report to but the log
        logger.exception("harvest requested through the API failed", extra={"source_id": source_id})
    finally:
        with session_scope(engine) as session:
            release(source_id, owner, session=session)


def _found(source_id: str, session: SessionDep) -> Source:
    source = get_source(source_id, session=session)
    if source is None:
        raise NotFound(f"no source {source_id!r}")
    return source


def _present(source: Source, session: SessionDep) -> SourceRecord:
    now = datetime.now(UTC)
    counts = recent_item_counts(now, session=session, source_id=source.id)
    return _record(source, counts.get(source.id), now)


def _record(source: Source, counts: RecentCounts | None, now: datetime) -> SourceRecord:
    counts = counts or RecentCounts()
    return SourceRecord.model_validate(
        source,
        update={
            "items_last_24h": counts.last_24h,
            "items_last_7d": counts.last_7d,
            "harvesting": source.lease_until is not None and source.lease_until > now,
        },
    )
