"""normalise_record: a raw record as a connector yields it -> the item the hub stores."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from connectors.base import RawRecord
from hub.errors import DropRecord
from hub.items import DatePrecision, IdentityRule
from hub.pipeline.normalise import normalise_record
from hub.pipeline.normalise.credit import take_credit
from hub.pipeline.normalise.documents import normalise_document_fields
from hub.pipeline.normalise.fields import summary_text
from hub.pipeline.normalise.html import first_image, html_to_text, sanitise_body
from tests.hub.test_normalise_html import HOSTILE_BODIES

SOURCE_URL = "https://khanhhoa.gov.vn/rss/tin-tuc.rss"
FETCHED = datetime(2026, 5, 12, 3, 0, tzinfo=UTC)
NOW = datetime(2026, 5, 12, 3, 0, 5, tzinfo=UTC)
BODY = """
<p>Sáng 12/5, <b>UBND tỉnh Khánh Hoà</b> tổ chức hội nghị triển khai công tác thuỷ lợi năm 2026.</p>
<script>alert('x')</script>
<p><img src="/uploads/2026/05/hoi-nghi.jpg" alt="Quang cảnh hội nghị"></p>
<p>Lượt xem: 1.234</p>
<p>Nguồn: Cổng TTĐT tỉnh Khánh Hòa</p>
"""


def _record(
    url: str = "/tin-tuc/hoi-nghi-thuy-loi-12345.html?utm_source=zalo&zarsrc=31",
    guid: str | None = None,
    **fields: Any,
) -> RawRecord:
    base: Mapping[str, Any] = {
        "title": "Khánh Hoà: Hội nghị triển khai công tác thuỷ lợi",
        "summary": '<img src="/uploads/thumb.jpg"> UBND tỉnh tổ chức hội nghị về thủy lợi.',
        "body_html": BODY,
        "published": "Thứ Ba, 12/05/2026 - 08:30",
        "author": " Minh\u00a0Anh ",
        "topics": ["Thời sự", "Thuỷ lợi", "thủy lợi", " "],
        "base_url": "https://khanhhoa.gov.vn/",
    }
    return RawRecord(
        source_id="khanhhoa-tin-tuc",
        content_type="article",
        url=url,
        guid=guid,
        fields={**base, **fields},
        fetched_at=FETCHED,
        entry_digest="d1",
        payload_hash="p1",
    )


def test_feed_article_becomes_a_clean_item() -> None:
    item = normalise_record(_record(), source_url=SOURCE_URL, now=NOW)
    assert item.url == "https://khanhhoa.gov.vn/tin-tuc/hoi-nghi-thuy-loi-12345.html"
    assert item.identity == item.url
    assert item.identity_rule is IdentityRule.URL
    assert item.title == "Khánh Hoà: Hội nghị triển khai công tác thuỷ lợi"
    assert item.summary == "UBND tỉnh tổ chức hội nghị về thủy lợi."
    assert "<script" not in item.body_html
    assert 'src="https://khanhhoa.gov.vn/uploads/2026/05/hoi-nghi.jpg"' in item.body_html
    assert "Lượt xem" not in item.body_text
    assert item.body_text.startswith("Sáng 12/5, UBND tỉnh Khánh Hoà")
    assert item.published == datetime(2026, 5, 12, 1, 30, tzinfo=UTC)
    assert item.published_precision is DatePrecision.DATETIME
    assert item.author == "Minh Anh"
    assert item.topics == ["Thời sự", "Thuỷ lợi"]
    assert item.image_url == "https://khanhhoa.gov.vn/uploads/thumb.jpg"
    assert item.credited_source == "Nguồn: Cổng TTĐT tỉnh Khánh Hòa"
    assert (item.source_id, item.content_type, item.entry_digest, item.payload_hash) == (
        "khanhhoa-tin-tuc",
        "article",
        "d1",
        "p1",
    )
    assert item.flags == []
    assert item.fetched_at == FETCHED


def test_every_text_field_is_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Khánh Hoà: Hội nghị thuỷ lợi")
    item = normalise_record(_record(title=nfd, author=nfd, topics=[nfd]), source_url=SOURCE_URL, now=NOW)
    for text in (item.title, item.summary, item.body_text, item.body_html, item.author or "", *item.topics):
        assert unicodedata.is_normalized("NFC", text)


def test_guid_names_the_item_when_not_reused() -> None:
    item = normalise_record(_record(guid="khanhhoa-12345"), source_url=SOURCE_URL, now=NOW)
    assert (item.identity, item.identity_rule, item.guid) == (
        "khanhhoa-12345",
        IdentityRule.GUID,
        "khanhhoa-12345",
    )


def test_reused_guid_falls_back_to_the_url() -> None:
    item = normalise_record(_record(guid="1", guid_reused=True), source_url=SOURCE_URL, now=NOW)
    assert item.identity_rule is IdentityRule.URL


def test_link_to_the_listing_page_is_no_identity() -> None:
    item = normalise_record(_record(url=SOURCE_URL), source_url=SOURCE_URL, now=NOW)
    assert item.identity_rule is IdentityRule.CONTENT_HASH


def test_record_without_link_uses_content_hash_and_source_url() -> None:
    item = normalise_record(_record(url=""), source_url=SOURCE_URL, now=NOW)
    assert item.identity_rule is IdentityRule.CONTENT_HASH
    assert item.url == "https://khanhhoa.gov.vn/"


def test_unchanged_entry_hashes_the_same_at_every_harvest() -> None:
    first = normalise_record(_record(published=""), source_url=SOURCE_URL, now=NOW)
    later_record = _record(published="")
    later = normalise_record(
        RawRecord(
            **{
                **{f: getattr(later_record, f) for f in later_record.__slots__},
                "fetched_at": FETCHED + timedelta(hours=1),
            }
        ),
        source_url=SOURCE_URL,
        now=NOW + timedelta(hours=1),
    )
    assert first.content_hash == later.content_hash
    assert first.identity == later.identity
    assert later.published_precision is DatePrecision.FETCHED
    assert later.flags == ["date.from_fetch"]


def test_edit_at_the_source_changes_the_content_hash() -> None:
    first = normalise_record(_record(), source_url=SOURCE_URL, now=NOW)
    edited = normalise_record(
        _record(title="Khánh Hòa: Hội nghị thủy lợi (cập nhật)"), source_url=SOURCE_URL, now=NOW
    )
    assert first.content_hash != edited.content_hash
    assert first.identity == edited.identity


def test_future_date_is_clamped_and_flagged() -> None:
    item = normalise_record(
        _record(published="Thứ 5, 28/05/2026 17:00:00 GMT+7"), source_url=SOURCE_URL, now=NOW
    )
    assert item.published == NOW
    assert item.flags == ["date.future_clamped"]


def test_future_tolerance_is_configurable() -> None:
    soon = "12/05/2026 10:20"  # 10:20 +07 is 20 minutes after NOW
    assert normalise_record(_record(published=soon), source_url=SOURCE_URL, now=NOW).published == NOW
    kept = normalise_record(
        _record(published=soon), source_url=SOURCE_URL, now=NOW, future_tolerance=timedelta(hours=1)
    )
    assert kept.published == datetime(2026, 5, 12, 3, 20, tzinfo=UTC)


def test_mojibake_title_is_repaired_and_flagged() -> None:
    item = normalise_record(_record(title="Nghá»‹ Ä‘á»‹nh sá»‘ 43"), source_url=SOURCE_URL, now=NOW)
    assert item.title == "Nghị định số 43"
    assert item.flags == ["text.mojibake_repaired"]


def test_control_characters_are_removed_and_the_item_flagged(caplog: pytest.LogCaptureFixture) -> None:
    record = _record(
        title="Khánh Hoà: Hội nghị\x07 triển khai công tác thuỷ lợi",
        summary="UBND tỉnh tổ chức hội nghị\x0bvề thủy lợi.",
        body_html="<p>Kế hoạch chi tiết tại Phụ lục, trang\x0c2.</p>",
    )
    with caplog.at_level(logging.INFO, logger="hub.pipeline.normalise"):
        item = normalise_record(record, source_url=SOURCE_URL, now=NOW)
    assert (item.title, item.summary, item.body_text) == (
        "Khánh Hoà: Hội nghị triển khai công tác thuỷ lợi",
        "UBND tỉnh tổ chức hội nghị về thủy lợi.",
        "Kế hoạch chi tiết tại Phụ lục, trang 2.",
    )
    assert item.body_html == "<p>Kế hoạch chi tiết tại Phụ lục, trang 2.</p>"
    assert item.flags == ["text.control_chars_removed"]
    [logged] = [r for r in caplog.records if r.getMessage().startswith("control characters removed")]
    assert logged.getMessage() == (
        "control characters removed: title U+0007; summary U+000B; body_html U+000C"
    )
    assert (logged.source_id, logged.stage) == ("khanhhoa-tin-tuc", "normalise")  # type: ignore[attr-defined]


def test_a_lone_surrogate_loses_no_text() -> None:
    # An API that cut a string inside an emoji sends half of it; the HTML parser stopped reading there.
    body = "<p>Chúc mừng năm mới \ud83c</p><p>UBND tỉnh Khánh Hòa gửi lời chúc đến nhân dân.</p>"
    item = normalise_record(_record(body_html=body, author="Minh Anh\ud83d"), source_url=SOURCE_URL, now=NOW)
    assert item.body_text == "Chúc mừng năm mới\n\nUBND tỉnh Khánh Hòa gửi lời chúc đến nhân dân."
    assert item.author == "Minh Anh"
    assert item.flags == ["text.control_chars_removed"]


def test_text_after_a_comment_in_summary_and_title_is_kept() -> None:
    item = normalise_record(
        _record(
            title="<b>Khánh Hòa</b>:<!-- tiêu đề --> Hội nghị thủy lợi",
            summary="<p>UBND tỉnh tổ chức<!-- mô tả --> hội nghị về thủy lợi.</p>",
        ),
        source_url=SOURCE_URL,
        now=NOW,
    )
    assert (item.title, item.summary) == (
        "Khánh Hòa: Hội nghị thủy lợi",
        "UBND tỉnh tổ chức hội nghị về thủy lợi.",
    )


@pytest.mark.parametrize("empty", ["", "   ", "<p>Lượt xem: 12</p>", "<script>x()</script>"])
def test_record_without_title_and_content_is_dropped(empty: str) -> None:
    with pytest.raises(DropRecord) as caught:
        normalise_record(_record(title="", summary="", body_html=empty), source_url=SOURCE_URL, now=NOW)
    assert caught.value.code == "normalise.empty"
    assert caught.value.stage == "normalise"
    assert (
        caught.value.url
        == "https://khanhhoa.gov.vn/tin-tuc/hoi-nghi-thuy-loi-12345.html?utm_source=zalo&zarsrc=31"
    )


def test_untitled_record_gets_a_title_from_its_text() -> None:
    item = normalise_record(_record(title=""), source_url=SOURCE_URL, now=NOW)
    assert item.title == "UBND tỉnh tổ chức hội nghị về thủy lợi."
    assert item.flags == ["title.from_body"]


def test_summary_falls_back_to_the_opening_of_the_body() -> None:
    long_body = "<p>" + "Tỉnh Khánh Hòa đẩy mạnh chuyển đổi số trong cơ quan nhà nước. " * 10 + "</p>"
    item = normalise_record(_record(summary="", body_html=long_body), source_url=SOURCE_URL, now=NOW)
    assert item.summary.startswith("Tỉnh Khánh Hòa đẩy mạnh")
    assert item.summary.endswith("…")
    assert len(item.summary) <= 301


def test_unknown_fields_travel_in_extra() -> None:
    item = normalise_record(
        _record(number="43/2011/NĐ-CP", signer="Nguyễn Tấn Dũng"), source_url=SOURCE_URL, now=NOW
    )
    assert item.extra == {"number": "43/2011/NĐ-CP", "signer": "Nguyễn Tấn Dũng"}


def test_relative_image_url_field_is_made_absolute() -> None:
    item = normalise_record(_record(image_url="../uploads/anh-dai-dien.jpg"), source_url=SOURCE_URL, now=NOW)
    assert item.image_url == "https://khanhhoa.gov.vn/uploads/anh-dai-dien.jpg"


@pytest.mark.parametrize(
    ("raw_title", "title"),
    [
        ("<b>Khánh Hòa</b>: Hội nghị<br/>thủy lợi", "Khánh Hòa: Hội nghị thủy lợi"),
        ("Quy&#x1EBF;t &#x111;&#x1ECB;nh s&#x1ED1; 1182/Q&#x110;-UBND", "Quyết định số 1182/QĐ-UBND"),
        ("Ph&aacute;t tri&#7875;n du l&#7883;ch", "Phát triển du lịch"),
    ],
)
def test_titles_with_markup_or_entities_become_plain_text(raw_title: str, title: str) -> None:
    assert normalise_record(_record(title=raw_title), source_url=SOURCE_URL, now=NOW).title == title


def test_windows_1258_body_is_nfc_text() -> None:
    body = b"<p>C\xf4ng v\xe3n s\xf4\xec 12 g\xfd\xd2i UBND ti\xd2nh</p>".decode("cp1258")
    item = normalise_record(_record(body_html=body), source_url=SOURCE_URL, now=NOW)
    assert item.body_text == unicodedata.normalize("NFC", body.removeprefix("<p>").removesuffix("</p>"))
    assert unicodedata.is_normalized("NFC", item.body_html)


# Each source text is parsed once in `read_content`; these pin that the item says what the helpers, each
# parsing for itself, say: sanitised body, its text, the summary, the credit line and the summary image.
ITEM_URL = "https://khanhhoa.gov.vn/tin-tuc/hoi-nghi-thuy-loi-12345.html"


@pytest.mark.parametrize("body_html", HOSTILE_BODIES)
@pytest.mark.parametrize(
    "summary",
    [
        "",
        "UBND tỉnh tổ chức hội nghị về thủy lợi.",
        '<img src="/uploads/thumb.jpg"> UBND tỉnh tổ chức <b>hội nghị</b>.',
        "Tóm tắt bài viết. (Theo TTXVN)",
        "C«ng v¨n sè 12 cña UBND tØnh",
    ],
)
def test_one_parse_path_says_what_the_helpers_say(body_html: str, summary: str) -> None:
    record = _record(url=ITEM_URL, body_html=body_html, summary=summary, image_url=None)
    item = normalise_record(record, source_url=SOURCE_URL, now=NOW)
    sanitised = sanitise_body(body_html, base_url=ITEM_URL)
    text = html_to_text(sanitised)
    taken = take_credit(sanitised, text, summary_text(html_to_text(summary), text))
    assert (item.body_html, item.body_text, item.summary, item.credited_source) == (
        taken.body_html,
        taken.body_text,
        taken.summary,
        taken.line,
    )
    assert item.image_url == first_image(summary, base_url=ITEM_URL)


@pytest.mark.parametrize("body_html", HOSTILE_BODIES)
def test_document_fields_read_from_the_shared_tree_are_those_read_from_the_html(body_html: str) -> None:
    record = _record(url=ITEM_URL, body_html=body_html, title="Nghị định số 43/2026/NĐ-CP về đất đai")
    document = RawRecord(**{**_fields_of(record), "content_type": "document"})
    item = normalise_record(document, source_url=SOURCE_URL, now=NOW)
    expected = normalise_document_fields(
        document.fields, title=item.title, summary=item.summary, body_html=item.body_html, base_url=ITEM_URL
    )
    assert {key: item.extra[key] for key in expected} == expected


def _fields_of(record: RawRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in RawRecord.__dataclass_fields__}
