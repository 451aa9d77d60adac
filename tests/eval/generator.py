"""Seeded generator of the labelled deduplication set: stories, their republications, hard negatives.

Run `python -m tests.eval.generator [--seed N] [--families N] [OUT]` from the repository root to rewrite
`tests/eval/dedupe_set.jsonl`. One JSON object per item; items with the same `story` are one story.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from string import Formatter
from typing import Any

from tests.eval.transforms import ORDER, TRANSFORMS, Copy
from tests.eval.vocab import COMMODITIES, MINISTRIES, PEOPLE, PROVINCES, TEMPLATES, TOPICS

DEFAULT_PATH = Path(__file__).with_name("dedupe_set.jsonl")
# How a hard-negative sibling differs from its family's first event.
SIBLING_KINDS = ("monthly", "other_province", "same_template", "weekly")
_SHORT_BODY = "Xem chi tiết văn bản tại file đính kèm."


@dataclass(frozen=True)
class Event:
    """One real-world event: a template, its sentence choices and its facts."""

    template: str
    choices: tuple[int, ...]
    fields: dict[str, Any]
    origin_name: str
    origin_host: str
    published: datetime


def generate(seed: int = 20260513, families: int = 95) -> list[dict[str, Any]]:
    """Items of `families` families of events (1-4 events each), every event with 0-3 republications."""
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    start = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    for family in range(families):
        first = _event(rng, rng.choice(sorted(TEMPLATES)), start + timedelta(hours=rng.randint(0, 24 * 60)))
        events = [first] + [
            _sibling(rng, first, kind) for kind in rng.sample(SIBLING_KINDS, rng.randint(0, 3))
        ]
        for event in events:
            items.extend(_story_items(rng, event, f"f{family:03d}", f"s{len(items):04d}"))
    items.extend(_short_items(rng, start))
    return items


def write(items: list[dict[str, Any]], path: Path = DEFAULT_PATH) -> None:
    lines = (json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load(path: Path = DEFAULT_PATH) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _event(rng: random.Random, template: str, when: datetime) -> Event:
    agency, short, host, role, person = rng.choice(MINISTRIES)
    province, province_host = rng.choice(PROVINCES)
    fields = {
        "agency": agency,
        "role": role,
        "person": person,
        "province": province,
        "place": rng.choice(("Hà Nội", "trụ sở Bộ", f"tỉnh {province}")),
        "local": rng.choice(PEOPLE),
        "topic": rng.choice(TOPICS),
        "commodity": rng.choice(COMMODITIES),
        "trend": rng.choice(("tăng nhẹ", "giảm mạnh", "đi ngang")),
        "week": rng.randint(10, 40),
        **_numbers(rng, when),
    }
    by_province = template in {"bao_cao_tuan", "gia_ca", "thoi_tiet", "trien_khai"}
    origin = (f"UBND tỉnh {province}", province_host) if by_province else (short, host)
    choices = tuple(rng.randrange(len(alts)) for alts in TEMPLATES[template][1])
    return Event(template, choices, fields, origin[0], origin[1], when)


def _numbers(rng: random.Random, when: datetime) -> dict[str, Any]:
    day = min(when.day, 21)  # leaves room for a second day (d2) in the same month
    return {
        "d": day,
        "d2": min(day + rng.randint(1, 6), 28),
        "m": when.month,
        "y": when.year,
        "n1": rng.randint(12, 480),
        "n2": rng.randint(5, 300),
        "n3": rng.randint(1, 40),
        "p1": f"{rng.randint(60, 99)},{rng.randint(1, 9)}",
        "p2": rng.randint(20, 95),
        "money": f"{rng.randint(1, 9)}.{rng.randint(100, 999)}",
        "price": f"{rng.randint(6, 140)}.{rng.choice(('000', '500', '200'))}",
        "t1": rng.randint(31, 38),
        "t2": rng.randint(18, 22),
        "t3": rng.randint(23, 26),
        "t4": rng.randint(27, 30),
    }


def _sibling(rng: random.Random, first: Event, kind: str) -> Event:
    """Same template and sentences as `first`, a different event: the hard negatives.

    Redrawn until the lead paragraph differs: every copy keeps the lead, and an event whose only
    difference a copy may drop is not labelled "different" by anyone.
    """
    for _ in range(20):
        sibling = _draw_sibling(rng, first, kind)
        if _lead(sibling) != _lead(first):
            return sibling
    return _draw_sibling(rng, first, "monthly")


def _lead(event: Event) -> str:
    return TEMPLATES[event.template][1][0][event.choices[0]].format(**event.fields)


def _draw_sibling(rng: random.Random, first: Event, kind: str) -> Event:
    fields = dict(first.fields)
    when = first.published
    if kind == "monthly" or (kind == "other_province" and "{province}" not in TEMPLATES[first.template][0]):
        when += timedelta(days=rng.randint(28, 33))
        fields |= {
            k: v for k, v in _numbers(rng, when).items() if k in {"d", "d2", "m", "n1", "n2", "p1", "money"}
        }
    elif kind == "weekly":
        when += timedelta(days=7)
        fields |= {"week": fields["week"] + 1, "d": fields["d2"] + 1, "d2": min(fields["d2"] + 7, 28)}
        fields |= {k: v for k, v in _numbers(rng, when).items() if k in {"n1", "p1", "t1"}}
    elif kind == "other_province" and "{province}" in TEMPLATES[first.template][0]:
        when += timedelta(hours=rng.randint(1, 30))
        fields["province"], fields["local"] = _other(rng, fields["province"]), rng.choice(PEOPLE)
    elif (key := rng.choice(_lead_fields(first))) == "person":
        fields["person"] = rng.choice([person for *_, person in MINISTRIES if person != fields["person"]])
    else:
        fields[key] = _numbers(rng, when + timedelta(days=9))[key]
    return Event(first.template, first.choices, fields, first.origin_name, first.origin_host, when)


def _lead_fields(event: Event) -> tuple[str, ...]:
    """Changeable fields of the lead paragraph: every copy keeps it, so the difference stays visible."""
    lead = TEMPLATES[event.template][1][0][event.choices[0]]
    named = {name for _, name, _, _ in Formatter().parse(lead) if name}
    return tuple(sorted(named & {"d", "money", "n1", "person", "p1", "price"})) or ("d",)


def _other(rng: random.Random, province: str) -> str:
    return rng.choice([name for name, _ in PROVINCES if name != province])


def _story_items(rng: random.Random, event: Event, family: str, story: str) -> list[dict[str, Any]]:
    title, sentences = TEMPLATES[event.template]
    base = Copy(
        title=title.format(**event.fields),
        paragraphs=tuple(
            alts[i].format(**event.fields) for alts, i in zip(sentences, event.choices, strict=True)
        ),
        origin_name=event.origin_name,
        origin_host=event.origin_host,
        portal="",
    )
    original = _item(base, event.origin_host, event.published, (family, story, 0), ())
    items = [original]
    if rng.random() < 0.1:
        # The same page harvested again through a share link, with the portal's furniture this time.
        again = _item(
            TRANSFORMS["furniture"](rng, base), event.origin_host, event.published, (family, story, 1), ()
        )
        items.append(
            again | {"guid": original["guid"], "url": original["url"] + "?utm_source=zalo&zarsrc=30"}
        )
    for name, host in rng.sample(PROVINCES, rng.choice((0, 1, 1, 2, 2, 3))):
        if host == event.origin_host:
            continue
        chosen = tuple(t for t in ORDER if rng.random() < 0.45) or ("title_suffix",)
        copy = Copy(base.title, base.paragraphs, base.origin_name, base.origin_host, f"tỉnh {name}")
        for transform in chosen:
            copy = TRANSFORMS[transform](rng, copy)
        when = event.published + timedelta(hours=rng.randint(1, 40))
        items.append(_item(copy, host, when, (family, story, len(items)), chosen))
    return items


def _short_items(rng: random.Random, start: datetime) -> list[dict[str, Any]]:
    """Document notices whose body is only "see the attachment": same body, different stories."""
    items = []
    for n in range(12):
        province, host = PROVINCES[n]
        title = f"Quyết định số {rng.randint(100, 999)}/QĐ-UBND về {rng.choice(TOPICS)} của tỉnh {province}"
        notice = Copy(title, (_SHORT_BODY,), f"UBND tỉnh {province}", host, "")
        items.append(_item(notice, host, start + timedelta(days=n), ("short", f"q{n:03d}", 0), ()))
    return items


def _item(
    c: Copy, host: str, when: datetime, label: tuple[str, str, int], transforms: tuple[str, ...]
) -> dict[str, Any]:
    family, story, n = label
    item_id = f"{host.split('.')[0]}-{story}-{n}"
    return {
        "body": "\n".join(c.paragraphs),
        "family": family,
        "guid": item_id,
        "id": item_id,
        "published": when.isoformat(),
        "source_id": host.split(".")[0],
        "story": story,
        "title": c.title,
        "transforms": list(transforms),
        "url": f"https://{host}/tin-tuc/{item_id}.html",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--seed", type=int, default=20260513)
    parser.add_argument("--families", type=int, default=95)
    args = parser.parse_args()
    items = generate(args.seed, args.families)
    write(items, args.out)
    print(f"{len(items)} items, {len({i['story'] for i in items})} stories -> {args.out}")


if __name__ == "__main__":
    main()
