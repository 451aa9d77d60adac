"""Folding for matching keys: NFC, tone placement, tone marks, đ/d, look-alike letters."""

from __future__ import annotations

import unicodedata

import pytest

from dedupe.text import fold_lookalikes, match_key, nfc, strip_tones, tokens, tone_key, unify_tone_placement


@pytest.mark.parametrize(
    "spelling",
    [
        "Khánh Hoà",
        "Khánh Hòa",
        "KHÁNH HOÀ",
        "khanh hoa",
        unicodedata.normalize("NFD", "Khánh Hoà"),
        unicodedata.normalize("NFD", "Khánh Hòa"),
    ],
)
def test_every_spelling_of_khanh_hoa_gives_one_match_key(spelling: str) -> None:
    assert match_key(spelling) == "khanh hoa"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Thuỷ lợi", "Thủy lợi"),
        ("hoà bình", "hòa bình"),
        ("sức khoẻ", "sức khỏe"),
        ("hoá đơn", "hóa đơn"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("loè loẹt", "lòe loẹt"),  # "loẹt" is closed: only "loè" moves
        ("thuý", "thúy"),
    ],
)
def test_old_tone_placement_moves_to_the_first_vowel_and_keeps_the_tone(old: str, new: str) -> None:
    assert unify_tone_placement(old) == new
    assert unify_tone_placement(new) == new


@pytest.mark.parametrize(
    "word",
    ["hoàn thành", "thuyết minh", "quý", "quà tặng", "quẻ", "khuya", "hoặc", "khuỷu tay", "Quỳnh Lưu"],
)
def test_closed_syllables_and_qu_keep_their_placement(word: str) -> None:
    assert unify_tone_placement(word) == word


def test_unified_placement_is_nfc_even_from_nfd_input() -> None:
    result = unify_tone_placement(unicodedata.normalize("NFD", "Thuỷ"))
    assert result == "Thủy"
    assert unicodedata.is_normalized("NFC", result)


def test_tone_key_keeps_tones_but_not_case_or_placement() -> None:
    assert tone_key("THUỶ LỢI") == tone_key("thủy lợi") == "thủy lợi"
    assert tone_key("Thủy lợi") != tone_key("Thuy loi")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Đắk Lắk", "dak lak"),
        ("đường Điện Biên Phủ", "duong dien bien phu"),
        ("ÐẮK NÔNG", "dak nong"),  # Eth, not Đ
        ("Sở TN＆MT", "so tn mt"),  # fullwidth ampersand
        ("Nghị định 43/2011/NĐ-CP", "nghi dinh 43 2011 nd cp"),
    ],
)
def test_match_key_folds_d_lookalikes_and_fullwidth(text: str, key: str) -> None:
    assert match_key(text) == key


def test_cyrillic_lookalikes_fold_to_latin_in_keys_only() -> None:
    pasted = "ТТ-ВТС"  # Cyrillic Т and В and С pasted into a document number
    assert fold_lookalikes(pasted) == "TT-BTC"
    assert match_key(pasted) == match_key("TT-BTC")


def test_nfc_composes_decomposed_vietnamese() -> None:
    decomposed = unicodedata.normalize("NFD", "Việt Nam")
    assert nfc(decomposed) == "Việt Nam"
    assert len(nfc(decomposed)) == len("Việt Nam")


def test_strip_tones_and_tokens() -> None:
    assert strip_tones("Cổng thông tin điện tử") == "Cong thong tin dien tu"
    assert tokens("Cổng TTĐT tỉnh Khánh Hòa!") == ["cong", "ttdt", "tinh", "khanh", "hoa"]
