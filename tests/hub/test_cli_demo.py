"""`portalhub demo --no-serve`: the bundled portals harvested over loopback HTTP into the configured database.

Served on 127.0.0.1, the portals' feeds no longer carry their real hosts; each demo source names its
portal's address as `site`, so a copy crediting "Nguồn: mae.gov.vn" still elects mae's item.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlmodel import Session, col
from typer.testing import CliRunner

from hub.cli import app
from hub.db import make_engine
from hub.models import ElectedBy, StoredItem, Story, StoryMember
from tests.conftest import BACKENDS, fresh_database

FLOOD = "chỉ đạo ứng phó mưa lũ tại Nam Trung Bộ"  # in the titles of mae's original and khanhhoa's copy


@pytest.fixture(params=BACKENDS)
def demo_database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """An empty database the demo is pointed at, the demo's ./var/ under the test's folder."""
    with fresh_database(request.param, tmp_path) as url:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("PORTALHUB_DATABASE_URL", url)
        monkeypatch.setenv("PORTALHUB_PER_HOST_DELAY", "0")
        yield url


def _flood_story(url: str) -> tuple[dict[str, StoredItem], Story, dict[int, StoryMember]]:
    """The flood article by source, its story, and the story's members by item id."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            items = session.execute(select(StoredItem).where(col(StoredItem.title).contains(FLOOD))).scalars()
            by_source = {item.source_id: item for item in items}
            story_id = by_source["khanhhoa-tin-tuc"].story_id
            story = session.get_one(Story, story_id)
            members = session.execute(
                select(StoryMember).where(col(StoryMember.story_id) == story_id)
            ).scalars()
            return by_source, story, {member.item_id: member for member in members}
    finally:
        engine.dispose()


def test_demo_elects_the_item_of_the_portal_a_copy_credits(demo_database: str) -> None:
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--portal-port", "0"])
    written = yaml.safe_load(Path("var/demo-sources.yaml").read_text(encoding="utf-8"))["sources"]
    sites = {source["id"]: source["site"] for source in written}

    by_source, story, members = _flood_story(demo_database)
    original, copy = by_source["mae-tin-tuc"], by_source["khanhhoa-tin-tuc"]
    assert result.exit_code == 0, result.output
    assert (sites["mae-tin-tuc"], sites["khanhhoa-tin-tuc"]) == (
        "https://mae.gov.vn",
        "https://khanhhoa.gov.vn",
    )
    assert original.url.startswith("http://127.0.0.1:")
    assert members[copy.id].credited_source_id == "mae-tin-tuc"
    assert (story.canonical_item_id, story.elected_by) == (original.id, ElectedBy.CREDITED)
    assert (original.is_canonical, copy.is_canonical) == (True, False)
