"""Facts named in an article (dates, numbers, document numbers, names) and the slots they fill.

Government news is templated: two meetings differ in "Sáng 12/5" / "Sáng 14/6", two provinces in
"UBND tỉnh Khánh Hòa" / "UBND tỉnh Ninh Thuận". A slot is a fact kind plus the words beside it; the same
slot holding different values in two items means two events. Input: NFC text; output: `Facts`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from dedupe.matchtext import fold_tokens

DATE = "date"
DOCUMENT_NUMBER = "document_number"
NAME = "name"
NUMBER = "number"

# One scanner, alternatives tried in this order: a document number before a date ("43/2011/NĐ-CP" is
# not 43 Nov), a full date before a month/year, a date before a bare number. Day and month are checked
# ("95-22 mm" is a range of numbers, not a date).
_SCANNER = re.compile(
    r"(?P<docno>(?-i:\b\d+[A-Za-z]?\s?/\s?(?:\d{4}\s?/\s?)?[A-ZĐ][A-ZĐa-z&]*(?:-[A-ZĐ][A-ZĐa-z&]*)*))"
    r"|(?P<dmy>\b(?:ngày\s+)?\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?\b)"
    r"|(?P<date>\b(?:3[01]|[12]\d|0?[1-9])[/.-](?:1[0-2]|0?[1-9])(?:[/.-]\d{4}|[/.-]\d{2})?\b)"
    r"|(?P<number>\b\d+(?:[.,]\d+)*(?:\s?%)?)"
    r"|(?P<word>[^\W\d_][\w&]*)"
    r"|(?P<stop>[.,;:!?()\[\]\"“”«»\n–—-])",
    re.IGNORECASE,
)
_DMY_PARTS = re.compile(r"\d+")
# Two or more capitalised words in a row make a name ("Đỗ Đức Duy", "Khánh Hòa"); one alone is usually
# the first word of a sentence.
_MIN_NAME_WORDS = 2


@dataclass(frozen=True, slots=True)
class Facts:
    """Slot -> values; a slot is (kind, "L" or "R", the folded context words on that side)."""

    slots: Mapping[tuple[str, str, str], frozenset[str]]

    def conflicts(self, other: Facts, kinds: frozenset[str]) -> list[str]:
        """Slots of `kinds` where neither item's values include the other's: a contradiction.

        A value missing on one side is no contradiction: a truncated copy names a subset.
        """
        found = []
        for slot, values in self.slots.items():
            theirs = other.slots.get(slot)
            if slot[0] in kinds and theirs and not (values <= theirs or theirs <= values):
                found.append(f"{slot[0]} after/before '{slot[2]}': {_show(values)} ≠ {_show(theirs)}")
        return sorted(found)


def extract_facts(text: str, context: int) -> Facts:
    """Facts of `text` with `context` words of slot context on each side."""
    slots: defaultdict[tuple[str, str, str], set[str]] = defaultdict(set)
    # Context stops at paragraph ends: a caption or credit inserted between two paragraphs must not
    # become the neighbour of a fact it has nothing to do with.
    for paragraph in text.splitlines():
        stream = list(_stream(paragraph))
        for i, (kind, value) in enumerate(stream):
            if kind == "word":
                continue
            sides = (("L", stream[max(0, i - context) : i]), ("R", stream[i + 1 : i + 1 + context]))
            for side, words in sides:
                # A fact with less context than asked (paragraph edge) names no slot: "" would be shared
                # by every paragraph's last fact.
                if len(words) == context:
                    slots[(kind, side, " ".join(_context_word(k, v) for k, v in words))].add(value)
    return Facts({slot: frozenset(values) for slot, values in slots.items()})


def _stream(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value) tokens: facts with normalised values, other words folded; stops break names."""
    name: list[str] = []
    for found in _SCANNER.finditer(text):
        group, raw = found.lastgroup, found.group()
        if group == "word" and raw[0].isupper():
            name.append(raw)
            continue
        if name:
            yield from _flush_name(name)
        if group == "word":
            yield "word", _fold_word(raw)
        elif group != "stop":
            yield _fact(group or "", raw)
    yield from _flush_name(name)


def _flush_name(name: list[str]) -> Iterator[tuple[str, str]]:
    if len(name) >= _MIN_NAME_WORDS:
        yield NAME, " ".join(_fold_word(word) for word in name)
    else:
        yield from (("word", _fold_word(word)) for word in name)
    name.clear()


@lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    return " ".join(fold_tokens(word))


def _fact(group: str, raw: str) -> tuple[str, str]:
    if group == "docno":
        return DOCUMENT_NUMBER, re.sub(r"\s+", "", raw).upper().replace("Đ", "D")
    if group == "number":
        # Dot groups thousands and comma marks decimals in Vietnamese: "1.500" is 1500, "38,5" is 38.5.
        return NUMBER, raw.replace(".", "").replace(" ", "")
    parts = [int(p) for p in _DMY_PARTS.findall(raw)]
    # The year is left out: a copy that writes "12/5/2026" for "12/5" names the same day.
    return DATE, f"{parts[0]}/{parts[1]}"


def _context_word(kind: str, value: str) -> str:
    # Facts beside a fact stand as their kind, so "ngày 12/5 và 13/5" keeps one slot for 13/5 even in
    # the item that says "14/6 và 15/6".
    return value if kind == "word" else f"<{kind}>"


def _show(values: frozenset[str]) -> str:
    return ",".join(sorted(values))
