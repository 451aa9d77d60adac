"""Display text cleaning: entities, encoding repairs, NFC, spaces. str -> str, the source spelling kept.

`repair_text` is safe on HTML source and on text nodes (no unescaping, no whitespace change);
`clean_text` is for plain one-line fields (title, author, topic); `clean_block` keeps paragraph breaks;
`remove_control_chars` takes out what lxml cannot hold, before any parse.
"""

from __future__ import annotations

import html
import re

from dedupe.text import nfc
from hub.pipeline.normalise.legacy import looks_like_mojibake, looks_like_tcvn3, map_tcvn3, repair_mojibake

# Zero-width characters, BOM and soft hyphen carry nothing a reader sees; they break matching. Lone
# surrogates and U+FFFE/U+FFFF are no text at all: UTF-8 cannot hold a surrogate, so one left in an author
# or topic failed the record's hash (and its storage).
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\ud800-\udfff\ufffe\uffff]")
# NBSP, the typographic spaces, narrow NBSP, ideographic space, tab and the C0/C1 controls other than
# newline: all become one plain space.
_ODD_SPACE = re.compile(
    "[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\u0085]")
_BREAK_CHARACTERS = ("\r", "\u2028", "\u2029", "\u0085")
# Both match only where they change something: a pattern matching at every space or newline makes the
# substitution copy the text piece by piece. `clean_block` uses them on tidied text (spaces, newlines).
_SPACES = re.compile(" {2,}")
_LINE_EDGES = re.compile(r" +\n *|\n +")
_BLANK_LINES = re.compile(r"\n{3,}")
# What no XML document can hold: C0 controls but tab, LF and CR, lone surrogates (JSON's "\ud83d" without
# its pair), U+FFFE and U+FFFF. lxml refuses to store them (ValueError, and the record was lost) and its
# HTML parser stops reading at a lone surrogate. DEL goes too: lxml keeps it, but it shows nothing, and the
# body HTML and its text should hold the same words. C1 controls stay: UTF-8 read as cp1252 is made of them,
# and `repair_mojibake` needs them.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Those of them below U+0080, as bytes: UTF-8 writes each as that one byte and never uses these bytes
# inside the sequence of another character.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
CONTROL_CHARS_REMOVED = "text.control_chars_removed"


def repair_text(text: str, *, tcvn3: bool | None = None, mojibake: bool = True) -> str:
    """Undo wrong decodings and take NFC. `tcvn3` forces the TCVN3 decision (taken once per document);
    `mojibake=False` skips the mojibake scan when the caller found no such sequence in the whole document.
    """
    repaired = repair_mojibake(text) if mojibake else text
    if looks_like_tcvn3(repaired) if tcvn3 is None else tcvn3:
        repaired = map_tcvn3(repaired)
    return nfc(repaired)


def has_control_chars(text: str) -> bool:
    """True when the text holds a character `remove_control_chars` takes out.

    Every item's texts are checked, so the check runs at memory speed rather than as a regex scan (two to
    three times slower): only a lone surrogate fails to encode, and deleting the control bytes from the
    UTF-8 shortens it only when the text holds one. U+FFFE and U+FFFF are single-character finds.
    """
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    if len(encoded.translate(None, _CONTROL_BYTES)) != len(encoded):
        return True
    return "\ufffe" in text or "\uffff" in text


def remove_control_chars(text: str) -> str:
    """The text without the characters XML cannot hold; those that separate words become a space.

    VT, FF and the FS/GS/RS/US separators are whitespace to Unicode: a form feed between "Trang" and "2"
    stood for a break, and a reader expects "Trang 2", not "Trang2". The others (NUL, BEL, ESC, DEL, a
    lone surrogate ...) stand for nothing and are dropped. Clean text, nearly all of it, pays one
    `has_control_chars` and is returned as it is.
    """
    return _CONTROL_CHARS.sub(_control_replacement, text) if has_control_chars(text) else text


def control_char_names(text: str) -> list[str]:
    """The control characters of the text as code points ("U+000C"), each once, for the log."""
    return sorted({f"U+{ord(char):04X}" for char in _CONTROL_CHARS.findall(text)})


def clean_text(text: str | None) -> str:
    """One line of display text: entities decoded, encodings repaired, NFC, spaces collapsed."""
    if not text:
        return ""
    repaired = repair_text(html.unescape(str(text)))
    return " ".join(_tidy_spaces(repaired).split())


def clean_block(text: str) -> str:
    """Multi-line text: spaces collapsed inside lines, at most one blank line between paragraphs."""
    # Each pass runs only when a quick `in` finds what it would change (the scans cost more than `in`).
    if any(char in text for char in _BREAK_CHARACTERS):
        text = _LINE_BREAKS.sub("\n", text)
    text = _tidy_spaces(text)
    # Tidied, the text holds no whitespace but spaces and newlines: a run to collapse holds two spaces,
    # and stripping every line is taking the spaces around each newline (the final strip, both ends).
    if "  " in text:
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _LINE_EDGES.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def repair_flags(*texts: str) -> list[str]:
    """Flags naming the repairs the raw texts need, for the per-source encoding report."""
    joined = "\n".join(t for t in texts if t)
    flags = []
    mojibake = looks_like_mojibake(joined)
    if mojibake:
        flags.append("text.mojibake_repaired")
    if looks_like_tcvn3(repair_mojibake(joined) if mojibake else joined):  # the scan is not run twice
        flags.append("text.tcvn3_mapped")
    if has_control_chars(joined):
        flags.append(CONTROL_CHARS_REMOVED)
    return flags


def shorten(text: str, limit: int) -> str:
    """At most ~`limit` characters, cut at a word boundary, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:-–") + "…"


def _control_replacement(found: re.Match[str]) -> str:
    return " " if found[0].isspace() else ""


def _tidy_spaces(text: str) -> str:
    return _ODD_SPACE.sub(" ", _INVISIBLE.sub("", text))
