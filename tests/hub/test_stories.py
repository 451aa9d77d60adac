"""The story stage over the database: copies join the original's story, hard negatives stay apart, the
canonical original is elected, story ids never change, editor overrides stick."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from dedupe import DEFAULT_SETTINGS, DedupeSettings
from hub.items import IdentityRule, Item
from hub.models import (
    DedupeSketch,
    EditorDecision,
    HarvestTrigger,
    Source,
    StoredItem,
    Story,
    StoryMember,
)
from hub.pipeline.fingerprints import FingerprintCache
from hub.pipeline.overrides import explain_item, merge_stories, split_item
from hub.pipeline.reindex import reindex_stories
from hub.pipeline.stories import StoryCounts, assign_stories
from hub.settings import Settings
from hub.storage.harvests import open_harvest
from hub.storage.items import store_items
from hub.storage.stories import items_to_assign
from tests.conftest import NOW, make_item
from tests.support.plans import plans_of

FLOOD_TITLE = "Bộ trưởng Bộ Nông nghiệp và Môi trường chỉ đạo ứng phó mưa lũ tại Nam Trung Bộ"
FLOOD = (
    "Chiều 19/11, Bộ trưởng Bộ Nông nghiệp và Môi trường đã ký Công điện số 27/CĐ-BNNMT gửi Chủ tịch UBND"
    " các tỉnh Quảng Ngãi, Gia Lai, Đắk Lắk, Khánh Hòa và Lâm Đồng về việc chủ động ứng phó với đợt mưa lớn,"
    " lũ và nguy cơ sạt lở đất từ ngày 20 đến 24/11.",
    "Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, từ đêm 20/11 khu vực Nam Trung Bộ có mưa to đến rất"
    " to với tổng lượng mưa phổ biến 250-400 mm, có nơi trên 600 mm.",
    "Bộ trưởng đề nghị các địa phương theo dõi chặt chẽ diễn biến mưa lũ, kịp thời thông báo cho người dân;"
    " rà soát, sẵn sàng sơ tán dân tại các khu vực trũng thấp, ven sông, ven suối và vùng có nguy cơ cao xảy"
    " ra lũ quét, sạt lở đất.",
    "Các địa phương triển khai phương án bảo đảm an toàn hồ đập, bố trí lực lượng thường trực vận hành, xả lũ"
    " đúng quy trình; chủ động tiêu nước, bảo vệ diện tích lúa đông xuân sớm và nuôi trồng thủy sản.",
)
MEETING = (
    "Chiều {day}, Bộ trưởng Bộ Nông nghiệp và Môi trường chủ trì họp giao ban tháng {month}/2026 với các đơn"
    " vị thuộc Bộ để đánh giá kết quả thực hiện nhiệm vụ và triển khai kế hoạch công tác tháng tới.",
    "Báo cáo tại cuộc họp cho biết, trong tháng {month} Bộ đã trình Chính phủ {drafts} dự thảo nghị định,"
    " ban hành {circulars} thông tư; giải ngân vốn đầu tư công đạt {share}% kế hoạch năm.",
    "Bộ trưởng yêu cầu các đơn vị tập trung hoàn thiện thể chế, đẩy nhanh giải ngân vốn đầu tư công, chủ"
    " động phòng, chống thiên tai và bảo đảm an toàn hồ đập trong mùa mưa lũ.",
)


@pytest.fixture
def sources(add_source: Callable[..., Source]) -> None:
    add_source(
        "mae-tin-tuc",
        name="Bộ Nông nghiệp và Môi trường - Tin tức",
        agency="Bộ Nông nghiệp và Môi trường",
        url="https://mae.gov.vn/rss/tin-tuc.rss",
        priority=80,
    )
    add_source(
        "khanhhoa-tin-tuc",
        name="Cổng TTĐT tỉnh Khánh Hòa",
        agency="UBND tỉnh Khánh Hòa",
        level="province",
        url="https://khanhhoa.gov.vn/rss/tin-tuc.rss",
        priority=50,
    )
    add_source(
        "gialai-tin-tuc",
        name="Cổng TTĐT tỉnh Gia Lai",
        agency="UBND tỉnh Gia Lai",
        level="province",
        url="https://gialai.gov.vn/rss/tin-tuc.rss",
        priority=50,
    )


def article(
    source_id: str, slug: str, title: str, paragraphs: tuple[str, ...], hours: float, **changes: Any
) -> Item:
    host = source_id.split("-")[0]
    body = "\n\n".join(paragraphs)
    values: dict[str, Any] = {
        "source_id": source_id,
        "identity": f"https://{host}.gov.vn/tin-tuc/{slug}.html",
        "identity_rule": IdentityRule.URL,
        "url": f"https://{host}.gov.vn/tin-tuc/{slug}.html",
        "title": title,
        "summary": paragraphs[0][:120],
        "body_html": "".join(f"<p>{p}</p>" for p in paragraphs),
        "body_text": body,
        "published": NOW - timedelta(days=3) + timedelta(hours=hours),
        "content_hash": f"{source_id}:{slug}:{len(body)}:{body[-20:]}",
        "entry_digest": f"{source_id}:{slug}",
    }
    return make_item(0, **{**values, **changes})


def harvest(
    session: Session, source_id: str, *items: Item, settings: DedupeSettings = DEFAULT_SETTINGS
) -> StoryCounts:
    """Store a batch as one harvest of `source_id` would, then run the story stage."""
    row = open_harvest(source_id, session=session, trigger=HarvestTrigger.CLI, now=NOW)
    store_items(list(items), session=session, harvest_id=row.id or 0, source_id=source_id, now=NOW)
    counts = assign_stories({row.id or 0: source_id}, session=session, settings=settings)
    session.commit()
    return counts


def item_of(session: Session, source_id: str, slug: str) -> StoredItem:
    session.expire_all()
    rows = session.exec(select(StoredItem).where(StoredItem.source_id == source_id)).all()
    [item] = [i for i in rows if slug in i.url]
    return item


def story_of(session: Session, item: StoredItem) -> Story:
    return session.get_one(Story, item.story_id)


COPY = (f"Bộ NN&MT: {FLOOD_TITLE}", (*FLOOD[:3], "Nguồn: mae.gov.vn"))


def test_copy_from_another_portal_joins_the_story_of_the_original(session: Session, sources: None) -> None:
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    counts = harvest(
        session,
        "khanhhoa-tin-tuc",
        article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", *COPY, 9, credited_source="Nguồn: mae.gov.vn"),
    )
    original, copy = item_of(session, "mae-tin-tuc", "mua-lu"), item_of(session, "khanhhoa-tin-tuc", "mua-lu")
    grouping = explain_item(copy.id or 0, session=session)
    assert counts == StoryCounts(joined=1)
    assert copy.story_id == original.story_id
    assert (original.is_canonical, copy.is_canonical) == (True, False)
    assert grouping is not None
    assert (grouping.rule, grouping.matched_item_id, grouping.credited_source_id) == (
        "near",
        original.id,
        "mae-tin-tuc",
    )
    assert grouping.score >= 0.6
    assert "containment" in grouping.reason


def test_copies_find_their_original_after_the_index_is_rebuilt(session: Session, sources: None) -> None:
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    first_copy = article("gialai-tin-tuc", "mua-lu-nam-trung-bo", *COPY, 5)
    harvest(session, "gialai-tin-tuc", first_copy)  # this process now holds the window
    assert reindex_stories(session) == 2
    session.commit()
    harvest(session, "khanhhoa-tin-tuc", article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", *COPY, 9))
    stories = {
        item_of(session, s, "mua-lu").story_id for s in ("mae-tin-tuc", "gialai-tin-tuc", "khanhhoa-tin-tuc")
    }
    sketches = session.exec(select(DedupeSketch)).all()
    assert len(stories) == 1
    assert len(sketches) == 3
    assert all(len(sketch.bands or b"") == 8 * DEFAULT_SETTINGS.bands for sketch in sketches)


def test_earlier_original_found_later_becomes_canonical_and_keeps_the_story_id(
    session: Session, sources: None
) -> None:
    harvest(session, "khanhhoa-tin-tuc", article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", *COPY, 9))
    first_story = item_of(session, "khanhhoa-tin-tuc", "mua-lu").story_id
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    original = item_of(session, "mae-tin-tuc", "mua-lu")
    story = story_of(session, original)
    assert story.id == first_story
    assert (story.canonical_item_id, story.elected_by) == (original.id, "earliest")


def test_credited_source_is_canonical_even_when_the_copy_was_published_first(
    session: Session, sources: None
) -> None:
    # The provincial portal's clock ran ahead: its copy claims an earlier time than the original.
    harvest(
        session,
        "khanhhoa-tin-tuc",
        article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", *COPY, -2, credited_source="Nguồn: mae.gov.vn"),
    )
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    original = item_of(session, "mae-tin-tuc", "mua-lu")
    story = story_of(session, original)
    assert (story.canonical_item_id, story.elected_by) == (original.id, "credited")


def test_source_priority_breaks_a_tie_in_publication_time(session: Session, sources: None) -> None:
    harvest(session, "khanhhoa-tin-tuc", article("khanhhoa-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    original = item_of(session, "mae-tin-tuc", "mua-lu")
    story = story_of(session, original)
    assert (story.canonical_item_id, story.elected_by) == (original.id, "priority")


def meeting(month: int, day: str, drafts: int, circulars: int, share: str, hours: float) -> Item:
    paragraphs = tuple(
        p.format(month=month, day=day, drafts=drafts, circulars=circulars, share=share) for p in MEETING
    )
    title = f"Bộ Nông nghiệp và Môi trường họp giao ban tháng {month}/2026"
    return article("mae-tin-tuc", f"giao-ban-thang-{month}", title, paragraphs, hours)


def test_monthly_meetings_of_the_same_ministry_stay_apart(session: Session, sources: None) -> None:
    harvest(
        session,
        "mae-tin-tuc",
        meeting(9, "6/10", 3, 7, "41,2", -24 * 20),
        meeting(10, "4/11", 5, 9, "52,8", 0),
    )
    september, october = (
        item_of(session, "mae-tin-tuc", "thang-9"),
        item_of(session, "mae-tin-tuc", "thang-10"),
    )
    assert september.story_id != october.story_id
    assert september.is_canonical
    assert october.is_canonical


def test_articles_further_apart_than_the_window_are_not_candidates(session: Session, sources: None) -> None:
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    harvest(session, "gialai-tin-tuc", article("gialai-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 24 * 45))
    original, late = item_of(session, "mae-tin-tuc", "mua-lu"), item_of(session, "gialai-tin-tuc", "mua-lu")
    assert original.story_id != late.story_id


def test_the_window_is_an_operator_setting(session: Session, sources: None) -> None:
    narrow = Settings(dedupe_window_days=3).dedupe()
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    harvest(
        session,
        "gialai-tin-tuc",
        article("gialai-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 24 * 5),
        settings=narrow,
    )
    harvest(session, "khanhhoa-tin-tuc", article("khanhhoa-tin-tuc", "mua-lu", *COPY, 24 * 5))
    original = item_of(session, "mae-tin-tuc", "mua-lu")
    assert item_of(session, "gialai-tin-tuc", "mua-lu").story_id != original.story_id
    assert item_of(session, "khanhhoa-tin-tuc", "mua-lu").story_id == original.story_id  # default: 30 days


def test_a_copy_harvested_with_its_original_joins_it_in_the_same_harvest(
    session: Session, sources: None
) -> None:
    # A provincial portal carries the ministry's text and, an hour later, its own shortened copy.
    counts = harvest(
        session,
        "gialai-tin-tuc",
        article("gialai-tin-tuc", "bo-nnmt-mua-lu", FLOOD_TITLE, FLOOD, 0),
        article("gialai-tin-tuc", "tom-tat-mua-lu", *COPY, 1),
    )
    first, copy = item_of(session, "gialai-tin-tuc", "bo-nnmt"), item_of(session, "gialai-tin-tuc", "tom-tat")
    assert counts == StoryCounts(started=1, joined=1)
    assert copy.story_id == first.story_id
    assert session.get_one(StoryMember, copy.id).matched_item_id == first.id
    assert (first.is_canonical, copy.is_canonical) == (True, False)


def test_candidates_are_screened_by_their_stored_signature_but_never_by_exact_key(
    session: Session, sources: None
) -> None:
    # Floors no estimate reaches: every band candidate read from the database is screened out, so the
    # copy starts a story of its own; the page with the same URL still joins by its exact key.
    strict = replace(DEFAULT_SETTINGS, estimated_jaccard_floor=1.01, estimated_containment_floor=1.01)
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    copy = article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", *COPY, 9)
    same_page = article(
        "gialai-tin-tuc", "x", FLOOD_TITLE, FLOOD, 3, url="https://mae.gov.vn/tin-tuc/mua-lu.html"
    )
    fingerprinted = []
    for source_id, item in (("khanhhoa-tin-tuc", copy), ("gialai-tin-tuc", same_page)):
        row = open_harvest(source_id, session=session, trigger=HarvestTrigger.CLI, now=NOW)
        store_items([item], session=session, harvest_id=row.id or 0, source_id=source_id, now=NOW)
        cache = FingerprintCache()
        assign_stories({row.id or 0: source_id}, session=session, settings=strict, cache=cache)
        fingerprinted.append(len(cache))
    session.commit()
    assert fingerprinted == [1, 2]  # the screened original's text was never read; the same page's was
    original = item_of(session, "mae-tin-tuc", "mua-lu")
    assert item_of(session, "khanhhoa-tin-tuc", "mua-lu").story_id != original.story_id
    assert item_of(session, "gialai-tin-tuc", "mae.gov.vn").story_id == original.story_id


def test_same_url_from_two_sources_is_one_story(session: Session, sources: None) -> None:
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    # An aggregating portal links the ministry's own page, with only a teaser of the text.
    teaser = article(
        "gialai-tin-tuc",
        "x",
        FLOOD_TITLE,
        (FLOOD[0][:60],),
        3,
        url="https://mae.gov.vn/tin-tuc/mua-lu.html",
        identity="https://mae.gov.vn/tin-tuc/mua-lu.html",
    )
    harvest(session, "gialai-tin-tuc", teaser)
    linked = item_of(session, "gialai-tin-tuc", "mae.gov.vn")
    assert linked.story_id == item_of(session, "mae-tin-tuc", "mua-lu").story_id
    assert session.get_one(StoryMember, linked.id).rule == "exact_url"


def test_the_stage_takes_the_harvests_items_and_the_sources_items_left_without_a_story(
    session: Session, sources: None
) -> None:
    harvest(session, "mae-tin-tuc", meeting(9, "6/10", 3, 7, "41,2", -24 * 20))
    # Stored without the stage (as before stories existed): each is left without a story.
    for source_id, item in (
        ("mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0)),
        ("khanhhoa-tin-tuc", article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", *COPY, 9)),
    ):
        row = open_harvest(source_id, session=session, trigger=HarvestTrigger.CLI, now=NOW)
        store_items([item], session=session, harvest_id=row.id or 0, source_id=source_id, now=NOW)
    session.commit()
    # The ministry's next harvest takes its new item and its item left over; not its item already in a
    # story, nor another portal's.
    counts = harvest(session, "mae-tin-tuc", meeting(10, "4/11", 5, 9, "52,8", 0))
    assert counts == StoryCounts(started=2)
    assert item_of(session, "mae-tin-tuc", "mua-lu").story_id is not None
    assert item_of(session, "khanhhoa-tin-tuc", "mua-lu").story_id is None


def test_the_stage_finds_its_items_by_index_not_by_reading_the_whole_source(tmp_path: Path) -> None:
    # A condition with OR read every item of the source at each harvest, tens of thousands on a big portal.
    reads = plans_of(
        lambda session: items_to_assign({7: "mae-tin-tuc"}, session=session), tmp_path, "stored_item"
    )
    assert any("ix_stored_item_unassigned" in read for read in reads), reads
    assert any("ix_stored_item_harvest" in read for read in reads), reads
    assert all("INTEGER PRIMARY KEY" in read or "_unassigned" in read or "_harvest" in read for read in reads)


def test_an_edited_item_keeps_its_story(session: Session, sources: None) -> None:
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    harvest(session, "khanhhoa-tin-tuc", article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", *COPY, 9))
    story = item_of(session, "khanhhoa-tin-tuc", "mua-lu").story_id
    edited = article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", COPY[0], ("Nội dung đang được cập nhật.",), 9)
    counts = harvest(session, "khanhhoa-tin-tuc", edited)
    assert counts == StoryCounts(kept=1)
    assert item_of(session, "khanhhoa-tin-tuc", "mua-lu").story_id == story


def test_a_split_item_stays_out_after_an_edit_and_new_copies(session: Session, sources: None) -> None:
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    harvest(session, "khanhhoa-tin-tuc", article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", *COPY, 9))
    copy = item_of(session, "khanhhoa-tin-tuc", "mua-lu")
    original_story = copy.story_id
    new_story = split_item(copy.id or 0, session=session, by="bien-tap-vien", note="khác sự kiện")
    session.commit()
    edited = article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", COPY[0], (*COPY[1], "Ảnh: Minh Anh"), 9)
    harvest(session, "khanhhoa-tin-tuc", edited)
    harvest(session, "gialai-tin-tuc", article("gialai-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 12))
    copy = item_of(session, "khanhhoa-tin-tuc", "mua-lu")
    assert copy.story_id == new_story.id != original_story
    assert copy.is_canonical
    assert item_of(session, "mae-tin-tuc", "mua-lu").is_canonical
    decisions = session.exec(select(EditorDecision).where(EditorDecision.item_id == copy.id)).all()
    assert [(d.action, d.by, d.note) for d in decisions] == [("split", "bien-tap-vien", "khác sự kiện")]


def test_merged_stories_stay_merged_and_keep_the_first_id(session: Session, sources: None) -> None:
    harvest(
        session,
        "mae-tin-tuc",
        meeting(9, "6/10", 3, 7, "41,2", -24 * 20),
        meeting(10, "4/11", 5, 9, "52,8", 0),
    )
    september, october = (
        item_of(session, "mae-tin-tuc", "thang-9"),
        item_of(session, "mae-tin-tuc", "thang-10"),
    )
    kept = merge_stories(september.story_id or 0, october.story_id or 0, session=session)
    session.commit()
    harvest(session, "mae-tin-tuc", meeting(10, "4/11", 6, 9, "52,8", 0))  # edited at the source
    october = item_of(session, "mae-tin-tuc", "thang-10")
    assert october.story_id == kept.id == september.story_id
    assert story_of(session, october).canonical_item_id == september.id
    assert session.get_one(Story, kept.id).merged_into is None
    assert not october.is_canonical


def test_an_editor_split_leaves_the_session_showing_the_new_election(session: Session, sources: None) -> None:
    harvest(session, "mae-tin-tuc", article("mae-tin-tuc", "mua-lu", FLOOD_TITLE, FLOOD, 0))
    harvest(session, "khanhhoa-tin-tuc", article("khanhhoa-tin-tuc", "bo-nnmt-mua-lu", *COPY, 9))
    original, copy = item_of(session, "mae-tin-tuc", "mua-lu"), item_of(session, "khanhhoa-tin-tuc", "mua-lu")
    old_story = story_of(session, copy)
    assert (old_story.canonical_item_id, copy.is_canonical) == (original.id, False)
    # The original split out of its story: the copy left behind is elected its canonical, and the
    # objects this session already held say so.
    new_story = split_item(original.id or 0, session=session)
    assert (new_story.canonical_item_id, original.is_canonical) == (original.id, True)
    assert (old_story.canonical_item_id, copy.is_canonical) == (copy.id, True)
