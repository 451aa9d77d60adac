"""Bytes -> text: pick the encoding from BOM, HTTP charset, XML declaration, HTML <meta>, then sniffing.

`decode_bytes` returns the text and how its encoding was decided; `xml_to_utf8` rewrites an XML
document as UTF-8 with a fixed declaration so libxml2 and feedparser read the same characters.
"""

from __future__ import annotations

import codecs
import enum
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

# Labels that name a codec Python would decode differently from browsers (WHATWG encoding spec:
# ISO-8859-1 and ASCII labels mean windows-1252), plus common misspellings seen on portals.
CHARSET_ALIASES: dict[str, str] = {
    "ascii": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "utf8": "utf-8",
    "vietnamese": "cp1258",
    "windows-1258": "cp1258",
    "x-cp1258": "cp1258",
}
# Codecs whose Vietnamese output is decomposed (base letter + combining tone mark): NFC afterwards.
DECOMPOSING_CODECS = frozenset({"cp1258"})
UTF8 = "utf-8"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, UTF8),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"'][^>]*\?>", re.IGNORECASE)
_XML_DECL_ANY = re.compile(r"^\s*<\?xml[^>]*\?>")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096  # declarations live at the top of a document


class EncodingSource(enum.StrEnum):
    """How the encoding of a document was decided."""

    BOM = "bom"
    HTTP = "http"
    XML = "xml"
    META = "meta"
    UTF8 = "utf8"  # the bytes are valid UTF-8
    DETECTOR = "detector"  # charset-normalizer's guess
    FALLBACK = "fallback"  # nothing worked: UTF-8 with replacement characters


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # Python codec name (`utf-8`, `cp1258`)
    source: EncodingSource


def decode_bytes(body: bytes, content_type: str = "") -> Decoded:
    """Decode `body`: BOM, then each declared charset that decodes strictly, then sniffing."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(codec, errors="replace"), codec, EncodingSource.BOM)
    for source, label in _declared(body, content_type):
        declared = codec_name(label)
        if declared is None:
            continue
        if declared != UTF8 and _is_multibyte_utf8(body):
            # A single-byte label on bytes that are valid UTF-8 with non-ASCII text is a stale
            # server setting: real windows-125x text is practically never valid UTF-8 by chance.
            return Decoded(body.decode(UTF8), UTF8, EncodingSource.UTF8)
        text = _strict(body, declared)
        if text is not None:
            return Decoded(text, declared, source)
    return _sniff(body)


def codec_name(label: str) -> str | None:
    """Python codec name for a charset label, or None when the label names nothing known."""
    label = label.strip().lower()
    try:
        return codecs.lookup(CHARSET_ALIASES.get(label, label)).name
    except LookupError:
        return None


def xml_to_utf8(body: bytes, content_type: str = "") -> tuple[bytes, Decoded | None]:
    """UTF-8 bytes of an XML document with a fixed declaration; unchanged (None) when already UTF-8.

    libxml2 ignores the HTTP charset and trusts the declaration; feedparser mishandles labels such
    as windows-1258 (decomposed marks) and unknown aliases. Rewriting removes the disagreement.
    """
    if _already_utf8(body):
        return body, None
    decoded = decode_bytes(body, content_type)
    text = _XML_DECL_ANY.sub("", decoded.text, count=1)
    return b'<?xml version="1.0" encoding="utf-8"?>' + text.encode(UTF8), decoded


def _declared(body: bytes, content_type: str) -> list[tuple[EncodingSource, str]]:
    head = body[:_SNIFF_BYTES]
    found: list[tuple[EncodingSource, str]] = []
    for source, match in (
        (EncodingSource.HTTP, _HTTP_CHARSET.search(content_type)),
        (EncodingSource.XML, _XML_DECL.search(head)),
        (EncodingSource.META, _META_CHARSET.search(head)),
    ):
        if match is not None:
            label = match.group(1)
            found.append((source, label.decode("ascii") if isinstance(label, bytes) else label))
    return found


def _strict(body: bytes, codec: str) -> str | None:
    try:
        text = body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    return unicodedata.normalize("NFC", text) if codec in DECOMPOSING_CODECS else text


def _is_multibyte_utf8(body: bytes) -> bool:
    return not body.isascii() and _strict(body, UTF8) is not None


def _sniff(body: bytes) -> Decoded:
    text = _strict(body, UTF8)
    if text is not None:
        return Decoded(text, UTF8, EncodingSource.UTF8)
    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding:
        codec = codec_name(best.encoding) or best.encoding
        text = _strict(body, codec)
        if text is not None:
            return Decoded(text, codec, EncodingSource.DETECTOR)
    return Decoded(body.decode(UTF8, errors="replace"), UTF8, EncodingSource.FALLBACK)


def _already_utf8(body: bytes) -> bool:
    # libxml2 reads only the XML declaration; the hub hands feedparser `charset=utf-8` itself.
    if body.startswith(codecs.BOM_UTF8) or _strict(body, UTF8) is None:
        return False
    match = _XML_DECL.search(body[:_SNIFF_BYTES])
    return match is None or codec_name(match.group(1).decode("ascii")) == UTF8
