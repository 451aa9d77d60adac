"""WAL checkpoints off the commits: a thread copies the log into the database file soon after them."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from hub.checkpoint import Checkpointer
from hub.db import make_engine

WAIT_SECONDS = 10.0  # generous: the thread waits 0.5 s before each checkpoint


def _eventually(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _wal_database(path: Path, rows: int) -> None:
    """A WAL database whose `rows` rows are in the log only (no checkpoint ran)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute("CREATE TABLE tin (tieu_de TEXT)")
    connection.executemany(
        "INSERT INTO tin VALUES (?)", [(f"Hội nghị tổng kết công tác năm {n}",) for n in range(rows)]
    )
    _OPEN.append(connection)  # closing the last connection would checkpoint the log


_OPEN: list[sqlite3.Connection] = []


@pytest.fixture(autouse=True)
def _close_connections() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def test_commits_on_a_file_database_reach_its_file_without_another_commit(tmp_path: Path) -> None:
    database = tmp_path / "hub.db"
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE tin (noi_dung TEXT)"))
        with engine.begin() as connection:
            body = "Ủy ban nhân dân tỉnh Khánh Hòa tổ chức hội nghị. " * 40
            connection.execute(text("INSERT INTO tin VALUES (:body)"), [{"body": body}] * 500)
        in_the_log_only = database.stat().st_size

        assert in_the_log_only < 1_000_000  # 1 MB committed, all of it still in the log
        assert _eventually(lambda: database.stat().st_size > 1_000_000)
    finally:
        engine.dispose()


def test_a_nudge_copies_the_whole_log_then_the_idle_thread_ends(tmp_path: Path) -> None:
    database = tmp_path / "hub.db"
    _wal_database(database, rows=2000)
    checkpointer = Checkpointer(str(database), settle=0.01, idle=0.2)

    checkpointer.nudge()

    assert _eventually(lambda: checkpointer.last is not None)
    busy, log, copied = checkpointer.last or (1, 0, 0)
    assert (busy, copied) == (0, log)
    assert log > 0
    assert _eventually(lambda: not checkpointer.running)


def test_a_nudge_after_the_thread_ended_starts_another(tmp_path: Path) -> None:
    database = tmp_path / "hub.db"
    _wal_database(database, rows=10)
    checkpointer = Checkpointer(str(database), settle=0.01, idle=0.05)
    checkpointer.nudge()
    assert _eventually(lambda: checkpointer.last is not None and not checkpointer.running)
    checkpointer.last = None

    checkpointer.nudge()

    assert checkpointer.running
    assert _eventually(lambda: checkpointer.last is not None)


def test_a_database_removed_meanwhile_is_logged_and_not_created_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "da-xoa.db"
    checkpointer = Checkpointer(str(database), settle=0.01, idle=0.05)

    with caplog.at_level(logging.WARNING, logger="hub.checkpoint"):
        checkpointer.nudge()
        assert _eventually(lambda: not checkpointer.running)

    assert not database.exists()
    assert checkpointer.last is None
    assert any("background checkpoint" in record.getMessage() for record in caplog.records)


def test_a_database_another_connection_holds_is_skipped_quietly_and_checkpointed_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "hub.db"
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("PRAGMA wal_autocheckpoint=0")
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")  # held from its first write until it closes
    holder.execute("CREATE TABLE tin (tieu_de TEXT)")
    holder.execute("INSERT INTO tin VALUES ('Thông báo lịch tiếp công dân tháng 12')")
    checkpointer = Checkpointer(str(database), settle=0.01, idle=0.05)

    with caplog.at_level(logging.DEBUG, logger="hub.checkpoint"):
        checkpointer.nudge()
        assert _eventually(lambda: not checkpointer.running)
    holder.close()
    checkpointer.nudge()

    assert [record.levelname for record in caplog.records] == ["DEBUG"]
    assert "skipped" in caplog.records[0].getMessage()
    assert _eventually(lambda: checkpointer.last is not None)
