"""Facts named in an article (dates, numbers, document numbers, names) and the slots they fill.

Government news is templated: two meetings differ in "Sáng 12/5" / "Sáng 14/6", two provinces in
"UBND tỉnh Khánh Hòa" / "UBND tỉnh Ninh Thuận". A slot is a fact kind plus the words beside it; the same
slot holding different values in two items means two events. Input: NFC text; output: `Facts`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
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
# Paragraphs whose facts are kept per process. Facts are read only for pairs that already look alike:
# a copy and its original, or two items of one template, which share most paragraphs word for word, so
# the second item of a pair mostly finds its paragraphs here. About 1 kB each.
_PARAGRAPHS_CACHED = 8192


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
    # become the neighbour of a fact it has nothing to do with. So a paragraph's facts depend on it
    # alone, and a copy's paragraphs are mostly its original's, word for word.
    for paragraph in text.splitlines():
        for slot, value in _paragraph_facts(paragraph, context):
            slots[slot].add(value)
    return Facts({slot: frozenset(values) for slot, values in slots.items()})


@lru_cache(maxsize=_PARAGRAPHS_CACHED)
def _paragraph_facts(paragraph: str, context: int) -> tuple[tuple[tuple[str, str, str], str], ...]:
    """(slot, value) pairs of one paragraph."""
    kinds, values = _stream(paragraph)
    # Beside a fact, other facts stand as their kind: "ngày 12/5 và 13/5" keeps one slot for 13/5 even
    # in the item that says "14/6 và 15/6".
    shown = [value if kind == "word" else f"<{kind}>" for kind, value in zip(kinds, values, strict=True)]
    found = []
    for i, kind in enumerate(kinds):
        if kind == "word":
            continue
        # A fact with less context than asked (paragraph edge) names no slot: "" would be shared by
        # every paragraph's last fact.
        if i >= context:
            found.append(((kind, "L", " ".join(shown[i - context : i])), values[i]))
        if i + context < len(kinds):
            found.append(((kind, "R", " ".join(shown[i + 1 : i + 1 + context])), values[i]))
    return tuple(found)


def _stream(text: str) -> tuple[list[str], list[str]]:
    """Kinds and values of the text's tokens: facts with normalised values, other words folded; stops
    break names. Two lists built in one pass: this runs on every paragraph of every pair compared."""
    kinds: list[str] = []
    values: list[str] = []
    name: list[str] = []
    # findall gives each token as a tuple of the scanner's groups, the one that matched non-empty: no
    # match object and no method call per token.
    for docno, dmy, date, number, word, _stop in _SCANNER.findall(text):
        if word:
            if word[0].isupper():
                name.append(word)
                continue
            if name:
                _flush_name(name, kinds, values)
            kinds.append("word")
            values.append(_fold_word(word))
            continue
        if name:
            _flush_name(name, kinds, values)
        if docno:
            kinds.append(DOCUMENT_NUMBER)
            values.append(re.sub(r"\s+", "", docno).upper().replace("Đ", "D"))
        elif number:
            kinds.append(NUMBER)
            # Dot groups thousands and comma marks decimals in Vietnamese: "1.500" is 1500, "38,5" is 38.5.
            values.append(number.replace(".", "").replace(" ", ""))
        elif dmy or date:
            day, month = _DMY_PARTS.findall(dmy or date)[:2]
            kinds.append(DATE)
            # The year is left out: a copy that writes "12/5/2026" for "12/5" names the same day.
            values.append(f"{int(day)}/{int(month)}")
    if name:
        _flush_name(name, kinds, values)
    return kinds, values


def _flush_name(name: list[str], kinds: list[str], values: list[str]) -> None:
    if len(name) >= _MIN_NAME_WORDS:
        kinds.append(NAME)
        values.append(" ".join(_fold_word(word) for word in name))
    else:
        kinds.extend("word" for _ in name)
        values.extend(_fold_word(word) for word in name)
    name.clear()


@lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    return " ".join(fold_tokens(word))


def _show(values: frozenset[str]) -> str:
    return ",".join(sorted(values))
