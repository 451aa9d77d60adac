"""`portalhub stories show | split | merge` on a hub that harvested the sample portals over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session
from typer.testing import CliRunner, Result

from hub.cli import app
from hub.db import make_engine
from hub.demo import serve_sample_portals
from hub.models import EditorDecision, StoredItem

WIDE = {"COLUMNS": "250"}
FLOOD = "chỉ đạo ứng phó mưa lũ tại Nam Trung Bộ"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=WIDE)


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A SQLite hub that harvested every sample portal; yields its database URL."""
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTALHUB_DATABASE_URL", url)
    monkeypatch.setenv("PORTALHUB_PER_HOST_DELAY", "0")
    with serve_sample_portals() as portals:
        sources = portals.write_sources(tmp_path / "sources.yaml")
        assert run("init").exit_code == 0
        assert run("sources", "sync", str(sources)).exit_code == 0
        assert run("harvest", "--all").exit_code == 0
        yield url


def _items(url: str, words: str) -> list[StoredItem]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            rows = session.execute(select(StoredItem).order_by(StoredItem.published)).scalars()
            return [item for item in rows if words in item.title]
    finally:
        engine.dispose()


def test_show_lists_the_story_with_its_canonical_and_the_rule_of_each_copy(hub: str) -> None:
    original, copy = _items(hub, FLOOD)
    result = run("stories", "show", str(original.story_id))
    lines = [line.split() for line in result.output.splitlines()]
    [canonical] = [line for line in lines if line[:1] == ["*"]]
    [republication] = [line for line in lines if line[:1] == [str(copy.id)]]
    assert result.exit_code == 0
    assert "canonical elected by: credited" in result.output  # the copy says "Nguồn: mae.gov.vn"
    assert canonical[1:4] == [str(original.id), "mae-tin-tuc", "2026-11-19"]
    assert republication[1:4] == ["khanhhoa-tin-tuc", "2026-11-20", "07:45"]
    # Harvests run side by side: whichever of the two came first started the story, the other matched it.
    assert sorted(line[5 if line[0] == "*" else 4] for line in (canonical, republication)) == [
        "first",
        "near",
    ]
    assert "jaccard 0.8" in result.output


def test_split_then_merge_puts_the_copy_back_under_the_original_story(hub: str) -> None:
    original, copy = _items(hub, FLOOD)
    split = run("stories", "split", str(copy.id), "--by", "bien-tap-vien", "--note", "tin khác")
    _, after_split = _items(hub, FLOOD)
    merged = run("stories", "merge", str(original.story_id), str(after_split.story_id))
    _, after_merge = _items(hub, FLOOD)
    assert (split.exit_code, merged.exit_code) == (0, 0)
    assert after_split.story_id != original.story_id
    assert f"item {copy.id} is now in story {after_split.story_id}" in split.output
    assert after_merge.story_id == original.story_id
    assert not after_merge.is_canonical
    engine = make_engine(hub)
    with Session(engine) as session:
        actions = [(d.action, d.by) for d in session.execute(select(EditorDecision)).scalars()]
    engine.dispose()
    assert actions == [("split", "bien-tap-vien"), ("merge", "editor")]


@pytest.mark.parametrize("args", [("show", "999999"), ("split", "999999"), ("merge", "1", "999999")])
def test_unknown_ids_exit_2_and_change_nothing(hub: str, args: tuple[str, ...]) -> None:
    result = run("stories", *args)
    assert result.exit_code == 2
    assert "999999" in result.stderr
