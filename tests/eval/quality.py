"""Pairwise precision, recall and F1 of the deduper on the labelled set, run as the hub would run it.

Items arrive in publication order; each looks up candidates (exact keys, then LSH bands in a
`MemoryIndex`), joins the story of its best match, and is indexed. Predicted stories are then compared
with the labelled ones pair by pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from typing import Any

from dedupe.index import MemoryIndex
from dedupe.match import Fingerprint, best_match, exact_keys, fingerprint_item
from dedupe.settings import DEFAULT_SETTINGS, DedupeSettings

# Pinned floors of the quality gate; raise them as results improve, never lower them to pass.
MIN_PRECISION = 0.995
MIN_RECALL = 0.97


@dataclass(frozen=True, slots=True)
class Scores:
    """Pair counts and the measures derived from them."""

    true_pairs: int
    false_pairs: int
    missed_pairs: int
    wrong: tuple[tuple[str, str], ...]  # merged pairs of different stories (first few)
    missed: tuple[tuple[str, str], ...]  # same-story pairs left apart (first few)

    @property
    def precision(self) -> float:
        found = self.true_pairs + self.false_pairs
        return self.true_pairs / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_pairs + self.missed_pairs
        return self.true_pairs / labelled if labelled else 1.0

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0

    @property
    def passed(self) -> bool:
        return self.precision >= MIN_PRECISION and self.recall >= MIN_RECALL


def predict_stories(
    items: Iterable[Mapping[str, Any]], settings: DedupeSettings = DEFAULT_SETTINGS
) -> dict[str, str]:
    """item id -> id of the story's first item, assigning items in publication order."""
    index: MemoryIndex[str] = MemoryIndex()
    known: dict[str, Fingerprint] = {}
    by_key: dict[tuple[str, str], str] = {}
    story: dict[str, str] = {}
    for item in sorted(items, key=lambda i: (i["published"], i["id"])):
        fp = _fingerprint(item, settings)
        ids = index.candidates(fp.bands) | {by_key[k] for k in exact_keys(fp) if k in by_key}
        found = best_match(fp, {i: known[i] for i in ids}, settings)
        story[item["id"]] = story[found[0]] if found else item["id"]
        known[item["id"]] = fp
        index.add(item["id"], fp.bands)
        by_key.update(dict.fromkeys(exact_keys(fp), item["id"]))
    return story


def score(items: Sequence[Mapping[str, Any]], predicted: Mapping[str, str]) -> Scores:
    labelled = {item["id"]: item["story"] for item in items}
    counts: Counter[str] = Counter()
    examples: dict[str, list[tuple[str, str]]] = {"fp": [], "fn": []}
    for a, b in combinations(sorted(labelled), 2):
        same, merged = labelled[a] == labelled[b], predicted[a] == predicted[b]
        outcome = {(True, True): "tp", (False, True): "fp", (True, False): "fn"}.get((same, merged))
        if outcome:
            counts[outcome] += 1
            if outcome in examples and len(examples[outcome]) < 10:
                examples[outcome].append((a, b))
    return Scores(counts["tp"], counts["fp"], counts["fn"], tuple(examples["fp"]), tuple(examples["fn"]))


def evaluate(items: Sequence[Mapping[str, Any]], settings: DedupeSettings = DEFAULT_SETTINGS) -> Scores:
    return score(items, predict_stories(items, settings))


def _fingerprint(item: Mapping[str, Any], settings: DedupeSettings) -> Fingerprint:
    return fingerprint_item(
        title=item["title"],
        body=item["body"],
        url=item["url"],
        guid=item["guid"],
        source_id=item["source_id"],
        published=datetime.fromisoformat(item["published"]),
        settings=settings,
    )
