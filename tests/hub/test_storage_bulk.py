"""Many values in one parameter find exactly the rows holding them; rows inserted, or updated by key, in
one statement are written exactly as given, types (time zones included) kept; on both databases."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import StatementError
from sqlmodel import Session

from hub.models import Story, table_of
from hub.storage.bulk import bound_values, insert_rows, one_of, update_rows
from tests.conftest import NOW

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
