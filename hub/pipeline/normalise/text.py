"""Display text cleaning: entities, encoding repairs, NFC, spaces. str -> str, the source spelling kept.

`repair_text` is safe on HTML source and on text nodes (no unescaping, no whitespace change);
`clean_text` is for plain one-line fields (title, author, topic); `clean_block` keeps paragraph breaks.
"""

from __future__ import annotations

import html
import re

from dedupe.text import nfc
from hub.pipeline.normalise.legacy import looks_like_mojibake, looks_like_tcvn3, map_tcvn3, repair_mojibake

# Zero-width characters, BOM and soft hyphen carry nothing a reader sees; they break matching.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# NBSP, the typographic spaces, narrow NBSP, ideographic space, tab and the C0/C1 controls other than
# newline: all become one plain space.
_ODD_SPACE = re.compile(
    "[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\u0085]")
_BLANK_LINES = re.compile(r"\n{3,}")


def repair_text(text: str, *, tcvn3: bool | None = None, mojibake: bool = True) -> str:
    """Undo wrong decodings and take NFC. `tcvn3` forces the TCVN3 decision (taken once per document);
    `mojibake=False` skips the mojibake scan when the caller found no such sequence in the whole document.
    """
    repaired = repair_mojibake(text) if mojibake else text
    if looks_like_tcvn3(repaired) if tcvn3 is None else tcvn3:
        repaired = map_tcvn3(repaired)
    return nfc(repaired)


def clean_text(text: str | None) -> str:
    """One line of display text: entities decoded, encodings repaired, NFC, spaces collapsed."""
    if not text:
        return ""
    repaired = repair_text(html.unescape(str(text)))
    return " ".join(_tidy_spaces(repaired).split())


def clean_block(text: str) -> str:
    """Multi-line text: spaces collapsed inside lines, at most one blank line between paragraphs."""
    unified = _tidy_spaces(_LINE_BREAKS.sub("\n", text))
    lines = (_SPACES.sub(" ", line).strip() for line in unified.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def repair_flags(*texts: str) -> list[str]:
    """Flags naming the repairs the raw texts need, for the per-source encoding report."""
    joined = "\n".join(t for t in texts if t)
    flags = []
    mojibake = looks_like_mojibake(joined)
    if mojibake:
        flags.append("text.mojibake_repaired")
    if looks_like_tcvn3(repair_mojibake(joined) if mojibake else joined):  # the scan is not run twice
        flags.append("text.tcvn3_mapped")
    return flags


def shorten(text: str, limit: int) -> str:
    """At most ~`limit` characters, cut at a word boundary, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:-–") + "…"


def _tidy_spaces(text: str) -> str:
    return _ODD_SPACE.sub(" ", _INVISIBLE.sub("", text))
