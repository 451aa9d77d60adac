"""Golden files: the sample page in each format, byte for byte (JSON compared after indenting).

After an intended change, regenerate with `PORTALHUB_UPDATE_GOLDEN=1 pytest tests/feeds/test_golden.py`
and review the diff of tests/feeds/fixtures/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from feeds import render
from tests.feeds.pages import sample_page

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPDATE = os.environ.get("PORTALHUB_UPDATE_GOLDEN") == "1"


def _readable(fmt: str, document: bytes) -> str:
    # The JSON renderer writes one compact line; indenting keeps the golden file reviewable and the
    # comparison still sees every key, value and key order.
    if fmt == "json":
        return json.dumps(json.loads(document), ensure_ascii=False, indent=2) + "\n"
    return document.decode("utf-8")


@pytest.mark.parametrize("fmt", ["atom", "json", "rss"])
def test_sample_page_matches_golden_file(fmt: str) -> None:
    golden = FIXTURES / f"sample.expected.{fmt}"
    got = _readable(fmt, render(sample_page(), fmt))
    if UPDATE:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")
