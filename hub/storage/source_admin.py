"""Sources written through the API: create one from a `SourceConfig`, update one, read one back as a config.

The sources file stays the usual way to manage sources (`storage.sources.sync_sources`); these are
the one-source edits an operator makes between two syncs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col

from hub.db import insert_for
from hub.models import Source
from hub.schedule import format_duration, next_harvest_at

if TYPE_CHECKING:
    from hub.sources import SourceConfig

# Columns a source file entry sets (besides `schedule`, stored as two columns).
CONFIG_COLUMNS = (
    "id",
    "name",
    "agency",
    "level",
    "kind",
    "content_type",
    "url",
    "site",
    "topics",
    "priority",
    "review",
    "enabled",
    "options",
)


def create_source(config: SourceConfig, *, session: Session, now: datetime) -> Source | None:
    """Insert the source, due at once; None when the id is taken (by anyone, even meanwhile)."""
    values = {**config_columns(config), "created_at": now, "updated_at": now, "next_harvest_at": now}
    insert = insert_for(session)(Source).values(**values).on_conflict_do_nothing(index_elements=["id"])
    inserted = session.execute(insert.returning(col(Source.id))).first()
    return session.get(Source, config.id) if inserted is not None else None


def update_source(source: Source, config: SourceConfig, *, now: datetime) -> bool:
    """Apply the config to the row; a new schedule takes effect from now. True when anything changed."""
    values = config_columns(config)
    changed = {name: value for name, value in values.items() if getattr(source, name) != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(source, name, value)
    if {"schedule_every_seconds", "schedule_cron"} & changed.keys() or changed.get("enabled") is True:
        # The new schedule's next slot, unless the source was due earlier anyway.
        due = next_harvest_at(
            now=now, every=_every(source), cron=source.schedule_cron, consecutive_failures=0
        )
        source.next_harvest_at = min(source.next_harvest_at or due, due)
    source.updated_at = now
    return True


def config_of(source: Source) -> dict[str, Any]:
    """The stored source as a sources-file entry (what `SourceConfig` validates)."""
    values: dict[str, Any] = {name: getattr(source, name) for name in CONFIG_COLUMNS}
    every = _every(source)
    values["schedule"] = {"every": format_duration(every)} if every else {"cron": source.schedule_cron}
    return values


def config_columns(config: SourceConfig) -> dict[str, Any]:
    values = config.model_dump(include=set(CONFIG_COLUMNS))
    return {
        **values,
        "schedule_every_seconds": config.schedule.every_seconds,
        "schedule_cron": config.schedule.cron,
    }


def _every(source: Source) -> timedelta | None:
    return timedelta(seconds=source.schedule_every_seconds) if source.schedule_every_seconds else None
