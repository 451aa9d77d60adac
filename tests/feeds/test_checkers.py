"""Every format of a realistic page passes the independent checkers (validators and real feed readers).

The checkers live beside the repository (`../shared/checkers/check-feed`). In CI (env CI set) a missing
checker is a failure; on a checkout without it the test is not generated at all, so no run reports a
skip: a run that has the checker always runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from feeds import render
from tests.feeds.pages import minimal_page, sample_page

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKER = REPO_ROOT.parent / "shared" / "checkers" / "check-feed"
SUFFIXES = {"atom": ".atom", "json": ".json", "rss": ".rss"}
CHECK_TIMEOUT = 600  # seconds; five readers and two validators per document


def _checker_args() -> list[str]:
    # --strict turns skipped checkers and warnings into failures. The W3C validator is not a package
    # any registry ships; it runs only where FEEDVALIDATOR_DIR points at a copy of it.
    skip = [] if os.environ.get("FEEDVALIDATOR_DIR") else ["--skip", "w3c-feedvalidator"]
    return ["--strict", *skip]


PAGES = {"minimal": minimal_page, "sample": sample_page}


if CHECKER.is_file() or os.environ.get("CI"):

    @pytest.mark.parametrize("fmt", sorted(SUFFIXES))
    @pytest.mark.parametrize("page_name", sorted(PAGES))
    def test_independent_checkers_accept_the_feed(fmt: str, page_name: str, tmp_path: Path) -> None:
        assert CHECKER.is_file(), f"feed checker missing at {CHECKER}: CI needs shared/checkers beside it"
        document = tmp_path / f"{page_name}{SUFFIXES[fmt]}"
        document.write_bytes(render(PAGES[page_name](), fmt))
        # The checker's Python readers are installed into this interpreter's environment
        # (`check-feed/install --python .venv/bin/python`), so it runs under the same interpreter.
        result = subprocess.run(
            [sys.executable, str(CHECKER), *_checker_args(), str(document)],
            capture_output=True,
            text=True,
            timeout=CHECK_TIMEOUT,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert " 0 failed, 0 skipped" in result.stdout
