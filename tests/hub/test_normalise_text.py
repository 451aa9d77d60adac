"""Display text: entities, NFC, spaces, mojibake and TCVN3 repair, Windows-1258 input."""

from __future__ import annotations

import unicodedata

import pytest

from hub.pipeline.normalise.legacy import looks_like_mojibake, looks_like_tcvn3, map_tcvn3, repair_mojibake
from hub.pipeline.normalise.text import clean_block, clean_text, repair_flags, shorten


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Quy&#x1EBF;t &#x111;&#x1ECB;nh s&#x1ED1; 12", "Quyết định số 12"),
        ("Ph&aacute;t tri&#7875;n kinh t&#7871;", "Phát triển kinh tế"),
        ("Hà\u00a0Nội\u2009–\u202fHải  Phòng", "Hà Nội – Hải Phòng"),
        ("  Tin\u200b tức\ufeff \n mới\t ", "Tin tức mới"),
        (unicodedata.normalize("NFD", "Nghị định về Khánh Hoà"), "Nghị định về Khánh Hoà"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_text_decodes_entities_and_takes_nfc(raw: str | None, clean: str) -> None:
    result = clean_text(raw)
    assert result == clean
    assert unicodedata.is_normalized("NFC", result)


def test_source_tone_placement_is_kept_for_display() -> None:
    assert clean_text("Khánh Hoà") == "Khánh Hoà"


def test_windows_1258_decoded_text_becomes_nfc() -> None:
    decoded = b"Vi\xea\xf2t Nam - C\xf4ng v\xe3n s\xf4\xec 12".decode("cp1258")
    assert not unicodedata.is_normalized("NFC", decoded)  # cp1258 yields combining marks
    assert clean_text(decoded) == "Việt Nam - Công văn số 12"


@pytest.mark.parametrize(
    "correct",
    [
        "Nghị định",
        "Nghị định số 43/2011/NĐ-CP",
        "Đắk Lắk – “Thủ tướng” phát biểu",
        "Trường Đại học Sư phạm",
        "Ủy ban nhân dân tỉnh Thừa Thiên Huế",
    ],
)
def test_utf8_read_as_cp1252_is_repaired(correct: str) -> None:
    garbled = _read_as_cp1252(correct.encode("utf-8"))
    assert looks_like_mojibake(garbled)
    assert repair_mojibake(garbled) == correct
    assert clean_text(garbled) == correct


def test_literal_mojibake_sample_is_repaired() -> None:
    assert clean_text("Nghá»‹ Ä‘á»‹nh sá»‘ 43") == "Nghị định số 43"


def test_sequences_that_are_not_utf8_stay_as_they_are() -> None:
    # "à€€" has the shape of a UTF-8 sequence but is an overlong encoding: not mojibake
    assert repair_mojibake("Nghá»‹ Ä‘á»‹nh à€€") == "Nghị định à€€"


@pytest.mark.parametrize(
    "text",
    ["Nghị định số 43", "café “VÔ” giá 20.000 ₫", "Giá: 1.500 m² – 38,5%", "«Hà Nội» ©2026"],
)
def test_correct_text_is_not_repaired(text: str) -> None:
    assert not looks_like_mojibake(text)
    assert repair_mojibake(text) == text
    assert not looks_like_tcvn3(text)


@pytest.mark.parametrize(
    ("tcvn3", "unicode"),
    [
        ("ViÖt Nam", "Việt Nam"),
        ("C«ng v¨n", "Công văn"),
        ("NghÞ ®Þnh", "Nghị định"),
        ("§iÒu 5", "Điều 5"),
        ("B¶o Th¾ng", "Bảo Thắng"),
        ("M\u00adêng Kh\u00ad¬ng", "Mường Khương"),
        ("Uû ban nh©n d©n tØnh", "Uỷ ban nhân dân tỉnh"),
    ],
)
def test_tcvn3_text_is_mapped_to_unicode(tcvn3: str, unicode: str) -> None:
    assert looks_like_tcvn3(tcvn3)
    assert map_tcvn3(tcvn3) == unicode
    assert clean_text(tcvn3) == unicode


@pytest.mark.parametrize("text", ["Ha Noi", "«Ha Noi»", "Việt Nam ®", "résumé café", "© 2026 MOH", "©2026"])
def test_text_without_tcvn3_markers_is_not_mapped(text: str) -> None:
    assert not looks_like_tcvn3(text)


@pytest.mark.parametrize("number", ["89/2015/NÐ-CP", "123/2015/NÐ-CP", "ÐIỀU 5"])
def test_eth_look_alike_in_a_document_number_is_not_read_as_tcvn3(number: str) -> None:
    assert clean_text(number) == number


def test_repair_flags_name_each_repair() -> None:
    assert repair_flags("Nghá»‹ Ä‘á»‹nh", "") == ["text.mojibake_repaired"]
    assert repair_flags("C«ng v¨n", None or "") == ["text.tcvn3_mapped"]
    assert repair_flags("Nghị định", "Công văn") == []


def test_clean_block_keeps_paragraphs_and_collapses_spaces() -> None:
    raw = "Dòng  một\r\n\r\n\r\n\r\nDòng\u00a0hai\n   \nDòng ba"
    assert clean_block(raw) == "Dòng một\n\nDòng hai\n\nDòng ba"


@pytest.mark.parametrize(
    ("text", "limit", "short"),
    [
        ("Ngắn gọn", 300, "Ngắn gọn"),
        ("Hội nghị triển khai nhiệm vụ năm 2026", 20, "Hội nghị triển khai…"),
        ("Khôngcókhoảngtrắngnàocả", 10, "Khôngcókho…"),
    ],
)
def test_shorten_cuts_at_a_word_boundary(text: str, limit: int, short: str) -> None:
    assert shorten(text, limit) == short


def _read_as_cp1252(data: bytes) -> str:
    # what a browser shows: the five bytes cp1252 leaves undefined come through as C1 controls
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)
