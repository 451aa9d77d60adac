"""Raw payloads: fetched bytes kept content-addressed (sha256) and zlib-compressed in the database.

Kept in the database rather than on a disk so that every hub process, on every machine, can replay them.
"""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime

from sqlalchemy import delete, exists, or_
from sqlmodel import Session, col, select

from hub.db import insert_for
from hub.models import FetchValidator, Payload, StoredItem

ZLIB_LEVEL = 6  # zlib's own default: most of the gain on HTML/XML for little CPU


def payload_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def keep_payload(url: str, content_type: str, body: bytes, *, session: Session, now: datetime) -> str:
    """Store `body` once under its hash (a second copy is a no-op, even from another process)."""
    digest = payload_hash(body)
    row = {
        "hash": digest,
        "url": url,
        "content_type": content_type,
        "size": len(body),
        "compressed": zlib.compress(body, ZLIB_LEVEL),
        "stored_at": now,
    }
    session.execute(insert_for(session)(Payload).values(row).on_conflict_do_nothing(index_elements=["hash"]))
    return digest


def payload_body(payload: Payload) -> bytes:
    return zlib.decompress(payload.compressed)


def get_payload(digest: str, *, session: Session) -> Payload | None:
    return session.get(Payload, digest)


def latest_payloads_for_source(source_id: str, *, session: Session) -> dict[str, Payload]:
    """URL -> the payload of the last committed fetch of that URL by this source."""
    query = (
        select(FetchValidator.url, Payload)
        .join(Payload, col(Payload.hash) == col(FetchValidator.payload_hash))
        .where(FetchValidator.source_id == source_id)
    )
    return dict(session.exec(query).all())


def prune_payloads(older_than: datetime, *, session: Session) -> int:
    """Delete payloads stored before `older_than` that no validator and no recently changed item needs."""
    needed_by_validator = exists().where(col(FetchValidator.payload_hash) == col(Payload.hash))
    needed_by_item = exists().where(
        col(StoredItem.payload_hash) == col(Payload.hash), col(StoredItem.last_changed_at) >= older_than
    )
    result = session.execute(
        delete(Payload).where(col(Payload.stored_at) < older_than, ~or_(needed_by_validator, needed_by_item))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
