"""Fetch validators per (source, URL): the ETag / Last-Modified and payload of the last committed fetch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from hub.db import insert_for
from hub.models import FetchValidator


@dataclass(frozen=True, slots=True)
class ValidatorUpdate:
    """What one fetch of a URL answered, to be written when its harvest commits."""

    url: str
    etag: str | None
    last_modified: str | None
    payload_hash: str | None


def get_validator(source_id: str, url: str, *, session: Session) -> FetchValidator | None:
    return session.get(FetchValidator, (source_id, url))


def set_validators(
    source_id: str, updates: list[ValidatorUpdate], *, session: Session, now: datetime
) -> None:
    """Upsert one row per URL (insert, or overwrite what an earlier harvest left)."""
    for update in updates:
        values = {
            "etag": update.etag,
            "last_modified": update.last_modified,
            "payload_hash": update.payload_hash,
            "updated_at": now,
        }
        statement = insert_for(session)(FetchValidator).values(source_id=source_id, url=update.url, **values)
        session.execute(statement.on_conflict_do_update(index_elements=["source_id", "url"], set_=values))
