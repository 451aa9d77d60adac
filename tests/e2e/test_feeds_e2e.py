"""Every stream and source feed of a harvested hub, in every format: independent checkers, filters, 422s.

The checkers live beside the repository (`../shared/checkers/check-feed`), as in tests/feeds/test_checkers.py:
in CI (env CI set) a missing checker is a failure; elsewhere, without it, the checker test is not generated,
so no run reports a skip.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from dedupe.text import match_key
from hub.demo.catalogue import load_portals
from tests.e2e.conftest import SERVICES_SOURCE_ID, HubWorld, entry_id, json_items

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKER = REPO_ROOT.parent / "shared" / "checkers" / "check-feed"
CHECK_TIMEOUT = 600  # seconds; five readers and two validators per document
CHECK_WORKERS = 8  # documents checked side by side; each check is mostly waiting on its subprocesses
FORMATS = ("atom", "json", "rss")
STREAMS = ("all", "articles", "documents", "services")
SOURCE_IDS = sorted(
    [str(entry["id"]) for portal in load_portals() for entry in portal.sources] + [SERVICES_SOURCE_ID]
)
FEED_PATHS = [f"/feeds/{stream}.{fmt}" for stream in STREAMS for fmt in FORMATS] + [
    f"/feeds/sources/{source_id}.{fmt}" for source_id in SOURCE_IDS for fmt in FORMATS
]
KHANH_HOA_SPELLINGS = ("Khánh Hòa", "Khánh Hoà")


def _checker_args() -> list[str]:
    # --strict turns skipped checkers and warnings into failures. The W3C validator is not a package
    # any registry ships; it runs only where FEEDVALIDATOR_DIR points at a copy of it.
    skip = [] if os.environ.get("FEEDVALIDATOR_DIR") else ["--skip", "w3c-feedvalidator"]
    return ["--strict", *skip]


async def _download(world: HubWorld, folder: Path) -> dict[str, Path]:
    documents = {}
    async with world.client() as client:
        for path in FEED_PATHS:
            reply = await client.get(path)
            assert reply.status_code == 200, (path, reply.text)
            documents[path] = folder / path.strip("/").replace("/", "_")
            documents[path].write_bytes(reply.content)
    return documents


def _check(document: Path) -> subprocess.CompletedProcess[str]:
    # The checker's Python readers are installed into this interpreter's environment, so it runs under it.
    return subprocess.run(
        [sys.executable, str(CHECKER), *_checker_args(), str(document)],
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT,
        check=False,
    )


if CHECKER.is_file() or os.environ.get("CI"):

    @pytest.fixture(scope="module")
    def verdicts(
        world: HubWorld, tmp_path_factory: pytest.TempPathFactory
    ) -> dict[str, subprocess.CompletedProcess[str]]:
        """Every feed downloaded once and checked side by side; each test then reads its verdict."""
        assert CHECKER.is_file(), f"feed checker missing at {CHECKER}: CI needs shared/checkers beside it"
        documents = asyncio.run(_download(world, tmp_path_factory.mktemp("feeds")))
        with ThreadPoolExecutor(CHECK_WORKERS) as pool:
            return dict(zip(documents, pool.map(_check, documents.values()), strict=True))

    @pytest.mark.parametrize("path", FEED_PATHS)
    def test_independent_checkers_accept_every_feed(
        path: str, verdicts: dict[str, subprocess.CompletedProcess[str]]
    ) -> None:
        result = verdicts[path]
        assert result.returncode == 0, result.stdout + result.stderr
        assert " 0 failed, 0 skipped" in result.stdout


@pytest.mark.parametrize("fmt", FORMATS)
async def test_every_source_feed_holds_only_its_source(world: HubWorld, fmt: str) -> None:
    async with world.client() as client:
        for source_id in SOURCE_IDS:
            reply = await client.get(f"/feeds/sources/{source_id}.{fmt}", params={"limit": "200"})
            expected = {entry_id(item) for item, _ in world.stored() if item.source_id == source_id}
            assert expected, source_id
            assert all(entry in reply.text for entry in expected)
            assert reply.text.count("tag:portalhub.test,2026:story/") == len(expected)


async def _filtered(world: HubWorld, **params: str) -> list[dict[str, Any]]:
    async with world.client() as client:
        return await json_items(client, "/feeds/all.json", **params)


def _ids(items: list[dict[str, Any]]) -> set[str]:
    return {item["id"] for item in items}


@pytest.mark.parametrize("q", ["khanh hoa", "Khánh Hòa", "KHÁNH HOÀ", "khánh hoà"])
async def test_text_search_ignores_case_and_tone_marks(world: HubWorld, q: str) -> None:
    items = await _filtered(world, q=q)
    titles = " ".join(item["title"] for item in items)
    assert all(spelling in titles for spelling in KHANH_HOA_SPELLINGS)
    # Every word, anywhere in the title or summary (not necessarily side by side).
    expected = {
        entry_id(item)
        for item, _ in world.stored(canonical=True)
        if {"khanh", "hoa"} <= set(match_key(f"{item.title} {item.summary}").split())
    }
    assert _ids(items) == expected


@pytest.mark.parametrize(
    ("param", "value", "column"),
    [
        ("agency", "UBND tỉnh Khánh Hòa", "agency"),
        ("level", "department", "level"),
        ("level", "ministry", "level"),
        ("source", "mae-tin-tuc", "id"),
        ("source", SERVICES_SOURCE_ID, "id"),
    ],
)
async def test_source_filters_keep_exactly_that_sources_items(
    world: HubWorld, param: str, value: str, column: str
) -> None:
    items = await _filtered(world, **{param: value, "limit": "7"})
    # A stream lists each story once, by its canonical original; naming a source shows all its copies.
    stored = world.stored(canonical=param != "source")
    expected = {entry_id(item) for item, source in stored if getattr(source, column) == value}
    assert expected
    assert _ids(items) == expected


@pytest.mark.parametrize(
    "topic", ["Phòng, chống thiên tai", "phong, chong thien tai", "PHÒNG, CHỐNG THIÊN TAI"]
)
async def test_topic_filter_ignores_case_and_tone_marks(world: HubWorld, topic: str) -> None:
    items = await _filtered(world, topic=topic)
    wanted = match_key(topic)
    expected = {
        entry_id(item)
        for item, _ in world.stored(canonical=True)
        if any(match_key(one) == wanted for one in item.topics)
    }
    assert len(expected) >= 2
    assert _ids(items) == expected


@pytest.mark.parametrize(
    "since", ["2026-11-19T00:00:00+07:00", "2026-11-19T00:00:00", "2026-11-18T17:00:00Z"]
)
async def test_since_keeps_items_published_from_then_on(world: HubWorld, since: str) -> None:
    items = await _filtered(world, since=since)
    cut = datetime.fromisoformat("2026-11-19T00:00:00+07:00")  # a time without offset is Hà Nội time
    stored = world.stored(canonical=True)
    expected = {entry_id(item) for item, _ in stored if item.published >= cut}
    assert 0 < len(expected) < len(stored)
    assert _ids(items) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "201"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"page": "2"}, "page"),
        ({"cursor": "khong-phai-con-tro"}, "cursor"),
        ({"cursor": "bnwyMDI2"}, "cursor"),
        ({"level": "xa"}, "level"),
        ({"since": "hôm qua"}, "since"),
    ],
)
@pytest.mark.parametrize("path", ["/feeds/all.atom", "/feeds/sources/mae-tin-tuc.json"])
async def test_bad_parameters_get_422_naming_the_field(
    world: HubWorld, path: str, params: dict[str, str], field: str
) -> None:
    async with world.client() as client:
        reply = await client.get(path, params=params)
    assert reply.status_code == 422
    assert [error["loc"][-1] for error in reply.json()["detail"]] == [field]


@pytest.mark.parametrize(
    ("path", "field"),
    [("/feeds/everything.atom", "stream"), ("/feeds/all.xml", "fmt"), ("/feeds/tin.json", "stream")],
)
async def test_unknown_stream_or_format_gets_422_naming_it(world: HubWorld, path: str, field: str) -> None:
    async with world.client() as client:
        reply = await client.get(path)
    assert reply.status_code == 422
    assert [error["loc"] for error in reply.json()["detail"]] == [["path", field]]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_feed_of_an_unknown_source_is_not_found(world: HubWorld, fmt: str) -> None:
    async with world.client() as client:
        reply = await client.get(f"/feeds/sources/khong-co-nguon-nay.{fmt}")
    assert reply.status_code == 404


def test_services_portal_feeds_the_services_stream(world: HubWorld) -> None:
    kinds = {item.content_type for item, _ in world.stored()}
    assert kinds == {"article", "document", "service"}
