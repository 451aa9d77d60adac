"""Display text: entities, NFC, spaces, mojibake and TCVN3 repair, Windows-1258 input."""

from __future__ import annotations

import unicodedata

import pytest

from hub.pipeline.normalise.legacy import (
    looks_like_mojibake,
    looks_like_tcvn3,
    map_tcvn3,
    may_hold_mojibake,
    repair_mojibake,
)
from hub.pipeline.normalise.text import (
    clean_block,
    clean_text,
    has_control_chars,
    remove_control_chars,
    repair_flags,
    shorten,
)

# What `remove_control_chars` takes out: C0 controls but tab, LF and CR; DEL; lone surrogates; U+FFFE/FFFF.
CONTROL_CODE_POINTS = frozenset(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
)


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


def test_control_characters_are_flagged_with_the_encoding_repairs() -> None:
    assert repair_flags("Báo cáo quý I", "", "<p>Phụ lục, trang\x0c2</p>") == ["text.control_chars_removed"]
    assert repair_flags("Nghá»‹ Ä‘á»‹nh\x07", "") == ["text.mojibake_repaired", "text.control_chars_removed"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Phụ lục, trang\x0c2 của báo cáo", "Phụ lục, trang 2 của báo cáo"),  # form feed: a page break
        ("Báo cáo\x0bquý I/2026", "Báo cáo quý I/2026"),  # vertical tab: Word's manual line break
        ("Mã hồ sơ\x1e2026\x1f001", "Mã hồ sơ 2026 001"),  # record and unit separators
        ("Quyết định\x07 số 12", "Quyết định số 12"),  # BEL, NUL, ESC, DEL stand for nothing
        ("Công\x00 văn\x1b số 12\x7f", "Công văn số 12"),
        ("Chúc mừng năm mới \ud83c", "Chúc mừng năm mới "),  # half an emoji, cut by the source's API
        ("Ký tự\ufffe lạ\uffff", "Ký tự lạ"),
        ("Dòng một\r\n\tDòng hai\n", "Dòng một\r\n\tDòng hai\n"),  # tab, LF and CR are text
        ("Nghá»‹ Ä‘á»‹nh sá»‘ 43", "Nghá»‹ Ä‘á»‹nh sá»‘ 43"),  # C1 controls are left for the mojibake repair
        ("Chúc mừng năm mới 🎉", "Chúc mừng năm mới 🎉"),
    ],
)
def test_control_characters_are_dropped_or_become_a_space(raw: str, clean: str) -> None:
    assert remove_control_chars(raw) == clean


def test_the_fast_check_finds_exactly_the_characters_removed() -> None:
    texts = {code: f"Hà Nội {chr(code)} 2026" for code in [*range(0x10000), 0x1F389, 0x10FFFF]}
    found = {code for code, text in texts.items() if has_control_chars(text)}
    changed = {code for code, text in texts.items() if remove_control_chars(text) != text}
    assert found == changed == CONTROL_CODE_POINTS


def test_clean_text_drops_a_lone_surrogate() -> None:
    # An author or topic keeping one failed the record: UTF-8 (the content hash, the database) cannot hold it
    assert clean_text("Nguyễn Văn An\ud83d") == "Nguyễn Văn An"
    assert clean_text("Y tế\udc89 - Sức khỏe\uffff") == "Y tế - Sức khỏe"


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


@pytest.mark.parametrize(
    ("text", "tcvn3", "mojibake", "candidate"),
    [
        ("ViÖt Nam", True, False, False),
        ("Việt Nam v¨n", False, False, False),  # Unicode Vietnamese rules TCVN3 out, markers or not
        ("C«ng v¨n", True, False, False),
        ("ASCII only", False, False, False),
        ("", False, False, False),
        ("Hà Nội – “trích” … ’", False, False, False),  # continuation characters, no sequence
        ("Ã©té", True, False, True),  # a sequence, but to a Latin-1 letter
        ("Ä‘á»‹a", False, True, True),
        ("Nghá»‹ Ä‘á»‹nh", False, True, True),
        ("89/2015/NÐ-CP", False, False, False),
    ],
)
def test_encoding_checks_answer_early_and_alike(
    text: str, tcvn3: bool, mojibake: bool, candidate: bool
) -> None:
    assert (looks_like_tcvn3(text), looks_like_mojibake(text), may_hold_mojibake(text)) == (
        tcvn3,
        mojibake,
        candidate,
    )
