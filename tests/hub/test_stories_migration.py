"""Migration 0002 on a database holding items: each becomes a story whose id is the item's id (the id its
feed entries already carried), and later stories get fresh ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import func, text
from sqlmodel import Session, select

from hub.db import MIGRATIONS, make_engine, upgrade_database
from hub.models import DedupeKey, DedupeSketch, StoredItem, Story, StoryMember
from hub.storage.stories import start_story
from tests.conftest import BACKENDS, NOW, fresh_database

SOURCE = (
    "INSERT INTO source (id, name, agency, level, kind, content_type, url, topics, priority, review, options,"
    " enabled, consecutive_failures, created_at, updated_at) VALUES ('mae-tin-tuc', 'Bộ NN&MT - Tin tức',"
    " 'Bộ Nông nghiệp và Môi trường', 'ministry', 'feed', 'article', 'https://mae.gov.vn/rss/tin-tuc.rss',"
    " '[]', 80, false, '{}', true, 0, :now, :now)"
)
ITEM = (
    "INSERT INTO stored_item (id, source_id, identity, identity_rule, content_type, url, title, summary,"
    " body_html, body_text, published, published_precision, first_seen_at, last_changed_at, topics,"
    " content_hash, flags, extra, version, entry_digest, search_text, topic_keys) VALUES (:id, 'mae-tin-tuc',"
    " :url, 'url', 'article', :url, 'Bộ Nông nghiệp và Môi trường họp giao ban tháng 10/2026', '', '', '',"
    " :now, 'datetime', :now, :now, '[]', :hash, '[]', '{}', 1, '', '', '')"
)


def _upgrade(url: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", MIGRATIONS)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_items_stored_before_stories_keep_their_entry_ids(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        _upgrade(url, "0001")
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text(SOURCE), {"now": NOW})
            for item_id in (7, 12):
                values = {"id": item_id, "url": f"https://mae.gov.vn/tin/{item_id}.htm", "hash": str(item_id)}
                connection.execute(text(ITEM), {**values, "now": NOW})
        upgrade_database(url)
        with Session(engine) as session:
            items = [session.get_one(StoredItem, item_id) for item_id in (7, 12)]
            seen = [(item.story_id, item.is_canonical) for item in items]
            canonicals = [session.get_one(Story, item_id).canonical_item_id for item_id in (7, 12)]
            rules = [session.get_one(StoryMember, item_id).rule for item_id in (7, 12)]
            indexed = [_index_rows(session, item_id) for item_id in (7, 12)]
            fresh = start_story(items[0], session=session, now=NOW)
            session.rollback()
        engine.dispose()
    assert seen == [(7, True), (12, True)]
    assert canonicals == [7, 12]
    assert rules == ["first", "first"]
    assert indexed == [(32, 1), (32, 1)]  # 0005 indexed them: later copies find their stories
    assert fresh > 12


def _index_rows(session: Session, item_id: int) -> tuple[int, int]:
    """(band keys, exact-key rows) of one article: its bands ride in its sketch row."""
    sketch = session.exec(select(DedupeSketch).where(DedupeSketch.item_id == item_id)).one()
    keys = session.exec(select(func.count()).where(DedupeKey.item_id == item_id)).one()
    return len(sketch.bands or b"") // 8, keys
