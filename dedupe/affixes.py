"""Title affixes that name an agency, a portal or a media kind, stripped before titles are compared.

A provincial portal retitles "Hội nghị ..." as "Bộ TN&MT: Hội nghị ..." or "Hội nghị ... - Cổng TTĐT tỉnh
Khánh Hòa"; those words name the carrier, not the story. Input: a title; output: its core.
"""

from __future__ import annotations

import re
import unicodedata

# Words that open an agency or portal name. "Bộ trưởng", "Chủ tịch" etc. are people, not carriers:
# "Bộ trưởng Đỗ Đức Duy: Cần quyết liệt ..." is a quote headline and keeps its speaker.
_AGENCY = (
    r"(?:Báo|Bộ(?!\s+trưởng)|Chính phủ|Cổng|Cục|HĐND|Sở|Tổng cục|Trang|TTXVN|UBND|"
    r"Ủy ban nhân dân|Uỷ ban nhân dân|Văn phòng)"
)
_HOST = r"[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org)"
_DASH = r"[-–—|:]"
# What must remain after stripping; shorter would mean the "affix" was the headline itself.
_MIN_CORE_WORDS = 3

# (name, pattern), sorted by name. Prefix patterns are anchored at the start, suffix ones at the end;
# each is applied until none matches, so stacked affixes ("[Video] Bộ TN&MT: ...") all go.
TITLE_AFFIX_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Bộ TN&MT: ...", "UBND tỉnh: ...", "Sở Y tế Hà Nội: ..." (short name, then a colon)
    ("prefix.agency", re.compile(rf"^{_AGENCY}(?:[^:\n]{{0,50}}?):\s+")),
    # "(Chinhphu.vn) - ...", "(baochinhphu.vn) – ..."
    ("prefix.host_dateline", re.compile(rf"^\(\s*{_HOST}\s*\)\s*[-–—:]?\s*", re.IGNORECASE)),
    # "[Video] ...", "[Infographic] ...", "(Ảnh) ..."
    (
        "prefix.media_tag",
        re.compile(r"^[\[(](?:Ảnh|Clip|eMagazine|Infographic|Photo|Podcast|Video)[\])]\s*", re.IGNORECASE),
    ),
    # "Video: ...", "Infographic: ..."
    ("prefix.media_word", re.compile(r"^(?:Clip|Infographic|Podcast|Video)\s*:\s+", re.IGNORECASE)),
    # "... - Cổng TTĐT tỉnh Khánh Hòa", "... | Báo Chính phủ", "... - Bộ TN&MT"
    ("suffix.agency", re.compile(rf"\s+{_DASH}\s+{_AGENCY}\b[^|–—]{{0,80}}$")),
    # "... | monre.gov.vn", "... - baochinhphu.vn"
    ("suffix.host", re.compile(rf"\s+{_DASH}\s+{_HOST}\s*$", re.IGNORECASE)),
)


def strip_title_affixes(title: str) -> str:
    """The title without carrier prefixes and suffixes; the whole title when nothing else would remain."""
    core, _ = split_title_affixes(title)
    return core


def split_title_affixes(title: str) -> tuple[str, tuple[str, ...]]:
    """(core, names of the patterns that removed something), for explaining a match."""
    core = " ".join(unicodedata.normalize("NFC", title).split())
    removed: list[str] = []
    changed = True
    while changed:
        changed = False
        for name, pattern in TITLE_AFFIX_PATTERNS:
            stripped = pattern.sub("", core, count=1).strip()
            # An affix is never most of the title: "Bộ Tài chính" alone stays as it is.
            if stripped != core and len(stripped.split()) >= _MIN_CORE_WORDS:
                core, changed = stripped, True
                removed.append(name)
    return core, tuple(removed)
