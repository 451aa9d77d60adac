"""Quality gate of the deduper: pairwise precision, recall and F1 on the labelled set; exit 1 below floors.

Usage: `python bench/dedupe_quality.py [SET.jsonl]` (default: tests/eval/dedupe_set.jsonl).
"""

from __future__ import annotations

import sys
from pathlib import Path

# The labelled set and its scorer live with the tests; run from anywhere in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.eval.generator import DEFAULT_PATH, load
from tests.eval.quality import MIN_PRECISION, MIN_RECALL, evaluate


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT_PATH
    items = load(path)
    scores = evaluate(items)
    print(f"items {len(items)}, labelled stories {len({item['story'] for item in items})}")
    print(f"pairs: true {scores.true_pairs}, false {scores.false_pairs}, missed {scores.missed_pairs}")
    print(f"precision {scores.precision:.4f} (floor {MIN_PRECISION})")
    print(f"recall    {scores.recall:.4f} (floor {MIN_RECALL})")
    print(f"f1        {scores.f1:.4f}")
    for a, b in scores.wrong:
        print(f"  merged but different: {a} {b}")
    for a, b in scores.missed:
        print(f"  same story, kept apart: {a} {b}")
    return 0 if scores.passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
