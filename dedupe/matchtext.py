"""The matching text of an item: what is left of title and body once the carrier's marks are removed.

Input: title and body (text or paragraphs, any Unicode form, stray markup). Output: `MatchText` — the
NFC title core, the cleaned body paragraphs and the credit line taken out of them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from dedupe.affixes import strip_title_affixes
from dedupe.credit import Credit, take_credit
from dedupe.furniture import is_furniture_line, is_section_heading
from dedupe.text import match_key

_TAG = re.compile(r"<[^>]{0,500}>")
# Zero-width characters some editors leave between words; they would split one word into two tokens.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = str.maketrans(dict.fromkeys(_INVISIBLE_CHARS, ""))
# str.translate walks every character in Python-level mapping calls; a C regex scan first skips the
# (usual) lines that hold none of them.
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# Whitespace that folding a line's spaces (`" ".join(line.split())`) would change: anything but single
# spaces between words and the line breaks between lines.
_UNTIDY_SPACE = re.compile(r"[^\S \n]|  |^ | $", re.MULTILINE)
# Photo captions and bylines are furniture of one portal, not of the story.
# A photo credit closing a caption ("Quang cảnh hội nghị. Ảnh: Minh Anh") names the photographer of one
# portal; two copies with their own photographers must not look like two events.
_PHOTO_CREDIT = re.compile(
    r"\s*\(?\s*(?:ảnh|ảnh minh họa|ảnh minh hoạ|tin, ảnh|tin và ảnh|video|đồ họa|đồ hoạ)"
    r"\s*:\s*[^.()]{1,60}\)?\.?$",
    re.IGNORECASE,
)

_PHOTO_CREDIT_TAIL = 64


# Syllables written with final i or y alike ("tỷ"/"tỉ", "kỹ"/"kĩ", "lý"/"lí"): one spelling for matching.
_I_Y_SPELLINGS = {"ki": "ky", "li": "ly", "mi": "my", "qui": "quy", "ti": "ty"}
# Furniture is a few words ("Lượt xem: 1.234", "In bài viết | Chia sẻ"); longer lines are prose and are
# not folded twice more just to be tested.
_MAX_FURNITURE_WORDS = 16


@dataclass(frozen=True, slots=True)
class MatchText:
    """Cleaned title core and body paragraphs of one item, and the credit found in the body."""

    title: str
    paragraphs: tuple[str, ...]
    credit: Credit | None

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def full(self) -> str:
        """Title and body as one text, the title as its first paragraph."""
        return "\n".join((self.title, *self.paragraphs)) if self.title else self.body


def match_text(title: str, body: str | Sequence[str]) -> MatchText:
    """Steps: 1. clean each line (entities, tags, NFC, invisible characters, spaces); 2. drop page
    furniture and photo-credit lines, and any "Tin liên quan" block with the links after it; 3. take
    the credit line out; 4. strip carrier affixes from the title."""
    lines = body.splitlines() if isinstance(body, str) else [p for part in body for p in part.splitlines()]
    paragraphs, credit = take_credit(_without_furniture(_clean_lines(lines)))
    return MatchText(strip_title_affixes(_clean(title)), tuple(paragraphs), credit)


def fold_tokens(text: str) -> list[str]:
    """`match_key(text).split()`, folding each distinct whitespace-separated chunk once per process.

    Folding is per character, so chunk by chunk gives the same tokens; news reuses a few thousand
    syllables, so the cache turns most of the folding of an article into dictionary hits.
    """
    return list(chain.from_iterable(map(_fold_chunk, text.split())))


@lru_cache(maxsize=1 << 16)
def _fold_chunk(chunk: str) -> tuple[str, ...]:
    return tuple(_I_Y_SPELLINGS.get(token, token) for token in match_key(chunk).split())


def _clean_lines(lines: list[str]) -> list[str]:
    """`_clean` of each line; one scan of all the lines tells whether any needs more than its spaces
    folded (stored bodies rarely do). NFC holds for the joined text exactly when it holds for each
    line: a line break composes with nothing."""
    joined = "\n".join(lines)
    if (
        "<" in joined
        or "&" in joined
        or _HAS_INVISIBLE.search(joined)
        or not unicodedata.is_normalized("NFC", joined)
    ):
        return [_clean(line) for line in lines]
    return [" ".join(line.split()) for line in lines] if _UNTIDY_SPACE.search(joined) else lines


def _clean(text: str) -> str:
    # Stored body text is usually free of tags and entities and already NFC: each step runs only when
    # a cheap test says it would change something.
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def _without_furniture(lines: list[str]) -> list[str]:
    kept: list[str] = []
    for line in lines:
        # The credit ends the line and holds a colon within its last 64 characters (the pattern's tail is
        # at most 60 + 3); without one the pattern cannot match, and most prose lines have none there.
        if ":" in line[-_PHOTO_CREDIT_TAIL:]:
            line = _PHOTO_CREDIT.sub("", line)
        short = line.count(" ") < _MAX_FURNITURE_WORDS  # words are one space apart once cleaned
        if short and is_section_heading(line):
            break  # what follows is a list of other stories' titles
        if line and not (short and is_furniture_line(line)):
            kept.append(line)
    return kept
