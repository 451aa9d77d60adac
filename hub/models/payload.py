"""Payload: raw fetched bytes, content-addressed; FetchValidator: what a source's URL answered last."""

from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from hub.models.types import UTCDateTime


class Payload(SQLModel, table=True):
    """Raw bytes kept in the database (zlib), so every hub process on every machine can replay them."""

    hash: str = Field(primary_key=True, max_length=64)  # sha256 hex of the uncompressed body
    url: str
    content_type: str = ""
    size: int  # uncompressed bytes
    compressed: bytes = Field(sa_type=LargeBinary)
    stored_at: datetime = Field(sa_type=UTCDateTime, index=True)


class FetchValidator(SQLModel, table=True):
    """Last successful fetch of one URL by one source: validators for conditional GETs, and its payload."""

    __tablename__ = "fetch_validator"

    source_id: str = Field(foreign_key="source.id", primary_key=True, max_length=100)
    url: str = Field(primary_key=True)
    etag: str | None = None
    last_modified: str | None = None
    payload_hash: str | None = Field(default=None, max_length=64)
    updated_at: datetime = Field(sa_type=UTCDateTime)
