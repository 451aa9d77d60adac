"""Page furniture: lines a portal wraps around every article ("Lượt xem: 1.234", "In bài viết", "Chia sẻ").

Patterns match the folded line (`match_key`: no tones, no case, punctuation as spaces), so "LƯỢT XEM: 1.234"
and "Lượt xem 1234" are one pattern. A line is furniture when it is made only of such phrases.
"""

from __future__ import annotations

import re

from dedupe.text import match_key

# Phrases of page furniture, folded; `\d+( \d+)*` is a count such as "1.234" (folded to "1 234").
FURNITURE_PHRASES: tuple[str, ...] = (
    r"ban in",
    r"bao loi",
    r"chia se",
    r"chia se bai viet",
    r"dau trang",
    r"email",
    r"gui bai viet",
    r"gui email",
    r"gui cho ban be",
    r"in",
    r"in bai viet",
    r"in trang",
    r"like",
    r"luot doc \d+( \d+)*",
    r"luot xem \d+( \d+)*",
    r"pdf",
    r"quay lai",
    r"share",
    r"so lan xem \d+( \d+)*",
    r"so luot xem \d+( \d+)*",
    r"tweet",
    r"ve dau trang",
    r"xem \d+( \d+)*",
    r"zalo",
)
# Headings that open a block of links to other stories; the heading and the list after it are furniture.
SECTION_HEADINGS: tuple[str, ...] = (
    r"bai viet lien quan",
    r"cac tin da dua",
    r"cac tin khac",
    r"tin cung chuyen muc",
    r"tin da dua",
    r"tin khac",
    r"tin lien quan",
    r"xem them",
)
_PHRASE = "|".join(f"(?:{p})" for p in sorted(FURNITURE_PHRASES, key=len, reverse=True))
_FURNITURE_LINE = re.compile(rf"(?:{_PHRASE})(?: (?:{_PHRASE}))*")
_SECTION_LINE = re.compile("|".join(SECTION_HEADINGS))


def is_furniture_line(line: str) -> bool:
    """True when the line is only page furniture (counters, print/share/email buttons)."""
    key = match_key(line)
    return bool(key) and _FURNITURE_LINE.fullmatch(key) is not None


def is_section_heading(line: str) -> bool:
    """True for a 'Tin liên quan' style heading that introduces links to other stories."""
    return _SECTION_LINE.fullmatch(match_key(line)) is not None
