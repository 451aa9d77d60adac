"""Text and time values as every feed format writes them: NFC, XML-safe, times in Asia/Ho_Chi_Minh."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from feeds.errors import RenderError

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF); a reader
# rejects the whole document for one of them, so they are dropped from every value, JSON included.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """NFC, without characters that XML 1.0 forbids."""
    # Printable text has none of the forbidden characters (they are all in categories Cc, Cs, Cn);
    # the checks run in C and spare most values, bodies included, the regular expression.
    if text.isascii() and text.isprintable():
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text if text.isprintable() else _NOT_XML_CHAR.sub("", text)


def local_time(moment: datetime) -> datetime:
    """An aware time moved to Vietnam's offset (+07:00); a naive time cannot be rendered."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RenderError(f"naive datetime {moment.isoformat()} in a feed page", code="render.naive_datetime")
    return moment.astimezone(LOCAL_TZ).replace(microsecond=0)


def rfc3339(moment: datetime) -> str:
    """`2026-07-13T08:30:00+07:00` (Atom, JSON Feed, dc:date)."""
    return local_time(moment).isoformat()


def rfc822(moment: datetime) -> str:
    """`Mon, 13 Jul 2026 08:30:00 +0700` (RSS 2.0); never the non-RFC `GMT+7`."""
    return format_datetime(local_time(moment))


def scalar_text(value: object) -> str:
    """One structured-field value as text: dates ISO 8601, times RFC 3339, booleans `true`/`false`."""
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return clean(str(value))
