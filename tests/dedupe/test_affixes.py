"""Carrier prefixes and suffixes come off titles; headlines that only look like them stay."""

from __future__ import annotations

import unicodedata

import pytest

from dedupe.affixes import split_title_affixes, strip_title_affixes

CORE = "Hội nghị giao ban tháng 5 về chuyển đổi số trong quản lý đất đai"


@pytest.mark.parametrize(
    ("title", "expected", "removed"),
    [
        (f"Bộ TN&MT: {CORE}", CORE, ("prefix.agency",)),
        (f"Bộ NN&MT: {CORE}", CORE, ("prefix.agency",)),
        (f"UBND tỉnh: {CORE}", CORE, ("prefix.agency",)),
        (f"Sở Y tế Hà Nội: {CORE}", CORE, ("prefix.agency",)),
        (f"{CORE} - Cổng TTĐT tỉnh Khánh Hòa", CORE, ("suffix.agency",)),
        (f"{CORE} | Báo Chính phủ", CORE, ("suffix.agency",)),
        (f"{CORE} - monre.gov.vn", CORE, ("suffix.host",)),
        (f"[Video] {CORE}", CORE, ("prefix.media_tag",)),
        (f"Infographic: {CORE}", CORE, ("prefix.media_word",)),
        (f"(Chinhphu.vn) - {CORE}", CORE, ("prefix.host_dateline",)),
        (f"[Video] Bộ TN&MT: {CORE} - Cổng TTĐT tỉnh Khánh Hòa", CORE, None),
        (f"  {CORE}  ", CORE, ()),
    ],
)
def test_carrier_affixes_are_stripped(title: str, expected: str, removed: tuple[str, ...] | None) -> None:
    core, names = split_title_affixes(title)
    assert core == expected
    if removed is not None:
        assert names == removed


@pytest.mark.parametrize(
    "title",
    [
        "Bộ trưởng Đỗ Đức Duy: Cần quyết liệt hơn trong chuyển đổi số",  # a quote headline keeps its speaker
        "Bộ Tài chính",  # an affix is never the whole title
        "Khánh Hòa - Sở Y tế",  # nothing would remain of the headline
        "Thủ tướng: Phải hoàn thành đường dây 500 kV trong tháng 6",
    ],
)
def test_headlines_that_only_look_like_affixes_stay(title: str) -> None:
    assert strip_title_affixes(title) == title


def test_decomposed_title_is_stripped_and_composed() -> None:
    assert strip_title_affixes(unicodedata.normalize("NFD", f"Bộ TN&MT: {CORE}")) == CORE
