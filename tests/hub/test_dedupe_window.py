"""Each process's window of article bands follows the database: what other processes append, what they
replace, a rebuilt index, a rolled-back write; an article older than the window held is found too."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from hub.storage import dedupe_window
from hub.storage.dedupe_index import IndexEntry, SqlIndex
from hub.storage.dedupe_window import WindowBands
from tests.conftest import NOW

WINDOW = timedelta(days=30)
REACH = int(WINDOW.total_seconds())
A = (11, 12, 13, 14)
B = (21, 22, 23, 24)


def _article(item_id: int, bands: tuple[int, ...], published: datetime = NOW) -> IndexEntry:
    return IndexEntry(item_id, bands, published, windowed=True)


def _write(engine: Engine, *entries: IndexEntry, replace: bool = False) -> None:
    """Another process's harvest: its sketches, committed."""
    with Session(engine) as session:
        index = SqlIndex(session, window=WINDOW)
        if replace:
            index.remove_bands([entry.item_id for entry in entries])
        index.add_entries(entries)
        session.commit()


def _found(window: WindowBands, engine: Engine, bands: tuple[int, ...], around: datetime = NOW) -> set[int]:
    with engine.begin() as connection:
        arounds = np.array([int(around.timestamp())])
        return window.candidates(connection, np.array([bands]), arounds, REACH, now=int(NOW.timestamp()))[0]


def test_articles_another_process_appends_are_found_without_reloading(engine: Engine) -> None:
    window = WindowBands()
    _write(engine, _article(1, A))
    assert _found(window, engine, A) == {1}
    loaded = window.bands
    _write(engine, _article(2, A), _article(3, B))
    assert _found(window, engine, A) == {1, 2}
    assert _found(window, engine, B) == {3}
    assert window.bands is loaded  # read the new rows only


def test_many_appended_rows_are_read_a_chunk_at_a_time(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dedupe_window, "_CHUNK_ROWS", 2)
    window = WindowBands()
    _write(engine, _article(1, A))
    assert _found(window, engine, A) == {1}
    loaded = window.bands
    _write(engine, *(_article(item_id, A if item_id % 2 else B) for item_id in range(2, 9)))
    assert (_found(window, engine, A), _found(window, engine, B)) == ({1, 3, 5, 7}, {2, 4, 6, 8})
    assert window.bands is loaded


def test_bands_another_process_replaced_stop_matching(engine: Engine) -> None:
    window = WindowBands()
    _write(engine, _article(1, A))
    assert _found(window, engine, A) == {1}
    _write(engine, _article(1, B), replace=True)
    assert (_found(window, engine, A), _found(window, engine, B)) == (set(), {1})


def test_a_rebuilt_index_or_a_removed_article_makes_every_process_reload(engine: Engine) -> None:
    window = WindowBands()
    _write(engine, _article(1, A), _article(2, A))
    assert _found(window, engine, A) == {1, 2}
    with Session(engine) as session:
        SqlIndex(session, window=WINDOW).remove(2)
        session.commit()
    assert _found(window, engine, A) == {1}


def test_rows_read_inside_a_transaction_that_rolled_back_are_forgotten(engine: Engine) -> None:
    window = WindowBands()
    _write(engine, _article(1, A))
    assert _found(window, engine, A) == {1}
    with Session(engine) as session:
        SqlIndex(session, window=WINDOW).add_entries([_article(2, A)])
        connection = session.connection()
        arounds = np.array([int(NOW.timestamp())])
        seen = window.candidates(connection, np.array([A]), arounds, REACH, now=int(NOW.timestamp()))[0]
        assert seen == {1, 2}
        session.rollback()
    _write(engine, _article(3, B))  # on SQLite, takes the rolled-back row's seq
    assert (_found(window, engine, A), _found(window, engine, B)) == ({1}, {3})


def test_an_article_older_than_the_window_held_is_answered_from_the_database(engine: Engine) -> None:
    window = WindowBands()
    year_ago = NOW - timedelta(days=365)
    _write(engine, _article(1, A, year_ago), _article(2, A, year_ago + timedelta(days=40)), _article(3, A))
    assert _found(window, engine, A) == {3}
    assert (window.floor or 0) > int(year_ago.timestamp())
    assert _found(window, engine, A, year_ago + timedelta(days=1)) == {1}
    assert _found(window, engine, A, year_ago + timedelta(days=20)) == {1, 2}


def test_the_window_held_moves_forward_with_the_newest_article(engine: Engine) -> None:
    window = WindowBands()
    old = NOW - timedelta(days=200)
    _write(engine, _article(1, A, old))
    assert _found(window, engine, A, old) == {1}
    _write(engine, _article(2, B))
    assert _found(window, engine, B) == {2}
    assert window.floor == int(NOW.timestamp()) - 2 * REACH
    assert len(window.bands) == 1  # the old article left memory
    assert _found(window, engine, A, old) == {1}  # and is still found from the database
