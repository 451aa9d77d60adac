"""compare(): exact keys by the ladder, republications seen through, hard negatives kept apart."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest

from dedupe.match import (
    KEY_LADDER,
    MatchKind,
    best_match,
    compare,
    exact_keys,
    fingerprint_item,
    plausible,
    plausible_among,
)
from dedupe.settings import DEFAULT_SETTINGS

T0 = datetime(2026, 5, 12, 2, 0, tzinfo=UTC)
TITLE = "Bộ trưởng Đỗ Đức Duy chủ trì hội nghị giao ban tháng 5 về chuyển đổi số trong quản lý đất đai"
BODY = [
    "Sáng 12/5, tại Hà Nội, Bộ trưởng Bộ Nông nghiệp và Môi trường Đỗ Đức Duy đã chủ trì hội nghị giao ban "
    "định kỳ tháng 5 về chuyển đổi số trong quản lý đất đai.",
    "Báo cáo tại hội nghị, đại diện Cục Chuyển đổi số cho biết trong tháng 5, toàn ngành đã hoàn thành 128 "
    "nhiệm vụ, đạt 92,5% kế hoạch; còn 14 nhiệm vụ đang triển khai.",
    "Kinh phí thực hiện lũy kế đạt 1.250 tỷ đồng; một số địa phương như tỉnh Khánh Hòa đã có cách làm sáng "
    "tạo, được cơ sở đánh giá cao.",
    "Phát biểu chỉ đạo, Bộ trưởng Đỗ Đức Duy đề nghị các đơn vị tập trung tháo gỡ vướng mắc về cơ chế, chính "
    "sách, đẩy nhanh tiến độ, không để nhiệm vụ nào bị chậm mà không có lý do chính đáng.",
    "Bộ trưởng cũng lưu ý việc phối hợp chặt chẽ với các bộ, ngành, địa phương, kịp thời báo cáo Chính phủ, "
    "Thủ tướng Chính phủ những vấn đề vượt thẩm quyền theo Nghị định 43/2011/NĐ-CP.",
]


def _fp(title: str = TITLE, body: list[str] | None = None, **kwargs):
    return fingerprint_item(title=title, body=BODY if body is None else body, **{"published": T0, **kwargs})


def _edit(old: str, new: str) -> list[str]:
    return [paragraph.replace(old, new) for paragraph in BODY]


ORIGINAL_URL = "https://mae.gov.vn/tin-tuc/hoi-nghi-giao-ban-thang-5.html"
ORIGINAL = _fp(url=ORIGINAL_URL, source_id="mae")


REPUBLICATIONS = [
    ("agency prefix", _fp(title=f"Bộ NN&MT: {TITLE}")),
    ("portal suffix", _fp(title=f"{TITLE} - Cổng TTĐT tỉnh Khánh Hòa")),
    ("credit line", _fp(body=[*BODY, "Nguồn: mae.gov.vn"])),
    (
        "furniture",
        _fp(body=["Lượt xem: 1.234", "In bài viết", *BODY, "Chia sẻ", "Tin liên quan", "Tin khác"]),
    ),
    ("photo caption", _fp(body=[BODY[0], "Quang cảnh hội nghị. Ảnh: Minh Anh", *BODY[1:]])),
    ("last paragraph dropped", _fp(body=BODY[:-1])),
    ("two last paragraphs dropped", _fp(body=BODY[:-2])),
    (
        "NFD",
        _fp(
            title=unicodedata.normalize("NFD", TITLE),
            body=[unicodedata.normalize("NFD", p) for p in BODY],
        ),
    ),
    ("old-style tones", _fp(body=_edit("lũy", "luỹ"))),
    ("tỷ written tỉ", _fp(body=_edit("tỷ", "tỉ"))),
    (
        "markup noise",
        _fp(body=[p.replace(" ", "&nbsp;", 2).replace("đất đai", "đất <br> đai") for p in BODY]),
    ),
    ("small edit", _fp(body=_edit("đã chủ trì", "chủ trì"))),
    ("a year added to a date", _fp(body=_edit("Sáng 12/5,", "Sáng 12/5/2026,"))),
]


@pytest.mark.parametrize(("name", "copy"), REPUBLICATIONS)
def test_republication_is_the_same_story(name: str, copy) -> None:
    match = compare(ORIGINAL, copy)
    assert match.is_duplicate, (name, match)
    assert match.kind in {MatchKind.NEAR, MatchKind.EXACT_CONTENT}


@pytest.mark.parametrize(
    ("name", "other", "conflict_kind"),
    [
        ("next month's meeting", _fp(body=_edit("Sáng 12/5", "Sáng 14/6")), "date"),
        ("other figures", _fp(body=_edit("128", "131")), "number"),
        ("other money", _fp(body=_edit("1.250 tỷ", "1.480 tỷ")), "number"),
        ("other minister", _fp(body=_edit("Đỗ Đức Duy", "Lê Công Thành")), "name"),
        ("other province", _fp(body=_edit("tỉnh Khánh Hòa", "tỉnh Ninh Bình")), "name"),
        ("other decree", _fp(body=_edit("43/2011/NĐ-CP", "42/2022/NĐ-CP")), "document_number"),
        ("other date, last paragraph dropped", _fp(body=_edit("Sáng 12/5", "Sáng 9/6")[:-1]), "date"),
    ],
)
def test_same_template_other_event_stays_apart(name: str, other, conflict_kind: str) -> None:
    match = compare(ORIGINAL, other)
    assert match.kind is MatchKind.NONE, name
    assert match.score > DEFAULT_SETTINGS.jaccard_threshold  # it looked alike; the facts decided
    assert match.conflicts
    assert match.conflicts[0].startswith(conflict_kind)


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        (
            _fp(url="https://mae.gov.vn/tin/1.html?utm_source=zalo", body=["Bài khác hẳn."]),
            _fp(url="https://www.mae.gov.vn/tin/1.html", body=["Nội dung đã sửa."]),
            MatchKind.EXACT_URL,
        ),
        (
            _fp(guid="https://mae.gov.vn/tin/1.html", source_id="mae", body=["Một."]),
            _fp(guid="https://mae.gov.vn/tin/1.html", source_id="khanhhoa", body=["Hai."]),
            MatchKind.EXACT_GUID,
        ),
        (
            _fp(guid="4521", source_id="mae", body=["Một."]),
            _fp(guid="4521", source_id="mae", body=["Hai."]),
            MatchKind.EXACT_GUID,
        ),
        (
            _fp(keys={"document": "43/2011/NĐ-CP|CP"}, body=["Một."]),
            _fp(keys={"document": "43/2011/NĐ-CP|CP"}, body=["Hai."]),
            MatchKind.EXACT_DOCUMENT,
        ),
        (
            _fp(keys={"service": "1.004227"}, body=["Một."]),
            _fp(keys={"service": "1.004227"}, body=["Hai."]),
            MatchKind.EXACT_SERVICE,
        ),
        (
            _fp(title="Tiêu đề một"),
            _fp(title="Tiêu đề khác hẳn", body=[*BODY, "Nguồn: mae.gov.vn"]),
            MatchKind.EXACT_CONTENT,
        ),
    ],
)
def test_exact_keys_decide_by_ladder(a, b, kind: MatchKind) -> None:
    match = compare(a, b)
    assert match.kind is kind
    assert match.score == 1.0


def test_numeric_guid_of_two_sources_is_no_match() -> None:
    a = _fp(title="Lịch tiếp công dân tháng 5", guid="4521", source_id="mae", body=["Thông báo lịch tiếp."])
    b = _fp(title="Kết quả xổ số kiến thiết", guid="4521", source_id="khanhhoa", body=["Kết quả mở thưởng."])
    assert compare(a, b).kind is MatchKind.NONE


def test_short_bodies_share_no_content_key() -> None:
    a = _fp(
        title="Quyết định số 120/QĐ-UBND về cải cách hành chính", body=["Xem chi tiết tại file đính kèm."]
    )
    b = _fp(title="Quyết định số 245/QĐ-UBND về an toàn thực phẩm", body=["Xem chi tiết tại file đính kèm."])
    assert "content" not in a.keys
    assert compare(a, b).kind is MatchKind.NONE


def test_short_items_with_the_same_title_match_by_jaccard() -> None:
    a = _fp(
        title="Quyết định số 120/QĐ-UBND về cải cách hành chính", body=["Xem chi tiết tại file đính kèm."]
    )
    b = _fp(title="Quyết định số 120/QĐ-UBND về cải cách hành chính", body=["Xem chi tiết tại file đính kèm"])
    assert compare(a, b).kind is MatchKind.NEAR


def test_items_outside_the_window_are_never_near() -> None:
    later = _fp(published=T0 + timedelta(days=DEFAULT_SETTINGS.article_window_days + 1), body=BODY[:-1])
    match = compare(ORIGINAL, later)
    assert match.kind is MatchKind.NONE
    assert "days apart" in match.reason


def test_unrelated_articles_are_not_near() -> None:
    weather = _fp(
        title="Dự báo thời tiết ngày 13/5: Khánh Hòa có mưa to",
        body=[
            "Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, ngày 13/5, khu vực tỉnh Khánh Hòa có mưa rào "
            "và dông, cục bộ có mưa to với lượng mưa phổ biến 20-40 mm; nhiệt độ cao nhất 33 độ C."
        ]
        * 3,
    )
    match = compare(ORIGINAL, weather)
    assert match.kind is MatchKind.NONE
    assert match.reason == "signatures too far apart"  # decided without the exact measures


def test_every_republication_is_plausible_from_signatures_alone() -> None:
    # The estimate only saves work: a copy that the exact measures accept is never dropped by it.
    for name, copy in REPUBLICATIONS:
        assert plausible(ORIGINAL.signature, len(ORIGINAL.shingles), copy.signature, len(copy.shingles)), name


def test_screening_many_candidates_at_once_agrees_with_screening_each() -> None:
    weather = _fp(title="Dự báo thời tiết", body=[f"Ngày {n}: trời nắng, gió nhẹ." for n in range(40)])
    others = [*(copy for _, copy in REPUBLICATIONS), weather]
    sketches = [(other.signature, len(other.shingles)) for other in others]
    together = plausible_among(ORIGINAL.signature, len(ORIGINAL.shingles), sketches)
    one_by_one = [plausible(ORIGINAL.signature, len(ORIGINAL.shingles), *sketch) for sketch in sketches]
    assert together == one_by_one
    assert together[:-1] == [True] * len(REPUBLICATIONS)
    assert together[-1] is False


def test_a_candidate_with_the_same_key_is_compared_however_different_its_text() -> None:
    # Screening by signature must not hide a match by an exact key (the same URL, a new text).
    body = [f"Đoạn {n}: nội dung khác hẳn, viết lại toàn bộ về chủ đề mới." for n in range(40)]
    rewritten = _fp(title="Tin đã sửa", body=body, url=ORIGINAL_URL)
    sketch = (rewritten.signature, len(rewritten.shingles))
    assert not plausible(ORIGINAL.signature, len(ORIGINAL.shingles), *sketch)
    found = best_match(ORIGINAL, {7: rewritten})
    assert found is not None
    assert found[0] == 7
    assert found[1].kind is MatchKind.EXACT_URL


def test_vetoes_can_be_switched_off_by_settings() -> None:
    blind = dataclasses.replace(DEFAULT_SETTINGS, conflict_on_dates=False)
    assert compare(ORIGINAL, _fp(body=_edit("Sáng 12/5", "Sáng 14/6")), blind).kind is MatchKind.NEAR


def test_settings_reject_banding_that_does_not_cover_the_signature() -> None:
    with pytest.raises(ValueError, match="bands \\* rows"):
        dataclasses.replace(DEFAULT_SETTINGS, bands=20)


def test_fingerprint_keeps_the_credit_and_indexes_by_bands() -> None:
    fp = _fp(body=[*BODY, "Nguồn: mae.gov.vn"])
    assert fp.credit is not None
    assert fp.credit.host == "mae.gov.vn"
    assert len(fp.bands) == DEFAULT_SETTINGS.bands
    assert [rung for rung, _ in exact_keys(ORIGINAL)] == ["url", "content"]
    assert [rung for rung, _ in KEY_LADDER][:2] == ["url", "guid"]


def test_best_match_prefers_the_higher_rung_then_the_higher_score() -> None:
    same_url = _fp(url="https://mae.gov.vn/tin-tuc/hoi-nghi-giao-ban-thang-5.html", body=BODY[:-2])
    candidates = {
        "copy": _fp(body=BODY[:-1]),
        "reharvest": same_url,
        "other": _fp(body=_edit("12/5", "14/6")),
    }
    found = best_match(ORIGINAL, candidates)
    assert found is not None
    assert found[0] == "reharvest"
    assert best_match(ORIGINAL, {"other": candidates["other"]}) is None
    closest = best_match(_fp(body=BODY[:-1]), {"a": _fp(body=BODY[:-2]), "b": ORIGINAL})
    assert closest is not None
    assert closest[0] == "b"


def test_item_without_publication_time_is_compared_by_text() -> None:
    undated = fingerprint_item(title=TITLE, body=BODY[:-1])
    assert compare(ORIGINAL, undated).kind is MatchKind.NEAR


def test_package_reexports_the_deduper() -> None:
    import dedupe

    assert dedupe.compare is compare
    assert all(hasattr(dedupe, name) for name in dedupe.__all__)
