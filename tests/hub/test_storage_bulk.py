"""Many values in one parameter find exactly the rows holding them; rows inserted, or updated by key, in
one statement are written exactly as given, types (time zones included) kept; on both databases."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Connection, Select, insert, select
from sqlalchemy.exc import StatementError
from sqlmodel import Session

from hub.db import make_engine, upgrade_database
from hub.models import DedupeKey, Story, table_of
from hub.storage.bulk import bound_values, insert_rows, one_of, update_rows
from hub.storage.dedupe_sql import insert_index_rows, key_lookup
from tests.conftest import BACKENDS, NOW, fresh_database

STORIES = table_of(Story)


def _stories(session: Session, count: int) -> list[int]:
    rows = [
        {"content_type": "article", "elected_by": "earliest", "created_at": NOW, "updated_at": NOW}
        for _ in range(count)
    ]
    return [row.id for row in session.execute(insert(STORIES).returning(STORIES.c.id), rows)]


def test_each_row_named_gets_its_own_values_and_the_others_keep_theirs(session: Session) -> None:
    first, second, untouched = _stories(session, 3)
    later = NOW + timedelta(hours=7)
    update_rows(
        session.connection(),
        STORIES,
        "id",
        [
            {"id": first, "elected_by": "credited", "updated_at": later},
            {"id": second, "elected_by": "priority", "updated_at": later + timedelta(minutes=1)},
        ],
    )
    found = {row.id: (row.elected_by, row.updated_at) for row in session.execute(select(STORIES))}
    assert found == {
        first: ("credited", later),
        second: ("priority", later + timedelta(minutes=1)),
        untouched: ("earliest", NOW),
    }


def test_no_rows_changes_nothing(session: Session) -> None:
    _stories(session, 1)
    update_rows(session.connection(), STORIES, "id", [])
    assert session.execute(select(STORIES.c.elected_by)).scalars().all() == ["earliest"]


def test_thousands_of_values_are_looked_up_in_one_parameter(session: Session) -> None:
    ids = _stories(session, 5)
    postgresql = session.get_bind().dialect.name == "postgresql"
    asked = [ids[1], ids[3], *range(10**6, 10**6 + 5000)]  # far past any limit on bound parameters
    query = select(STORIES.c.id).where(one_of(STORIES.c.id, postgresql=postgresql))

    found = session.execute(query, {"values": bound_values(asked, postgresql=postgresql)}).scalars()

    assert sorted(found) == [ids[1], ids[3]]


def test_rows_inserted_in_one_statement_read_back_as_given(session: Session) -> None:
    later = NOW + timedelta(days=1, hours=7)
    rows = [
        {"content_type": "article", "elected_by": "earliest", "created_at": NOW, "updated_at": NOW},
        {"content_type": "document", "elected_by": "credited", "created_at": NOW, "updated_at": later},
    ]

    insert_rows(session.connection(), STORIES, rows)

    found = session.execute(select(STORIES.c.content_type, STORIES.c.elected_by, STORIES.c.updated_at))
    assert sorted(found) == [("article", "earliest", NOW), ("document", "credited", later)]


def test_strings_of_any_characters_are_looked_up_as_they_are(session: Session) -> None:
    postgresql = session.get_bind().dialect.name == "postgresql"
    awkward = ['Bộ TN&MT, "Nguồn"', "{a,b}", "back\\slash", "NULL", "", " dấu cách ", "ụ\u0301"]
    rows = [
        {"content_type": "article", "elected_by": value, "created_at": NOW, "updated_at": NOW}
        for value in [*awkward, "other"]
    ]
    insert_rows(session.connection(), STORIES, rows)
    query = select(STORIES.c.elected_by).where(one_of(STORIES.c.elected_by, postgresql=postgresql))

    found = session.execute(query, {"values": bound_values(awkward, postgresql=postgresql)}).scalars()

    assert sorted(found) == sorted(awkward)


def test_inserted_text_comes_back_exactly_and_none_as_null(session: Session) -> None:
    # On PostgreSQL the rows travel as COPY text, where tabs, newlines, backslashes and \\N mean something.
    awkward = ["tab\there", "dòng\nmới", "back\\slash", "\\N", 'Bộ TN&MT, "Nguồn"', "ụ\u0301", ""]
    rows = [
        {
            "content_type": "article",
            "elected_by": value,
            "merged_into": None,
            "created_at": NOW,
            "updated_at": NOW,
        }
        for value in awkward
    ]

    insert_rows(session.connection(), STORIES, rows)

    found = session.execute(select(STORIES.c.elected_by, STORIES.c.merged_into)).all()
    assert sorted(found) == sorted((value, None) for value in awkward)


def test_a_naive_time_is_refused_and_nothing_is_inserted(session: Session) -> None:
    naive = NOW.replace(tzinfo=None)
    rows = [{"content_type": "article", "elected_by": "earliest", "created_at": naive, "updated_at": NOW}]

    with pytest.raises((ValueError, StatementError), match="naive datetime"):
        insert_rows(session.connection(), STORIES, rows)
    session.rollback()

    assert session.execute(select(STORIES.c.id)).all() == []


def test_values_other_than_integers_and_strings_are_refused(session: Session) -> None:
    with pytest.raises(TypeError, match="integers or strings, not float"):
        bound_values([1, 2.5], postgresql=True)
    assert bound_values([np.int64(7), 2**62], postgresql=True) == "{7,4611686018427387904}"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_batch_of_keys_in_a_table_never_analysed_is_found_by_index_not_by_testing_every_row(
    backend: str, tmp_path: Path
) -> None:
    # A hub's first harvests run before the database has gathered statistics on `dedupe_key`. Asked as
    # `key = ANY(array)`, PostgreSQL then assumed each key matches 1 row in 200, so that a batch of 600
    # keys matched nearly every row: it read the whole table and tested each row against every key, for
    # each stage (0.5 s a stage at 30,000 keys stored, most of a cold harvest's time).
    stored = [("url", f"{n:064x}", n) for n in range(20_000)]
    asked = [f"{n:064x}" for n in range(0, 40_000, 67)]  # 600 keys, half of them stored
    with fresh_database(backend, tmp_path) as url:
        upgrade_database(url)
        engine = make_engine(url)
        try:
            with engine.begin() as connection:
                insert_index_rows(connection, DedupeKey, stored)
                postgresql = connection.dialect.name == "postgresql"
                statement = key_lookup(postgresql)
                values = {"values": bound_values(asked, postgresql=postgresql)}
                found = {row.item_id for row in connection.execute(statement, values)}
                plan = _plan(connection, statement, values)
        finally:
            engine.dispose()
    assert found == set(range(0, 20_000, 67))
    if postgresql:
        assert "Rows Removed by Filter" not in plan, plan
    else:
        assert "SEARCH dedupe_key USING COVERING INDEX ix_dedupe_key_lookup" in plan, plan


def _plan(connection: Connection, statement: Select[Any], values: dict[str, str]) -> str:
    """The plan the database follows for `statement`: PostgreSQL's as run (EXPLAIN ANALYZE), SQLite's
    query plan."""
    compiled = statement.compile(connection)
    parameters = compiled.construct_params(values)
    if connection.dialect.name == "postgresql":
        explain = f"EXPLAIN (ANALYZE, COSTS OFF) {compiled}"
        return "\n".join(row[0] for row in connection.exec_driver_sql(explain, parameters))
    positional = tuple(parameters[name] for name in compiled.positiontup or ())
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", positional)
    return "\n".join(row[-1] for row in rows)
