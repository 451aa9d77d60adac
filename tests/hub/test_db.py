"""Engines and sessions: URL schemes, SQLite pragmas, aware UTC timestamps, transactions that roll back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import StatementError
from sqlmodel import Session

from hub.checkpoint import BACKSTOP_PAGES
from hub.db import database_url, is_postgresql, make_engine, session_scope
from hub.models import Source

HANOI = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgres://hub:mat-khau@db.example.vn/portalhub", "postgresql+psycopg"),
        ("postgresql://hub@db.example.vn:5433/portalhub", "postgresql+psycopg"),
        ("postgresql+psycopg://hub@db.example.vn/portalhub", "postgresql+psycopg"),
        ("sqlite:///var/portalhub.db", "sqlite"),
    ],
)
def test_database_urls_map_onto_their_driver(url: str, driver: str) -> None:
    assert database_url(url).drivername == driver


def test_sqlite_engine_creates_its_folder_and_sets_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'hub.db'}")
    try:
        with engine.connect() as connection:
            pragmas = [
                connection.execute(text(f"PRAGMA {name}")).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "wal_autocheckpoint")
            ]
    finally:
        engine.dispose()

    assert (tmp_path / "var").is_dir()
    assert pragmas == ["wal", 1, 30000, BACKSTOP_PAGES]


def test_timestamps_come_back_as_aware_utc(session: Session, add_source: Callable[..., Source]) -> None:
    add_source("nguon-0", next_harvest_at=datetime(2025, 3, 14, 16, 0, tzinfo=HANOI))
    session.expunge_all()

    source = session.get_one(Source, "nguon-0")

    assert source.next_harvest_at == datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
    assert source.next_harvest_at is not None
    assert source.next_harvest_at.utcoffset() == timedelta(0)
    assert source.created_at.tzinfo is not None


def test_naive_timestamps_are_refused(session: Session, add_source: Callable[..., Source]) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        add_source("nguon-0", next_harvest_at=datetime(2025, 3, 14, 9, 0))


def test_session_scope_commits_or_rolls_back(engine: Engine, add_source: Callable[..., Source]) -> None:
    add_source("nguon-0")
    with session_scope(engine) as session:
        session.get_one(Source, "nguon-0").priority = 3
    with pytest.raises(RuntimeError, match="crashed"):
        _change_then_crash(engine)

    with session_scope(engine) as session:
        assert session.get_one(Source, "nguon-0").priority == 3


def test_dialect_helper_names_postgresql_only(engine: Engine, database_url: str) -> None:
    assert is_postgresql(engine) is database_url.startswith("postgres")


def _change_then_crash(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.get_one(Source, "nguon-0").priority = 9
        session.flush()
        raise RuntimeError("harvest crashed mid-transaction")
