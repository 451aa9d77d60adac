"""Page furniture: lines a portal wraps around every article ("Lượt xem: 1.234", "In bài viết", "Chia sẻ").

Patterns match the folded line (`match_key`: no tones, no case, punctuation as spaces), so "LƯỢT XEM: 1.234"
and "Lượt xem 1234" are one pattern. A line is furniture when it is made only of such phrases.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
_CHUNK = re.compile(r"\S+")
_COUNT = r"\d+( \d+)*"
_CACHED_CHUNK = 64  # characters; longer chunks (links, runs of symbols) are folded without being kept


def _phrase_words(patterns: tuple[str, ...]) -> frozenset[str] | None:
    # Every word a line these patterns match folds to, counts aside; None (no short cut) as soon as a
    # pattern holds anything but plain words and counts, since the words could then no longer be listed.
    words = " ".join(p.replace(_COUNT, " ") for p in patterns).split()
    return frozenset(words) if all(w.isascii() and w.isalpha() for w in words) else None


_PHRASE_WORDS = _phrase_words((*FURNITURE_PHRASES, *SECTION_HEADINGS))


def is_furniture_line(line: str) -> bool:
    """True when the line is only page furniture (counters, print/share/email buttons)."""
    return is_furniture_key(line_key(line))


def is_section_heading(line: str) -> bool:
    """True for a 'Tin liên quan' style heading that introduces links to other stories."""
    return is_section_key(line_key(line))


def line_key(line: str) -> str:
    """The line's match key, or '' as soon as one of its words is neither a phrase word nor a count.

    Both tests read '' as "no", so a paragraph of prose costs the folding of its first word or two, not
    of the whole line: folding is per character, so the words of the line's key are those of its
    whitespace-separated chunks' keys, in order.
    """
    if _PHRASE_WORDS is None:
        return match_key(line)
    for chunk in _CHUNK.finditer(line):
        for word in _chunk_words(chunk[0]):
            if word not in _PHRASE_WORDS and not word.isdecimal():  # `\d` is any decimal digit
                return ""
    return match_key(line)


def is_furniture_key(key: str) -> bool:
    """`is_furniture_line` of a line already folded by `match_key` (or `line_key`)."""
    return bool(key) and _FURNITURE_LINE.fullmatch(key) is not None


def is_section_key(key: str) -> bool:
    """`is_section_heading` of a line already folded by `match_key` (or `line_key`)."""
    return _SECTION_LINE.fullmatch(key) is not None


def _chunk_words(chunk: str) -> tuple[str, ...]:
    return _short_chunk_words(chunk) if len(chunk) <= _CACHED_CHUNK else tuple(match_key(chunk).split())


@lru_cache(maxsize=4096)
def _short_chunk_words(chunk: str) -> tuple[str, ...]:
    # Prose reuses a few thousand syllables, so most words cost a dictionary hit here.
    return tuple(match_key(chunk).split())
