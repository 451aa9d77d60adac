"""A `json` source harvested over loopback HTTP: what an API can send and a feed cannot is stored cleanly."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from hub.harvest import harvest_sources
from hub.models import HarvestStatus, Source
from hub.settings import Settings
from hub.storage.harvests import list_harvests, list_issues
from hub.storage.items import list_items
from tests.support.http import Reply, serve

LISTING = "/api/v1/tin-tuc/danh-sach.json"
OPTIONS: dict[str, Any] = {
    "items_path": "data.items",
    "id_field": "id",
    "url_template": "/tin-tuc/chi-tiet.html?id={id}",
    "fields": {
        "title": "tieuDe",
        "summary": "tomTat",
        "body_html": "noiDung",
        "published": "ngayDang",
        "author": "tacGia",
    },
}
# Pasted from a Word file into the portal's editor: the form feed of a page break stayed in the text, and
# the API escapes it ("\f") where an RSS feed could not carry it at all.
PASTED = {
    "id": 2041,
    "tieuDe": "Báo cáo kết quả tiêm chủng mở rộng quý I/2026",
    "tomTat": "Bộ Y tế công bố kết quả tiêm chủng mở rộng\x0bquý I/2026.",
    "noiDung": (
        "<p>Tỷ lệ tiêm chủng đầy đủ cho trẻ dưới 1 tuổi đạt 96,2%.</p>"
        "<p>Chi tiết tại Phụ lục, trang\x0c2 của báo cáo.</p>"
        '<p><img src="/uploads/2026/04/tiem-chung.jpg" alt="Tiêm chủng\x07 tại Trạm y tế"></p>'
    ),
    "ngayDang": "08/04/2026 09:15",
    "tacGia": "Cục Y tế dự phòng",
}
CLEAN = {
    "id": 2042,
    "tieuDe": "Hướng dẫn phòng chống sốt xuất huyết mùa mưa",
    "tomTat": "Các địa phương chủ động diệt lăng quăng, bọ gậy.",
    "noiDung": "<p>Bộ Y tế đề nghị các tỉnh, thành phố tổ chức chiến dịch diệt lăng quăng.</p>",
    "ngayDang": "09/04/2026 14:00",
    "tacGia": "Cục Y tế dự phòng",
}


async def test_control_character_in_a_json_body_is_removed_and_the_item_stored_with_a_flag(
    settings: Settings, engine: Engine, session: Session, add_source: Callable[..., Source]
) -> None:
    listing = json.dumps({"data": {"items": [PASTED, CLEAN]}}, ensure_ascii=False).encode()
    assert b"\\f" in listing  # the form feed travels as JSON's own escape
    with serve({LISTING: Reply(listing, headers={"Content-Type": "application/json; charset=utf-8"})}) as api:
        add_source(
            "moh-tin-tuc",
            name="Bộ Y tế - Tin tức",
            agency="Bộ Y tế",
            kind="json",
            url=api.url(LISTING),
            options=OPTIONS,
        )
        [outcome] = await harvest_sources(["moh-tin-tuc"], settings=settings, engine=engine)

    session.rollback()  # a new transaction sees the harvest's commits
    harvest = list_harvests(session=session)[0]
    assert (outcome.status, outcome.items_new, outcome.error_count) == (HarvestStatus.SUCCESS, 2, 0)
    assert list_issues(harvest.id or 0, session=session) == []
    items = {item.guid: item for item in list_items(session=session)}
    pasted = items["2041"]
    assert pasted.flags == ["text.control_chars_removed"]
    assert items["2042"].flags == []
    assert pasted.summary == "Bộ Y tế công bố kết quả tiêm chủng mở rộng quý I/2026."
    assert "Chi tiết tại Phụ lục, trang 2 của báo cáo." in pasted.body_text
    assert 'alt="Tiêm chủng tại Trạm y tế"' in pasted.body_html
    assert not any(char in pasted.body_html + pasted.summary for char in "\x07\x0b\x0c")
