"""Document fields: gazette feed entries, their pages and connector-given values -> number, type, dates ..."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.base import RawRecord
from hub.items import Item
from hub.pipeline.normalise import normalise_record
from hub.pipeline.normalise.documents import doc_type_name, local_date, signer_list

SOURCE_URL = "https://congbao.chinhphu.vn/cac-van-ban-moi-ban-hanh.rss"
PAGE_URL = "https://congbao.chinhphu.vn/van-ban/nghi-dinh-so-317-2026-nd-cp-51836.htm"
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TITLE_317 = (
    "Nghị định số 317/2026/NĐ-CP ngày 14/11/2026 của Chính phủ sửa đổi, bổ sung một số điều của "
    "Nghị định số 168/2024/NĐ-CP ngày 26 tháng 12 năm 2024 quy định xử phạt vi phạm hành chính về trật tự, "
    "an toàn giao thông trong lĩnh vực giao thông đường bộ"
)
ABSTRACT_317 = (
    "Sửa đổi, bổ sung một số điều của Nghị định số 168/2024/NĐ-CP về xử phạt vi phạm hành chính về trật tự, "
    "an toàn giao thông trong lĩnh vực giao thông đường bộ. Có hiệu lực thi hành từ ngày 15/12/2026."
)
# The congbao document page as the feed connector extracts it (main.detail-van-ban).
PAGE_317 = """
<h1 class="title">Nghị định số 317/2026/NĐ-CP ngày 14/11/2026 của Chính phủ sửa đổi, bổ sung</h1>
<table class="thuoc-tinh">
  <tr><td class="label">Số ký hiệu</td><td>317/2026/NĐ-CP</td></tr>
  <tr><td class="label">Loại văn bản</td><td>Nghị định</td></tr>
  <tr><td class="label">Cơ quan ban hành</td><td>Chính phủ</td></tr>
  <tr><td class="label">Ngày ban hành</td><td>14/11/2026</td></tr>
  <tr><td class="label">Ngày có hiệu lực</td><td>01/01/2027</td></tr>
  <tr><td class="label">Người ký</td><td>Phó Thủ tướng Chính phủ Trần Hồng Hà</td></tr>
  <tr><td class="label">Tình trạng hiệu lực</td><td>Chưa có hiệu lực</td></tr>
</table>
<div class="trich-yeu"><strong>Trích yếu:</strong> Sửa đổi, bổ sung một số điều của Nghị định số
168/2024/NĐ-CP về xử phạt vi phạm hành chính.</div>
<div class="tai-ve">Tải về:
  <a href="/Uploaded/VanBan/2026/11/317-2026-NĐ-CP.signed.pdf">317-2026-NĐ-CP.signed.pdf</a>
  <a href="/Uploaded/VanBan/2026/11/317-2026-phu-luc.docx">Phụ lục</a>
  <a href="/van-ban/lien-quan.htm">Liên quan</a></div>
"""
# vbpl.vn "Thuộc tính": four cells a row, and one label for issuer, signer's title and signer.
VBPL_PAGE = """
<div class="vbInfo"><ul><li class="red"><span>Hiệu lực: </span> Còn hiệu lực</li></ul></div>
<div class="vbProperties"><table><tbody>
<tr><td colspan="4" class="title"> Tố tụng hình sự </td></tr>
<tr><td class="label"> Số ký hiệu </td><td> 101/2015/QH13 </td>
    <td class="label"> Ngày ban hành </td><td> 27/11/2015 </td></tr>
<tr><td class="label"> Loại văn bản </td>
    <td><a href="/TW/Pages/vanban.aspx?idLoaiVanBan=16"> Bộ luật </a></td>
    <td class="label"> Ngày có hiệu lực </td><td> 01/01/2018 </td></tr>
<tr><td class="label"> Cơ quan ban hành/ Chức danh / Người ký </td>
    <td><a href="/TW/Pages/vanban.aspx?cqbh=55"> Quốc hội</a></td>
    <td> Chủ tịch Quốc hội </td><td> Nguyễn Sinh Hùng </td></tr>
</tbody></table></div>
"""


def _item(title: str = TITLE_317, **fields: Any) -> Item:
    record = RawRecord(
        source_id="congbao-van-ban",
        content_type="document",
        url=PAGE_URL,
        guid="congbao-51836",
        fields={
            "title": title,
            "summary": ABSTRACT_317,
            "published": "19/11/2026 15:40",
            "author": "Phó Thủ tướng Chính phủ",
            "topics": ["Nghị định"],
            "feed_url": SOURCE_URL,
            **fields,
        },
        fetched_at=NOW,
    )
    return normalise_record(record, source_url=SOURCE_URL, now=NOW)


def test_gazette_feed_entry_gives_the_document_fields() -> None:
    assert _item().extra == {
        "feed_url": SOURCE_URL,
        "number": "317/2026/NĐ-CP",
        "number_key": "317/2026/NĐ-CP",
        "doc_type": "Nghị định",
        "issuer": ["Chính phủ"],
        "signer": [{"title": "Phó Thủ tướng Chính phủ"}],
        "issued_on": "2026-11-14",
        "effective_on": "2026-12-15",
        "abstract": ABSTRACT_317,
    }


def test_number_comes_from_the_title_not_the_cited_one() -> None:
    item = _item(summary="Bãi bỏ Quyết định số 90/2025/QĐ-UBND ngày 24/8/2025.")
    assert item.extra["number"] == "317/2026/NĐ-CP"


def test_document_page_properties_win_over_the_feed() -> None:
    extra = _item(body_html=PAGE_317, full_text_url=PAGE_URL).extra
    assert extra["effective_on"] == "2027-01-01"
    assert extra["validity_status"] == "Chưa có hiệu lực"
    assert extra["validity"] == "not_yet_in_force"
    assert extra["signer"] == [{"name": "Trần Hồng Hà", "title": "Phó Thủ tướng Chính phủ"}]
    assert extra["abstract"].startswith("Sửa đổi, bổ sung một số điều của Nghị định số 168/2024/NĐ-CP")


def test_attachments_are_absolute_with_their_kind() -> None:
    extra = _item(body_html=PAGE_317, full_text_url=PAGE_URL).extra
    assert extra["attachments"] == [
        {
            "kind": "signed-pdf",
            "name": "317-2026-NĐ-CP.signed.pdf",
            "url": "https://congbao.chinhphu.vn/Uploaded/VanBan/2026/11/317-2026-N%C4%90-CP.signed.pdf",
        },
        {
            "kind": "docx",
            "name": "Phụ lục",
            "url": "https://congbao.chinhphu.vn/Uploaded/VanBan/2026/11/317-2026-phu-luc.docx",
        },
    ]


def test_vbpl_four_cell_rows_and_combined_issuer_label() -> None:
    extra = _item(title="Bộ luật Tố tụng hình sự", summary="", author=None, body_html=VBPL_PAGE).extra
    assert extra["number"] == "101/2015/QH13"
    assert extra["doc_type"] == "Bộ luật"
    assert extra["issuer"] == ["Quốc hội"]
    assert extra["signer"] == [{"name": "Nguyễn Sinh Hùng", "title": "Chủ tịch Quốc hội"}]
    assert (extra["issued_on"], extra["effective_on"]) == ("2015-11-27", "2018-01-01")
    assert extra["validity"] == "in_force"


def test_connector_given_values_of_a_provincial_gazette() -> None:
    extra = _item(
        title="Quyết định ban hành Quy chế làm việc của Thường trực Hội đồng nhân dân tỉnh",
        summary="",
        author=None,
        number="số 01/QĐ-TT HĐND",
        doc_type="Quyết định của Thường trực HĐND tỉnh",
        issuer="HĐND Tỉnh Sơn La",
        signer="Phó Chủ tịch TTHĐND Vi Đức Thọ",
        issued_on="2026-04-22",
        validity_status="Đang hiệu lực",
    ).extra
    assert extra["number"] == "số 01/QĐ-TT HĐND"
    assert extra["number_key"] == "1/QĐ-TTHĐND|2026|hoi dong nhan dan tinh son la"
    assert extra["doc_type"] == "Quyết định"
    assert extra["signer"] == [{"name": "Vi Đức Thọ", "title": "Phó Chủ tịch TTHĐND"}]
    assert extra["validity"] == "in_force"
    # A title that is not "<type> số <number> ..." is the trích yếu itself.
    assert extra["abstract"] == "Quyết định ban hành Quy chế làm việc của Thường trực Hội đồng nhân dân tỉnh"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Thông tư số 41/2026/TT-BNNMT ngày 12/11/2026 của Bộ trưởng Bộ Nông nghiệp và Môi trường "
            "quy định kỹ thuật quan trắc môi trường không khí tự động",
            ("41/2026/TT-BNNMT", ["Bộ Nông nghiệp và Môi trường"], "2026-11-12"),
        ),
        (
            "Quyết định số 29/2026/QĐ-TTg ngày 13/11/2026 của Thủ tướng Chính phủ quy định tiêu chí",
            ("29/2026/QĐ-TTg", ["Thủ tướng Chính phủ"], "2026-11-13"),
        ),
        (
            "Nghị quyết 356/NQ-CP ngày 8 tháng 11 năm 2026 của Chính phủ về phiên họp Chính phủ thường kỳ",
            ("356/NQ-CP", ["Chính phủ"], "2026-11-08"),
        ),
        (
            "Quyết định số 37/2026/QĐ-UBND ngày 13/7/2026 của Ủy ban nhân dân tỉnh Sơn La ban hành Quy định",
            ("37/2026/QĐ-UBND", ["Ủy ban nhân dân tỉnh Sơn La"], "2026-07-13"),
        ),
    ],
)
def test_title_head_gives_number_issuer_and_date(title: str, expected: tuple[str, list[str], str]) -> None:
    extra = _item(title=title, summary="").extra
    assert (extra["number"], extra["issuer"], extra["issued_on"]) == expected
    assert extra["abstract"][0].isupper()


@pytest.mark.parametrize(
    "fields",
    [
        {"number": "89/2015/NÐ-CP"},  # Eth U+00D0, given by a connector
        {"body_html": "<table><tr><td>Số ký hiệu</td><td>89/2015/NÐ-CP</td></tr></table>"},
    ],
)
def test_number_with_eth_reads_as_dd(fields: dict[str, str]) -> None:
    extra = _item(title="Nghị định về bảo vệ, quản lý hệ thống văn bản", summary="", **fields).extra
    assert (extra["number"], extra["number_key"]) == ("89/2015/NĐ-CP", "89/2015/NĐ-CP")
    assert extra["issuer"] == ["Chính phủ"]


def test_title_citing_another_document_names_no_number() -> None:
    extra = _item(title="Bãi bỏ Quyết định số 90/2025/QĐ-UBND của UBND tỉnh", summary="").extra
    assert "number" not in extra
    assert "number_key" not in extra


def test_issuer_from_the_number_when_nothing_else_names_it() -> None:
    extra = _item(title="Thông tư hướng dẫn", summary="", number="24/2026/TT-BYT").extra
    assert (extra["issuer"], extra["doc_type"]) == (["Bộ Y tế"], "Thông tư")


def test_changed_validity_status_changes_the_content_hash() -> None:
    before = _item(validity_status="Còn hiệu lực")
    after = _item(validity_status="Hết hiệu lực toàn bộ")
    assert before.content_hash != after.content_hash
    assert after.extra["validity"] == "expired"


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Quyết định của UBND tỉnh", "Quyết định"),
        ("Nghị quyết của Thường trực HĐND tỉnh", "Nghị quyết"),
        ("Quyết đinh", "Quyết định"),  # misspelt in a vbpl scrape
        ("THÔNG TƯ LIÊN TỊCH", "Thông tư liên tịch"),
        ("Văn bản khác", "Văn bản khác"),
    ],
)
def test_doc_type_name(written: str, name: str) -> None:
    assert doc_type_name(written) == name


@pytest.mark.parametrize(
    ("written", "signers"),
    [
        ("Chủ tịch HĐND Lò Minh Hùng", [{"name": "Lò Minh Hùng", "title": "Chủ tịch HĐND"}]),
        (
            "Phó Chủ tịch Thường trực UBND tỉnh Hà Trung Chiến",
            [{"name": "Hà Trung Chiến", "title": "Phó Chủ tịch Thường trực UBND tỉnh"}],
        ),
        ("Thứ trưởng Bộ Y tế", [{"title": "Thứ trưởng Bộ Y tế"}]),
        ("Nguyễn Thị Hải Yến", [{"name": "Nguyễn Thị Hải Yến"}]),
        (
            "Bộ trưởng Bộ Tài chính Nguyễn Văn Thắng; Bộ trưởng Bộ Công Thương Nguyễn Hồng Diên",
            [
                {"name": "Nguyễn Văn Thắng", "title": "Bộ trưởng Bộ Tài chính"},
                {"name": "Nguyễn Hồng Diên", "title": "Bộ trưởng Bộ Công Thương"},
            ],
        ),
    ],
)
def test_signer_title_and_name_are_split(written: str, signers: list[dict[str, str]]) -> None:
    assert signer_list(written) == signers


@pytest.mark.parametrize(
    ("value", "day"),
    [
        (1740960000000, "2025-03-03"),  # UTC midnight: 07:00 in Hà Nội, same day
        (1782838800000, "2026-07-01"),  # Hà Nội midnight: 17:00Z the day before
        ("16/11/2026", "2026-11-16"),
        ("ngày 07 tháng 4 năm 2011", "2011-04-07"),
        ("2026-03-31", "2026-03-31"),
        ("", None),
        (None, None),
    ],
)
def test_local_date_is_the_hanoi_calendar_day(value: object, day: str | None) -> None:
    assert local_date(value) == day


def test_article_has_no_document_fields() -> None:
    record = RawRecord(
        source_id="mae-tin-tuc",
        content_type="article",
        url="https://mae.gov.vn/tin-tuc/nghi-dinh-317.htm",
        guid=None,
        fields={"title": TITLE_317, "summary": ABSTRACT_317},
        fetched_at=NOW,
    )
    assert normalise_record(record, source_url=SOURCE_URL, now=NOW).extra == {}
