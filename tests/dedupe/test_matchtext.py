"""Matching text: markup, forms, furniture, photo credits, credit lines and title affixes taken out."""

from __future__ import annotations

import random
import unicodedata

import pytest

from dedupe.matchtext import _clean, _clean_lines, fold_tokens, match_text
from dedupe.text import match_key

TITLE = "Hội nghị giao ban tháng 5 về chuyển đổi số"
PARA = "Sáng 12/5, tại Hà Nội, Bộ trưởng Đỗ Đức Duy chủ trì hội nghị giao ban."


@pytest.mark.parametrize(
    ("body", "paragraphs"),
    [
        ([PARA], (PARA,)),
        (f"Lượt xem: 1.234\nIn bài viết\n{PARA}\nChia sẻ", (PARA,)),
        ([PARA, "Tin liên quan", "Hội nghị tập huấn nghiệp vụ năm 2026"], (PARA,)),
        ([PARA, "Quang cảnh hội nghị. Ảnh: Minh Anh"], (PARA, "Quang cảnh hội nghị.")),
        ([PARA, "Ảnh: Minh Anh"], (PARA,)),
        ([PARA, "Nguồn: mae.gov.vn"], (PARA,)),
        ([PARA.replace(" tại", "&nbsp;tại").replace("Hà Nội", "Hà <br> Nội")], (PARA,)),
        ([unicodedata.normalize("NFD", PARA) + "\u200b"], (PARA,)),
    ],
)
def test_body_is_cleaned_for_matching(body: list[str] | str, paragraphs: tuple[str, ...]) -> None:
    assert match_text(TITLE, body).paragraphs == paragraphs


def test_title_loses_its_carrier_affixes_and_credit_is_kept() -> None:
    text = match_text(f"Bộ TN&MT: {TITLE} - Cổng TTĐT tỉnh Khánh Hòa", [PARA, "(Theo baochinhphu.vn)"])
    assert text.title == TITLE
    assert text.credit is not None
    assert text.credit.host == "baochinhphu.vn"
    assert text.full == f"{TITLE}\n{PARA}"
    assert match_text("", [PARA]).full == PARA


@pytest.mark.parametrize(
    "text",
    ["Khánh Hoà, ngày 12/5: 1.500 tỷ đồng!", "UBND tỉnh Đắk Lắk (TN&MT)", "  nhiều   khoảng   trắng  ", ""],
)
def test_fold_tokens_equals_match_key_split(text: str) -> None:
    assert fold_tokens(text) == [{"ti": "ty"}.get(t, t) for t in match_key(text).split()]


def test_i_and_y_spellings_fold_together() -> None:
    assert fold_tokens("9 tỉ đồng, kĩ thuật, lí do") == fold_tokens("9 tỷ đồng, kỹ thuật, lý do")


def test_lines_cleaned_together_equal_lines_cleaned_one_by_one() -> None:
    # Every kind of whitespace and mark the one scan of all the lines must notice, alone or mixed.
    pieces = [
        "Ủy ban",
        "nhân dân",
        " ",
        "  ",
        "\t",
        "\u00a0",
        "\u2003",
        "\x1c",
        "\u200b",
        "&amp;",
        "<b>",
        "e\u0301",
        "",
    ]
    rng = random.Random(3)
    for _ in range(3000):
        lines = [
            "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 4))
        ]
        assert _clean_lines(lines) == [_clean(line) for line in lines]
