"""Furniture tests on a line answered from its first words: the same answers as folding the whole line."""

from __future__ import annotations

import pytest

from dedupe import furniture
from dedupe.furniture import (
    is_furniture_key,
    is_furniture_line,
    is_section_heading,
    is_section_key,
    line_key,
)
from dedupe.text import match_key

LINES = [
    "Lượt xem: 1.234",
    "LƯỢT XEM: 56",
    "Số lượt xem: 1.234.567",
    "Lượt đọc: １２３",  # fullwidth digits fold to ASCII
    "Xem: ٣٤",  # Arabic-Indic digits are digits to `\d`
    "In bài viết | Gửi email | Chia sẻ",
    "ＩＮ ＢÀＩ ＶＩẾＴ",
    "in in in in in in in in in in in in",
    "Zalo Tweet Like Share",
    "— | —",
    "_in_",
    "Tin liên quan",
    "TIN LIÊN QUAN:",
    "Các tin khác",
    "Xem thêm",
    "Tin liên quan đến bão số 3",
    "So với cùng kỳ năm 2025, các chỉ tiêu chính đều tăng.",
    "In ấn tài liệu phục vụ hội nghị",
    "Chia sẻ kinh nghiệm phòng chống thiên tai",
    "Sáng 12/5, UBND tỉnh Khánh Hoà tổ chức hội nghị.",
    "x" * 80 + " in",
    "in " + "ư" * 80,
    "Xem " + "1" * 80,
    "",
    "   ",
]


@pytest.mark.parametrize("line", LINES)
def test_answers_are_those_of_the_whole_line_s_match_key(line: str) -> None:
    key = match_key(line)
    assert is_furniture_line(line) is (bool(key) and is_furniture_key(key))
    assert is_section_heading(line) is is_section_key(key)
    assert line_key(line) in ("", key)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Lượt xem: 1.234", "luot xem 1 234"),
        ("Xem: ٣٤", match_key("Xem: ٣٤")),
        ("TIN LIÊN QUAN:", "tin lien quan"),
        ("Sáng 12/5, UBND tỉnh tổ chức hội nghị.", ""),
        ("So với cùng kỳ năm 2025", ""),  # "so" opens "số lượt xem"; "với" is in no phrase
        ("— | —", ""),
    ],
)
def test_line_key_stops_at_the_first_word_no_phrase_holds(line: str, key: str) -> None:
    assert line_key(line) == key


@pytest.mark.parametrize("line", LINES)
def test_without_the_short_cut_the_answers_stay(monkeypatch: pytest.MonkeyPatch, line: str) -> None:
    expected = (is_furniture_line(line), is_section_heading(line))
    monkeypatch.setattr(furniture, "_PHRASE_WORDS", None)
    assert (is_furniture_line(line), is_section_heading(line)) == expected


def test_the_short_cut_is_off_when_a_pattern_is_more_than_words_and_counts() -> None:
    assert furniture._phrase_words((r"luot xem \d+( \d+)*", "in")) == frozenset({"luot", "xem", "in"})
    assert furniture._phrase_words((r"(?:e-)?mail",)) is None
