"""Engines, sessions and migrations for SQLite and PostgreSQL; the dialect helpers queries need.

Input: a database URL (`sqlite:///var/portalhub.db`, `postgresql://...`, `postgres://...`).
Output: a configured `Engine`, sessions that commit or roll back, an up-to-date schema.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session

from hub.checkpoint import BACKSTOP_PAGES, Checkpointer

logger = logging.getLogger(__name__)

MIGRATIONS = "hub:migrations"  # package resource: works from a checkout and from an installed wheel
SQLITE_BUSY_TIMEOUT_MS = 30_000  # several writers (CLI + worker) wait for each other rather than fail
SQLITE_BEGIN_OPTION = "sqlite_begin"  # execution option: "IMMEDIATE" for transactions that will write
_POSTGRES_SCHEMES = {"postgres", "postgresql", "postgresql+psycopg"}


def database_url(url: str) -> URL:
    """Parse `url`, mapping `postgres://` and `postgresql://` onto the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in _POSTGRES_SCHEMES:
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`: SQLite gets its folder, WAL, a busy timeout and foreign keys."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, **kwargs)
    return create_engine(parsed, pool_pre_ping=True, **kwargs)


def is_postgresql(engine_or_session: Engine | Session) -> bool:
    """True when row locks with `FOR UPDATE SKIP LOCKED` are available (claims use them)."""
    bind = engine_or_session.get_bind() if isinstance(engine_or_session, Session) else engine_or_session
    return bind.dialect.name == "postgresql"


def insert_for(session: Session) -> Callable[..., Any]:
    """The dialect's `insert` (both have `on_conflict_do_nothing` / `on_conflict_do_update`)."""
    return postgresql.insert if is_postgresql(session) else sqlite.insert


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction that may write: commit when the block ends, roll back when it raises.

    On SQLite it takes the write lock when it starts (BEGIN IMMEDIATE), so concurrent writers queue on the
    busy timeout instead of failing; read-only requests (the web's sessions) stay deferred.
    """
    with Session(engine, expire_on_commit=False) as session:
        if engine.dialect.name == "sqlite":
            session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


def upgrade_database(url: str) -> None:
    """Bring the schema at `url` to the newest migration (Alembic `upgrade head`), from any directory."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", MIGRATIONS)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def _sqlite_engine(url: URL, **kwargs: Any) -> Engine:
    database = url.database or ""
    on_disk = database not in ("", ":memory:") and not database.startswith("file:")
    if on_disk:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    # pysqlite's own transaction handling defers BEGIN oddly; emit it ourselves (SQLAlchemy's recipe).
    event.listen(engine, "begin", _sqlite_begin)
    if on_disk:  # checkpoints off the commits (see hub.checkpoint); an in-memory database has no log
        event.listen(engine, "commit", Checkpointer(str(Path(database).resolve())).nudge)
    return engine


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails at once ("database is locked") when another
    # process committed in between; the busy timeout only helps a transaction that asks for the lock first.
    mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # autocommit at the driver: the "begin" hook starts transactions
    cursor = dbapi_connection.cursor()
    # WAL lets feed readers go on while a harvest writes; NORMAL sync is safe with WAL. Writers
    # checkpoint the log themselves only past the backstop: a thread does it before (hub.checkpoint).
    for pragma in (
        "journal_mode=WAL",
        f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        "foreign_keys=ON",
        "synchronous=NORMAL",
        f"wal_autocheckpoint={BACKSTOP_PAGES}",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()
