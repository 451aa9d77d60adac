"""Repair of text that reached us in the wrong encoding: UTF-8 read as cp1252, TCVN3 (ABC) read as cp1252.

str -> str; each repair leaves text that shows no sign of its problem untouched.
"""

from __future__ import annotations

import re

# TCVN3 (ABC) is a font encoding: its bytes, read as cp1252/latin-1, give these characters. It has no
# upper-case toned letters (headings used separate fonts), so only the seven base capitals map.
TCVN3_TO_UNICODE: dict[str, str] = {
    "\u00ad": "ư",
    "¡": "Ă",
    "¢": "Â",
    "£": "Ê",
    "¤": "Ô",
    "¥": "Ơ",
    "¦": "Ư",
    "§": "Đ",
    "¨": "ă",
    "©": "â",
    "ª": "ê",
    "«": "ô",
    "¬": "ơ",
    "®": "đ",
    "µ": "à",
    "¶": "ả",
    "·": "ã",
    "¸": "á",
    "¹": "ạ",
    "»": "ằ",
    "¼": "ẳ",
    "½": "ẵ",
    "¾": "ắ",
    "Æ": "ặ",
    "Ç": "ầ",
    "È": "ẩ",
    "É": "ẫ",
    "Ê": "ấ",
    "Ë": "ậ",
    "Ì": "è",
    "Î": "ẻ",
    "Ï": "ẽ",
    "Ð": "é",
    "Ñ": "ẹ",
    "Ò": "ề",
    "Ó": "ể",
    "Ô": "ễ",
    "Õ": "ế",
    "Ö": "ệ",
    "×": "ì",
    "Ø": "ỉ",
    "Ü": "ĩ",
    "Ý": "í",
    "Þ": "ị",
    "ß": "ò",
    "á": "ỏ",
    "â": "õ",
    "ã": "ó",
    "ä": "ọ",
    "å": "ồ",
    "æ": "ổ",
    "ç": "ỗ",
    "è": "ố",
    "é": "ộ",
    "ê": "ờ",
    "ë": "ở",
    "ì": "ỡ",
    "í": "ớ",
    "î": "ợ",
    "ï": "ù",
    "ñ": "ủ",
    "ò": "ũ",
    "ó": "ú",
    "ô": "ụ",
    "õ": "ừ",
    "ö": "ử",
    "÷": "ữ",
    "ø": "ứ",
    "ù": "ự",
    "ú": "ỳ",
    "û": "ỷ",
    "ü": "ỹ",
    "ý": "ý",
    "þ": "ỵ",
}
_TCVN3 = str.maketrans(TCVN3_TO_UNICODE)
# Characters that Unicode text has only as symbols or in other languages, but TCVN3 uses for toned letters.
# One counts only inside a word (next to a letter or another marker): "©2026" or "«Hà Nội»" are not TCVN3,
# and the guillemets count only where TCVN3 puts them, "«" after a letter ("C«ng"), "»" before one ("b»ng").
_MARKS = "\u00ad¡¢£¤¥¦§¨©ª¬®µ¶·¸¹¼½¾ÆÇÈËÌÎÏÐÑÖ×ØÜÞßäåæçëîïñö÷øùûüþ"
_IN_WORD = f"[A-Za-z{_MARKS}]"
_TCVN3_MARKERS = re.compile(f"{_IN_WORD}«|»{_IN_WORD}|{_IN_WORD}[{_MARKS}]|[{_MARKS}]{_IN_WORD}")
# Letters only Unicode Vietnamese has (ă â ê ô ơ ư đ with or without tones are in these two ranges).
# TCVN3 has no upper-case accented letters: "Ð" beside a capital ("89/2015/NÐ-CP") is the Eth look-alike
# of Đ that document numbers carry, not TCVN3's "Ð" byte.
_ETH_BESIDE_CAPITAL = re.compile(r"(?<=[A-Z])Ð|Ð(?=[A-Z])")
_UNICODE_VIETNAMESE = re.compile(r"[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")

# "Sloppy" cp1252: the five bytes cp1252 leaves undefined come through as C1 controls, as browsers do.
_BYTE_OF: dict[str, int] = {chr(b): b for b in range(0x80, 0x100)} | {
    bytes([b]).decode("cp1252"): b for b in range(0x80, 0x100) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def _chars(low: int, high: int) -> str:
    return "".join(re.escape(ch) for ch, b in _BYTE_OF.items() if low <= b <= high)


_CONT = f"[{_chars(0x80, 0xBF)}]"
_MOJIBAKE = re.compile(
    f"[{_chars(0xC2, 0xDF)}]{_CONT}|[{_chars(0xE0, 0xEF)}]{_CONT}{{2}}|[{_chars(0xF0, 0xF4)}]{_CONT}{{3}}"
)
_CONTINUATION = re.compile(_CONT)
# What a repaired sequence may decode to: Latin letters, Vietnamese tone and vowel marks (NFD sources),
# general punctuation (’ “ ” – …), the đồng and euro signs. Anything else means the text was not mojibake.
_COMBINING_OK = frozenset("\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323")


def may_hold_mojibake(text: str) -> bool:
    """False when not one cp1252-read UTF-8 sequence occurs in the text: no substring needs repairing."""
    # The one-class scan first: every sequence holds a continuation character, which prose rarely has.
    return _CONTINUATION.search(text) is not None and _MOJIBAKE.search(text) is not None


def looks_like_mojibake(text: str) -> bool:
    """True when the text holds UTF-8 sequences read as cp1252 that decode to a Vietnamese letter."""
    # Every sequence holds a continuation character (cp1252 0x80-0xBF); plain Vietnamese rarely has one.
    if text.isascii() or _CONTINUATION.search(text) is None:
        return False
    return any(ord(ch) >= 0x100 for m in _MOJIBAKE.finditer(text) if (ch := _decode(m[0])))


def repair_mojibake(text: str) -> str:
    """'Nghá»‹ Ä‘á»‹nh' -> 'Nghị định'; text without such sequences is returned as it is."""
    if not looks_like_mojibake(text):
        return text
    return _MOJIBAKE.sub(lambda m: _decode(m[0]) or m[0], text)


def looks_like_tcvn3(text: str) -> bool:
    """True for TCVN3 text read as cp1252 ('ViÖt Nam', 'C«ng v¨n'): markers and no Unicode Vietnamese."""
    # Unicode Vietnamese answers first: found within a few words of most text, it rules TCVN3 out whatever
    # the markers say (the Eth removal below touches no letter of that class). ASCII holds no marker.
    if text.isascii() or _UNICODE_VIETNAMESE.search(text) is not None:
        return False
    return _TCVN3_MARKERS.search(_ETH_BESIDE_CAPITAL.sub("", text)) is not None


def map_tcvn3(text: str) -> str:
    """Map every TCVN3 character to Unicode (call only when `looks_like_tcvn3` said so)."""
    return text.translate(_TCVN3)


def _decode(sequence: str) -> str | None:
    try:
        char = bytes(_BYTE_OF[ch] for ch in sequence).decode("utf-8")
    except UnicodeDecodeError:
        return None
    code = ord(char)
    plausible = (
        0xA0 <= code <= 0x24F
        or char in _COMBINING_OK
        or 0x1E00 <= code <= 0x1EFF
        or 0x2000 <= code <= 0x206F
        or char in "₫€"
    )
    return char if plausible else None
