"""`portalhub harvest` and `reprocess` against portals served over HTTP on 127.0.0.1: exit codes 0, 1, 2."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from hub.cli import app
from tests.support.http import LocalServer, Reply, serve

WIDE = {"COLUMNS": "250"}
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>{title}</title><link>{link}</link><description>Tin tức</description>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>{link}</link><guid>{link}</guid>
<description>{summary}</description><pubDate>Mon, 02 Mar 2026 08:{minute:02d}:00 +0700</pubDate></item>"""
MAE_ITEMS = [
    (
        "Bộ trưởng Bộ Nông nghiệp và Môi trường làm việc với tỉnh Khánh Hòa",
        "Trao đổi về phát triển kinh tế biển.",
    ),
    ("Ra quân hưởng ứng Ngày Môi trường thế giới", "Hàng nghìn người dân tham gia làm sạch bờ biển."),
]
KHANHHOA_ITEMS = [
    ("UBND tỉnh Khánh Hòa họp phiên thường kỳ tháng 3", "Đánh giá tình hình kinh tế - xã hội quý I."),
]


def _feed(server: LocalServer, path: str, title: str, items: list[tuple[str, str]]) -> bytes:
    entries = "\n".join(
        ITEM.format(title=name, link=server.url(f"{path}/{n}.html"), summary=summary, minute=n)
        for n, (name, summary) in enumerate(items, start=1)
    )
    return RSS.format(title=title, link=server.url("/"), items=entries).encode()


@pytest.fixture
def portals() -> Iterator[LocalServer]:
    """Two healthy portals and one whose feed answers 500."""
    with serve() as server:
        server.routes["/mae/rss"] = Reply(
            _feed(server, "/mae", "Bộ Nông nghiệp và Môi trường", MAE_ITEMS),
            headers={"Content-Type": "application/rss+xml; charset=utf-8"},
        )
        server.routes["/khanhhoa/rss"] = Reply(
            _feed(server, "/khanhhoa", "Cổng TTĐT tỉnh Khánh Hòa", KHANHHOA_ITEMS),
            headers={"Content-Type": "application/rss+xml; charset=utf-8"},
        )
        server.routes["/syt/rss"] = Reply(b"Internal Server Error", 500)
        yield server


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, portals: LocalServer) -> Path:
    """An initialised SQLite hub with the three portals registered."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTALHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'hub.db'}")
    monkeypatch.setenv("PORTALHUB_PER_HOST_DELAY", "0")
    sources = [
        _source("mae-tin-tuc", "Bộ Nông nghiệp và Môi trường", "ministry", portals.url("/mae/rss")),
        _source("khanhhoa-tin-tuc", "UBND tỉnh Khánh Hòa", "province", portals.url("/khanhhoa/rss")),
        _source("syt-hcm-tin-tuc", "Sở Y tế TP Hồ Chí Minh", "department", portals.url("/syt/rss")),
    ]
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), encoding="utf-8")
    assert run("init").exit_code == 0
    assert run("sources", "sync", str(path)).exit_code == 0
    return path


def _source(source_id: str, agency: str, level: str, url: str) -> dict[str, object]:
    return {
        "id": source_id,
        "name": f"Tin tức - {agency}",
        "agency": agency,
        "level": level,
        "kind": "feed",
        "content_type": "article",
        "url": url,
        "schedule": {"every": "15m"},
        "summary_min_chars": 0,  # the summaries are the content: no article page to fetch
    }


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=WIDE)


def _row(output: str, source_id: str) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.split()[:1] == [source_id])


def test_healthy_sources_exit_0_with_a_summary(hub: Path) -> None:
    result = run("harvest", "mae-tin-tuc", "khanhhoa-tin-tuc")
    assert result.exit_code == 0, result.output
    assert _row(result.stdout, "mae-tin-tuc")[1:3] == ["success", "2"]
    assert _row(result.stdout, "khanhhoa-tin-tuc")[1:3] == ["success", "1"]
    assert "syt-hcm-tin-tuc" not in result.stdout


def test_second_harvest_finds_nothing_new(hub: Path) -> None:
    run("harvest", "mae-tin-tuc")
    result = run("harvest", "mae-tin-tuc")
    assert result.exit_code == 0, result.output
    status, new = _row(result.stdout, "mae-tin-tuc")[1:3]
    assert status in {"success", "not_modified"}
    assert new == "0"


def test_one_failing_source_exits_1_and_is_named(hub: Path) -> None:
    result = run("harvest", "--all")
    assert result.exit_code == 1, result.output
    assert _row(result.stdout, "mae-tin-tuc")[1] == "success"
    assert _row(result.stdout, "syt-hcm-tin-tuc")[1] == "failed"
    assert re.search(r"syt-hcm-tin-tuc failed: fetch\.\w+: ", result.stderr), result.stderr
    assert "mae-tin-tuc" not in result.stderr


def test_list_shows_health_after_a_harvest(hub: Path) -> None:
    run("harvest", "--all")
    listed = run("sources", "list").stdout
    mae, syt = _row(listed, "mae-tin-tuc"), _row(listed, "syt-hcm-tin-tuc")
    # id, kind, content type, "every 15m", enabled, local date and time, status, failures, last error
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", " ".join(mae[6:8]))
    assert mae[8:] == ["success", "0"]
    assert syt[8:10] == ["failed", "1"]
    assert syt[10].startswith("fetch.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["harvest"], "name source ids, or give --all"),
        (["harvest", "mae-tin-tuc", "--all"], "name source ids, or give --all"),
        (["harvest", "mae-tin-tuc", "so-khong-co"], "unknown source id(s): so-khong-co"),
        (["reprocess", "so-khong-co"], "unknown source id(s): so-khong-co"),
    ],
)
def test_bad_request_exits_2_without_harvesting(
    hub: Path, portals: LocalServer, args: list[str], message: str
) -> None:
    before = len(portals.requests)
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(portals.requests) == before


def test_unreachable_database_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTALHUB_DATABASE_URL", "postgresql://portalhub@127.0.0.1:1/portalhub")
    result = run("harvest", "--all")
    assert result.exit_code == 2
    assert "cannot reach the database" in result.stderr


def test_reprocess_runs_stored_records_again(hub: Path, portals: LocalServer) -> None:
    run("harvest", "mae-tin-tuc")
    before = len(portals.requests)
    result = run("reprocess", "mae-tin-tuc")
    assert result.exit_code == 0, result.output
    assert _row(result.stdout, "mae-tin-tuc")[1] == "success"
    assert len(portals.requests) == before  # reprocessing never fetches
