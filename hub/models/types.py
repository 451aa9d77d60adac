"""Column types shared by the tables (aware-UTC timestamps, portable JSON), and a table's Core `Table`."""

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# JSONB on PostgreSQL (indexable, compact), plain JSON text elsewhere.
PortableJSON = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """`DateTime(timezone=True)` that always hands back aware UTC, SQLite included.

    SQLite has no time zone type: values are stored as naive UTC text and get UTC attached when read.
    A naive value on the way in is refused: every time in the hub is aware (STYLE 27).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the hub stores aware UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def table_of(model: type) -> Table:
    """The Core table of a SQLModel table class, for statements whose per-row ORM handling costs more
    than the database's work (bulk inserts and multi-row updates)."""
    return model.__table__  # type: ignore[attr-defined, no-any-return]
