"""Alembic migrations build the schema the models describe, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import hub.models  # noqa: F401  (fills SQLModel.metadata)
from hub.db import make_engine, upgrade_database
from tests.conftest import BACKENDS, fresh_database

EXPECTED_TABLES = {
    "alembic_version",
    "dedupe_band",
    "dedupe_generation",
    "dedupe_key",
    "dedupe_sketch",
    "editor_decision",
    "fetch_validator",
    "harvest",
    "harvest_issue",
    "item_version",
    "payload",
    "source",
    "stored_item",
    "story",
    "story_member",
}
HEAD = "0006"


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_builds_every_table_from_an_empty_database(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        upgrade_database(url)
        engine = make_engine(url)
        try:
            assert set(inspect(engine).get_table_names()) == EXPECTED_TABLES
        finally:
            engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_twice_is_a_no_op(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        upgrade_database(url)
        upgrade_database(url)
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                assert MigrationContext.configure(connection).get_current_revision() == HEAD
        finally:
            engine.dispose()


def test_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_works_from_another_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    upgrade_database("sqlite:///var/elsewhere.db")
    engine = make_engine("sqlite:///var/elsewhere.db")
    try:
        assert "stored_item" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
