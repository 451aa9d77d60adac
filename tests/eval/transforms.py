"""Republication transforms: what a provincial portal does to a ministry article when it copies it.

Each transform takes a seeded `random.Random`, the copy (title, paragraphs) and the original's carrier,
and returns the changed copy. They are what the deduper must see through.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from tests.eval.vocab import PEOPLE


@dataclass(frozen=True)
class Copy:
    """An item being made: title, body paragraphs, and who the original carrier was."""

    title: str
    paragraphs: tuple[str, ...]
    origin_name: str  # "Bộ TN&MT", "UBND tỉnh Khánh Hòa"
    origin_host: str  # "monre.gov.vn"
    portal: str  # the copying portal's name: "tỉnh Khánh Hòa"


# New-style -> old-style tone placement (hòa -> hoà): NFC keeps them apart, folding must not.
_OLD_TONES = {
    "hòa": "hoà",
    "Hòa": "Hoà",
    "hóa": "hoá",
    "Hóa": "Hoá",
    "khỏe": "khoẻ",
    "thủy": "thuỷ",
    "Thủy": "Thuỷ",
    "lũy": "luỹ",
    "Lũy": "Luỹ",
    "quý": "quí",
    "tỷ": "tỉ",
}
_FURNITURE_TOP = ("Lượt xem: {n}", "In bài viết", "Chia sẻ")
_FURNITURE_BOTTOM = ("Chia sẻ bài viết", "Gửi email", "In trang", "Về đầu trang")
_RELATED = (
    "Tin liên quan",
    "Tăng cường công tác phòng, chống thiên tai mùa mưa bão",
    "Hội nghị tập huấn nghiệp vụ quản lý đất đai năm 2026",
)


def title_prefix(rng: random.Random, c: Copy) -> Copy:
    prefix = rng.choice((f"{c.origin_name}: ", "[Video] ", f"({c.origin_host.capitalize()}) - "))
    return replace(c, title=prefix + c.title)


def title_suffix(rng: random.Random, c: Copy) -> Copy:
    suffix = rng.choice((f" - Cổng TTĐT {c.portal}", " | Báo Chính phủ", f" - {c.origin_host}"))
    return replace(c, title=c.title + suffix)


def furniture(rng: random.Random, c: Copy) -> Copy:
    top = tuple(line.format(n=f"{rng.randint(1, 9)}.{rng.randint(100, 999)}") for line in _FURNITURE_TOP)
    return replace(c, paragraphs=top + c.paragraphs + _FURNITURE_BOTTOM + _RELATED)


def photo_caption(rng: random.Random, c: Copy) -> Copy:
    caption = f"Quang cảnh buổi làm việc. Ảnh: {rng.choice(PEOPLE)}"
    at = rng.randint(1, max(1, len(c.paragraphs) - 1))
    return replace(c, paragraphs=(*c.paragraphs[:at], caption, *c.paragraphs[at:]))


def drop_last_paragraph(rng: random.Random, c: Copy) -> Copy:
    drop = 2 if len(c.paragraphs) > 5 and rng.random() < 0.3 else 1
    return replace(c, paragraphs=c.paragraphs[:-drop])


def credit_line(rng: random.Random, c: Copy) -> Copy:
    line = rng.choice(
        (
            f"Nguồn: {c.origin_host}",
            f"Nguồn tin: Theo Cổng TTĐT {c.origin_name}",
            f"(Theo {c.origin_host})",
            f"Theo Cổng TTĐT {c.origin_name}",
        )
    )
    return replace(c, paragraphs=(*c.paragraphs, line))


def nfd(rng: random.Random, c: Copy) -> Copy:
    def form(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    return replace(c, title=form(c.title), paragraphs=tuple(form(p) for p in c.paragraphs))


def old_tones(rng: random.Random, c: Copy) -> Copy:
    def old(text: str) -> str:
        for new, legacy in _OLD_TONES.items():
            text = text.replace(new, legacy)
        return text

    return replace(c, title=old(c.title), paragraphs=tuple(old(p) for p in c.paragraphs))


def markup_noise(rng: random.Random, c: Copy) -> Copy:
    def noisy(text: str) -> str:
        words = text.split(" ")
        at = rng.randint(0, len(words) - 1)
        glue = rng.choice(("\u00a0", "&nbsp;", "  ", " <br> ", "\u200b "))
        return " ".join(words[:at]) + glue + " ".join(words[at:])

    return replace(c, paragraphs=tuple(noisy(p) for p in c.paragraphs))


def small_edits(rng: random.Random, c: Copy) -> Copy:
    def edit(text: str) -> str:
        for old, new in (("đã ", ""), ("cho biết", "nêu rõ"), ("Ủy ban nhân dân", "UBND"), ("; ", ". ")):
            if old in text and rng.random() < 0.5:
                text = text.replace(old, new, 1)
        return text

    return replace(c, paragraphs=tuple(edit(p) for p in c.paragraphs))


TRANSFORMS: dict[str, Callable[[random.Random, Copy], Copy]] = {
    "credit_line": credit_line,
    "drop_last_paragraph": drop_last_paragraph,
    "furniture": furniture,
    "markup_noise": markup_noise,
    "nfd": nfd,
    "old_tones": old_tones,
    "photo_caption": photo_caption,
    "small_edits": small_edits,
    "title_prefix": title_prefix,
    "title_suffix": title_suffix,
}
# Applied in this order when chosen, as a copying portal would: edit the text, then dress it.
ORDER = (
    "small_edits",
    "drop_last_paragraph",
    "photo_caption",
    "credit_line",
    "title_prefix",
    "title_suffix",
    "furniture",
    "old_tones",
    "markup_noise",
    "nfd",
)
