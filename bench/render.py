"""Render benchmark: median time to render a 50-entry page (about 200 KB) in each feed format.

Run from the repository root: `python bench/render.py [--entries 50] [--runs 200]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feeds import RENDERERS, FeedPage
from tests.feeds.pages import large_page


def time_format(page: FeedPage, fmt: str, runs: int) -> tuple[float, float, float, int]:
    """Minimum, median and 95th percentile in milliseconds, and the document size in bytes."""
    render = RENDERERS[fmt]
    size = len(render(page))  # warm-up: imports, lxml and json caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        render(page)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return samples[0], statistics.median(samples), samples[int(len(samples) * 0.95) - 1], size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    page = large_page(args.entries)
    print(f"{args.entries} entries, {args.runs} runs each")
    # The minimum is the renderer's own cost; median and p95 also show what else the machine was doing.
    print(f"{'format':<8}{'min ms':>8}{'median ms':>11}{'p95 ms':>9}{'KB':>8}")
    for fmt in RENDERERS:
        least, median, p95, size = time_format(page, fmt, args.runs)
        print(f"{fmt:<8}{least:>8.2f}{median:>11.2f}{p95:>9.2f}{size / 1024:>8.0f}")


if __name__ == "__main__":
    main()
