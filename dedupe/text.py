"""Text folding for matching keys: never for display.

`match_key` folds look-alike letters, fullwidth forms, case, Vietnamese old/new tone placement
(hoà/hòa, thuỷ/thủy), tone marks and đ/d, so that every spelling of one word gives one key.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that look like Vietnamese/Latin ones but are other code points: Eth for Đ (NFKD does not fold
# it), African D, and the Cyrillic capitals and smalls that turn up in pasted document numbers.
_LOOKALIKES = str.maketrans(
    {
        "Ð": "Đ",
        "ð": "đ",
        "Ɖ": "Đ",
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "Х": "X",
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
    }
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
# Keys are folded for every paragraph a harvest reads, so the folds below work in C (a regex scan,
# str.replace) rather than per character in Python; the results are the same, character for character.
_LOOKALIKE = re.compile("[" + "".join(re.escape(chr(code)) for code in _LOOKALIKES) + "]")

# The five tone marks in NFD; vowel-quality marks (circumflex, breve, horn) are not tones.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Open syllable oa/oe/uy with the tone on the second vowel ("hoà", "khoẻ", "thuỷ"): move it to the first
# ("hòa", "khỏe", "thủy"). Only when nothing follows the syllable: in closed syllables ("hoàn", "thuyết")
# the placement is fixed. After q the u belongs to the consonant ("quý", "quà"), so it never takes the tone.
_OLD_PLACEMENT = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?![\w\u0300-\u036f])"
    rf"|(?<![qQ])([uU])([yY])([{_TONES}])(?![\w\u0300-\u036f])"
)


def nfc(text: str) -> str:
    """Unicode NFC: the one form every stored text takes."""
    return unicodedata.normalize("NFC", text)


def fold_lookalikes(text: str) -> str:
    """Map look-alike letters (Ð, Cyrillic С/Т/О/А ...) onto the Vietnamese/Latin ones; keys only."""
    return text.translate(_LOOKALIKES) if _LOOKALIKE.search(text) else text


def unify_tone_placement(text: str) -> str:
    """One tone placement for oa/oe/uy open syllables, tones kept: 'Khánh Hoà' -> 'Khánh Hòa'."""
    decomposed = unicodedata.normalize("NFD", text)
    moved = _OLD_PLACEMENT.sub(_move_tone, decomposed)
    return unicodedata.normalize("NFC", moved)


def strip_tones(text: str) -> str:
    """Remove every combining mark and map đ→d (Đ is a base letter, not a mark)."""
    stripped = unicodedata.normalize("NFD", fold_lookalikes(text))
    for mark in {ch for ch in set(stripped) if unicodedata.combining(ch)}:  # a few dozen distinct characters
        stripped = stripped.replace(mark, "")
    return unicodedata.normalize("NFC", stripped).replace("đ", "d").replace("Đ", "D")


def tone_key(text: str) -> str:
    """Case- and placement-insensitive key that keeps tones: 'THUỶ LỢI' and 'thủy lợi' agree."""
    folded = unify_tone_placement(unicodedata.normalize("NFKC", fold_lookalikes(text))).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def match_key(text: str) -> str:
    """Case-, tone- and đ/d-insensitive key: 'Khánh Hoà' and 'khanh hòa' give 'khanh hoa'."""
    folded = strip_tones(unicodedata.normalize("NFKC", text)).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def tokens(text: str) -> list[str]:
    """Words of the match key, in order."""
    return match_key(text).split()


def _move_tone(match: re.Match[str]) -> str:
    first, second, tone = (g for g in match.groups() if g is not None)
    return first + tone + second
