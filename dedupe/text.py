"""Text folding for matching keys: never for display.

`match_key` folds case, Vietnamese old/new tone placement (hoà/hòa, thuỷ/thủy), tone marks and đ/d,
so that every spelling of one word gives one key.
"""

from __future__ import annotations

import re
import unicodedata

# Old-style placement puts the tone on the second vowel of open syllables oa, oe, uy; the new style on
# the first. Folding strips tone marks anyway, but the mapping is kept for tone-preserving keys.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ"})
_D_FOLD = str.maketrans({"đ": "d", "Đ": "D"})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def nfc(text: str) -> str:
    """Unicode NFC: the one form every stored text takes."""
    return unicodedata.normalize("NFC", text)


def strip_tones(text: str) -> str:
    """Remove every combining mark and map đ→d (Đ is a base letter, not a mark)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LOOKALIKES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).translate(_D_FOLD)


def match_key(text: str) -> str:
    """Case-, tone- and đ/d-insensitive key: 'Khánh Hoà' and 'khanh hòa' give 'khanh hoa'."""
    folded = strip_tones(text).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def tokens(text: str) -> list[str]:
    """Words of the match key, in order."""
    return match_key(text).split()
