"""Query plans of what code under test asks SQLite, for tests that a query reads an index range rather
than a whole table. SQLite, whose plans do not depend on table statistics (the hub never runs ANALYZE),
so a plan seen on an empty database is the plan at a million rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from hub.db import make_engine, upgrade_database
from tests.conftest import fresh_database


def plans_of(call: Callable[[Session], object], folder: Path, table: str) -> list[str]:
    """How SQLite reads `table` in each statement `call` runs, on a fresh migrated database: the
    `EXPLAIN QUERY PLAN` details that name the table."""
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if table in statement:
            statements.append((statement, parameters))

    with fresh_database("sqlite", folder) as url:
        upgrade_database(url)
        engine = make_engine(url)
        try:
            event.listen(engine, "before_cursor_execute", keep)
            with Session(engine) as session:
                call(session)
            event.remove(engine, "before_cursor_execute", keep)
            with engine.connect() as connection:
                plans = [
                    connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
                    for statement, parameters in statements
                ]
        finally:
            engine.dispose()
    return [row[-1] for plan in plans for row in plan if table in row[-1]]
