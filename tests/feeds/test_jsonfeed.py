"""JSON Feed 1.1: paging, items and the `_portalhub` object with attribution, republications and fields."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from typing import Any

from feeds import FeedPage, render
from tests.feeds.pages import ARTICLE, DECREE, SERVICE, minimal_page, sample_page


def _feed(page: FeedPage | None = None) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render(page or sample_page(), "json"))
    return document


def test_feed_head_carries_paging_links() -> None:
    page = sample_page()
    feed = _feed(page)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert (feed["feed_url"], feed["home_page_url"], feed["next_url"]) == (
        page.self_url,
        page.home_url,
        page.next_url,
    )
    assert feed["_portalhub"] == {
        "id": page.id,
        "updated": "2026-07-13T15:05:00+07:00",
        "first_url": page.first_url,
        "prev_url": page.prev_url,
    }
    assert feed["language"] == "vi"


def test_last_page_has_no_next_url() -> None:
    feed = _feed(minimal_page())
    assert "next_url" not in feed
    assert set(feed["_portalhub"]) == {"id", "updated"}


def test_article_item_keeps_the_entry_contract() -> None:
    item = _feed()["items"][0]
    assert item["id"] == ARTICLE.id
    assert item["url"] == ARTICLE.link
    assert item["title"] == unicodedata.normalize("NFC", ARTICLE.title)
    assert item["content_html"] == ARTICLE.content_html
    assert "\x0b" not in item["summary"]
    assert (item["date_published"], item["date_modified"]) == (
        "2026-07-13T08:30:00+07:00",
        "2026-07-13T15:05:00+07:00",
    )
    assert item["authors"] == [{"name": "Bộ Nông nghiệp và Môi trường"}]
    assert item["tags"] == ["Nông nghiệp", "Phòng, chống thiên tai"]
    assert item["image"] == ARTICLE.image_url


def test_extension_names_source_and_republications() -> None:
    extension = _feed()["items"][0]["_portalhub"]
    assert extension["content_type"] == "article"
    assert extension["attribution"] == {
        "source_id": "mae-tin-tuc",
        "portal": "Cổng TTĐT Bộ Nông nghiệp và Môi trường",
        "agency": "Bộ Nông nghiệp và Môi trường",
        "portal_url": "https://mae.gov.vn",
        "feed_url": "https://mae.gov.vn/rss/tin-tuc.rss",
    }
    assert extension["republications"][1] == {
        "url": "https://vinhlong.gov.vn/tin-tuc/ung-pho-thien-tai-mua-mua-bao.html",
        "source_id": "vinhlong-tin-tuc",
        "portal": "Cổng TTĐT tỉnh Vĩnh Long",
        "agency": "UBND tỉnh Vĩnh Long",
        "published": "2026-07-14T07:45:00+07:00",
    }
    assert "fields" not in extension


def test_document_fields_are_json_with_iso_dates() -> None:
    fields = _feed()["items"][2]["_portalhub"]["fields"]
    assert fields["number"] == "224/2026/NĐ-CP"
    assert (fields["issued_on"], fields["effective_on"]) == ("2026-06-24", "2026-07-01")
    assert fields["attachments"] == DECREE.fields["attachments"]
    assert fields["issuer"] == ["Chính phủ"]


def test_service_fields_keep_numbers_and_lists() -> None:
    fields = _feed()["items"][3]["_portalhub"]["fields"]
    assert fields == SERVICE.fields


def test_fields_outside_the_vocabulary_travel_too() -> None:
    extra = replace(DECREE, fields={"scope": "Toàn quốc", "gazette": {"issue": [1271, 1276]}, "note": None})
    fields = _feed(sample_page((extra,)))["items"][0]["_portalhub"]["fields"]
    assert fields == {"scope": "Toàn quốc", "gazette": {"issue": [1271, 1276]}}


def test_item_without_body_gives_text_content() -> None:
    items = _feed(minimal_page())["items"]
    assert items[0]["content_text"] == items[0]["title"]
    assert items[1]["content_text"] == DECREE.summary
    assert "authors" not in items[0]


def test_output_is_utf8_not_ascii_escaped() -> None:
    assert "Cổng TTĐT".encode() in render(sample_page(), "json")
