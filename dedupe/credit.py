"""Credit lines ("Nguồn: monre.gov.vn", "(Theo baochinhphu.vn)") at the start or end of a body.

Input: body text or paragraphs. Output: the `Credit` found (kept as the item's `credited_source`),
the body without it, and the known source it names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from dedupe.text import match_key

_HOST = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:vn|com|net|org))\b", re.IGNORECASE)
# Words a credited name opens with; a "Theo ..." line naming anything else is a sentence
# ("Theo báo cáo của Sở, ...") and stays in the body.
_SOURCE_WORDS = (
    "báo",
    "bộ",
    "chinhphu",
    "cổng",
    "cục",
    "đài",
    "sở",
    "tạp chí",
    "thông tấn",
    "trang",
    "ttxvn",
    "ubnd",
    "ủy ban",
    "uỷ ban",
    "văn phòng",
    "vov",
    "vtv",
)
# Openings that look like a source word but start prose: "Theo báo cáo của Sở, ..." (according to a report).
_PROSE_OPENINGS = ("báo cáo",)
# A credit line is short; a longer "Theo ..." paragraph is prose.
_MAX_CREDIT_WORDS = 14
# Generic carrier words dropped when a credited name is resolved ("Cổng TTĐT BTNMT" -> "BTNMT").
_GENERIC_PREFIXES = (
    "bao dien tu",
    "cong thong tin dien tu",
    "cong ttdt",
    "theo",
    "trang thong tin dien tu",
    "trang ttdt",
)

# (name, pattern), sorted by name. Each captures the credited name as `name`; `whole` patterns must
# match a whole paragraph, `lead`/`tail` ones match inside the first/last paragraph.
CREDIT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "(Chinhphu.vn) - Sáng 12/5, ..." opening the first paragraph
    ("lead.host_dateline", re.compile(r"^\(\s*(?P<name>[\w.-]+\.vn)\s*\)\s*[-–—]\s*", re.IGNORECASE)),
    # "(Theo baochinhphu.vn) Chiều 19/11, ..." opening the first paragraph
    (
        "lead.parenthesised",
        re.compile(
            r"^\(\s*(?:nguồn(?:\s+tin)?\s*:|theo)\s*(?P<name>[^()]{2,80}?)\s*\)\s*[-–—:]?\s*", re.IGNORECASE
        ),
    ),
    # "... triển khai thực hiện. (Theo baochinhphu.vn)" closing the last paragraph
    (
        "tail.parenthesised",
        re.compile(r"\s*\(\s*(?:nguồn(?:\s+tin)?\s*:|theo)\s*(?P<name>[^()]{2,80}?)\s*\)\s*$", re.IGNORECASE),
    ),
    # "Nguồn: monre.gov.vn", "Nguồn tin: Theo cổng TTĐT BTNMT", "(Nguồn: Cổng TTĐT Bộ Y tế)"
    (
        "whole.nguon",
        re.compile(
            r"^\(?\s*nguồn(?:\s+tin)?\s*[:：]\s*(?:theo\s+)?(?P<name>.+?)\s*\)?\s*\.?$", re.IGNORECASE
        ),
    ),
    # "Theo Cổng TTĐT tỉnh Khánh Hòa", "(Theo TTXVN)"
    ("whole.theo", re.compile(r"^\(?\s*theo\s+(?P<name>[^,;:]+?)\s*\)?\s*\.?$", re.IGNORECASE)),
)


@dataclass(frozen=True, slots=True)
class Credit:
    """A credit found in a body: the text removed, the credited name or host, and where it was."""

    line: str
    name_or_host: str
    position: Literal["start", "end"]

    @property
    def host(self) -> str | None:
        """The credited host name, lower-case and without "www.", when the credit names one."""
        found = _HOST.search(self.name_or_host)
        return found.group(1).lower().removeprefix("www.") if found else None


def find_credit(body: str | Sequence[str]) -> Credit | None:
    """The credit at the end of the body, else at its start; None when there is none."""
    return _find(_paragraphs(body))


def strip_credit(body: str | Sequence[str]) -> tuple[list[str], Credit | None]:
    """(paragraphs without the credit, the credit) — the body is returned unchanged when none."""
    return take_credit(_paragraphs(body))


def take_credit(paragraphs: list[str]) -> tuple[list[str], Credit | None]:
    """`strip_credit` of paragraphs already clean: NFC, non-empty, spaces folded (as `match_text`
    leaves them), which are not cleaned again."""
    credit = _find(paragraphs)
    if credit is None:
        return paragraphs, None
    index = len(paragraphs) - 1 if credit.position == "end" else 0
    rest = paragraphs[index].replace(credit.line, "", 1).strip()
    kept = paragraphs[:index] + ([rest] if rest else []) + paragraphs[index + 1 :]
    return kept, credit


def resolve_credit(credit: Credit, known_sources: Mapping[str, str]) -> str | None:
    """Source id of the credited portal: by host (or a parent domain), else by folded name or alias."""
    by_key = {_alias_key(alias): source_id for alias, source_id in known_sources.items()}
    host = credit.host
    while host and "." in host:
        if _alias_key(host) in by_key:
            return by_key[_alias_key(host)]
        host = host.split(".", 1)[1]
    name = _alias_key(credit.name_or_host)
    return by_key.get(name) or by_key.get(_without_generic_prefix(name))


def _find(paragraphs: list[str]) -> Credit | None:
    if not paragraphs:
        return None
    return _credit_at(paragraphs, len(paragraphs) - 1, "end") or _credit_at(paragraphs, 0, "start")


def _credit_at(paragraphs: list[str], index: int, position: Literal["start", "end"]) -> Credit | None:
    text = paragraphs[index]
    for kind, pattern in CREDIT_PATTERNS:
        if not kind.startswith(("whole", "lead" if position == "start" else "tail")):
            continue
        found = pattern.search(text)
        if found and _looks_like_source(kind, found.group("name"), text):
            line = text if kind.startswith("whole") else found.group(0).strip()
            return Credit(line=line, name_or_host=found.group("name").strip(" .-–—"), position=position)
    return None


def _looks_like_source(kind: str, name: str, paragraph: str) -> bool:
    if kind == "lead.host_dateline":
        return True  # "(host.vn) - " opening a paragraph is a dateline credit whatever follows
    if kind == "whole.nguon":
        return len(paragraph.split()) <= _MAX_CREDIT_WORDS
    if _HOST.search(name):
        return True
    lowered = name.casefold()
    # A parenthesised credit inside a long paragraph is still short itself.
    short = len(paragraph.split()) <= _MAX_CREDIT_WORDS or kind.startswith(("lead", "tail"))
    return short and lowered.startswith(_SOURCE_WORDS) and not lowered.startswith(_PROSE_OPENINGS)


def _paragraphs(body: str | Sequence[str]) -> list[str]:
    parts = body.splitlines() if isinstance(body, str) else body
    return [" ".join(_nfc(part).split()) for part in parts if part.strip()]


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _alias_key(text: str) -> str:
    return match_key(text.lower().removeprefix("www."))


def _without_generic_prefix(name: str) -> str:
    for prefix in _GENERIC_PREFIXES:
        if name.startswith(prefix + " "):
            return _without_generic_prefix(name[len(prefix) + 1 :])
    return name
