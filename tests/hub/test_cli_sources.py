"""`portalhub init`, `sources sync`, `sources list` and `--help`, run through Typer's CliRunner on SQLite."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest
import yaml
from typer.testing import CliRunner, Result

from hub.cli import app
from hub.logs import StderrHandler, configure_logging

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "valid.yaml"
WIDE = {"COLUMNS": "250"}  # Rich wraps tables to the terminal width; keep every row on one line


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite URL in PORTALHUB_DATABASE_URL; the working directory holds no stray `.env`."""
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'var' / 'hub.db'}"
    monkeypatch.setenv("PORTALHUB_DATABASE_URL", url)
    return url


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=WIDE)


def _sources_file(tmp_path: Path, ids: list[str]) -> Path:
    """The valid fixture cut down to the given source ids (anchors resolved)."""
    entries = yaml.safe_load(VALID.read_text(encoding="utf-8"))["sources"]
    path = tmp_path / "sources.yaml"
    kept = [entry for entry in entries if entry["id"] in ids]
    path.write_text(yaml.safe_dump({"sources": kept}, allow_unicode=True), encoding="utf-8")
    return path


def test_init_creates_the_database_and_says_where(database: str, tmp_path: Path) -> None:
    result = run("init")
    assert result.exit_code == 0, result.output
    assert f"Database ready at {database}" in result.stdout
    assert (tmp_path / "var" / "hub.db").is_file()
    assert run("init").exit_code == 0  # upgrading an up-to-date database changes nothing


def test_sync_adds_then_finds_nothing_changed(database: str) -> None:
    run("init")
    first = run("sources", "sync", str(VALID))
    assert first.exit_code == 0, first.output
    assert "added: 4 (khanhhoa-tin-tuc, khanhhoa-van-ban, mae-tin-tuc, syt-hcm-tin-tuc)" in first.stdout
    assert "updated: 0" in first.stdout
    second = run("sources", "sync", str(VALID))
    assert second.exit_code == 0, second.output
    assert "added: 0" in second.stdout
    assert "unchanged: 4" in second.stdout


def test_source_removed_from_the_file_is_disabled(database: str, tmp_path: Path) -> None:
    run("init")
    run("sources", "sync", str(_sources_file(tmp_path, ["mae-tin-tuc", "khanhhoa-tin-tuc"])))
    result = run("sources", "sync", str(_sources_file(tmp_path, ["mae-tin-tuc"])))
    assert result.exit_code == 0, result.output
    assert "disabled: 1 (khanhhoa-tin-tuc)" in result.stdout
    assert "unchanged: 1 (mae-tin-tuc)" in result.stdout
    listed = run("sources", "list").stdout
    khanhhoa_row = next(line for line in listed.splitlines() if "khanhhoa-tin-tuc" in line)
    assert " no " in khanhhoa_row


def test_changed_source_is_updated(database: str, tmp_path: Path) -> None:
    run("init")
    path = _sources_file(tmp_path, ["mae-tin-tuc"])
    run("sources", "sync", str(path))
    path.write_text(path.read_text(encoding="utf-8").replace("every: 15m", "every: 30m"), encoding="utf-8")
    result = run("sources", "sync", str(path))
    assert "updated: 1 (mae-tin-tuc)" in result.stdout
    assert "every 30m" in run("sources", "list").stdout


def test_list_shows_schedule_and_health_of_every_source(database: str) -> None:
    run("init")
    run("sources", "sync", str(VALID))
    result = run("sources", "list")
    assert result.exit_code == 0, result.output
    ids = {"mae-tin-tuc", "khanhhoa-tin-tuc", "khanhhoa-van-ban", "syt-hcm-tin-tuc"}
    rows = {
        words[0]: line for line in result.stdout.splitlines() if (words := line.split()) and words[0] in ids
    }
    assert set(rows) == ids
    assert "every 15m" in rows["mae-tin-tuc"]
    assert "cron */30 6-22 * * *" in rows["khanhhoa-tin-tuc"]
    assert "every 2h30m" in rows["khanhhoa-van-ban"]
    assert "document" in rows["khanhhoa-van-ban"]
    assert " no " in rows["syt-hcm-tin-tuc"]
    assert all("never" in row for row in rows.values())


def test_bad_sources_file_exits_2_and_changes_nothing(database: str, tmp_path: Path) -> None:
    run("init")
    bad = tmp_path / "sources.yaml"
    bad.write_text(VALID.read_text(encoding="utf-8").replace("every: 15m", "every: 15x"), encoding="utf-8")
    result = run("sources", "sync", str(bad))
    assert result.exit_code == 2
    assert 'source "mae-tin-tuc": field "schedule": "every: 15x" is not a duration like 15m, 1h, 30s' in (
        result.stderr
    )
    assert "mae-tin-tuc" not in run("sources", "list").stdout


def test_missing_sources_file_exits_2(database: str) -> None:
    result = run("sources", "sync", "nguon.yaml")
    assert result.exit_code == 2
    assert "nguon.yaml: cannot read the sources file" in result.stderr


def test_list_before_init_exits_2_with_a_hint(database: str) -> None:
    result = run("sources", "list")
    assert result.exit_code == 2
    assert "portalhub init" in result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://portalhub@127.0.0.1:1/portalhub", "cannot reach the database at postgresql"),
        ("khong-phai-url", "unusable database URL"),
    ],
)
def test_unusable_database_url_exits_2(monkeypatch: pytest.MonkeyPatch, url: str, message: str) -> None:
    monkeypatch.setenv("PORTALHUB_DATABASE_URL", url)
    result = run("sources", "sync", str(VALID))
    assert result.exit_code == 2
    assert message in result.stderr


def test_database_password_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTALHUB_DATABASE_URL", "postgresql://portalhub:mat-khau@127.0.0.1:1/portalhub")
    result = run("sources", "list")
    assert result.exit_code == 2
    assert "mat-khau" not in result.output
    assert "portalhub:***@127.0.0.1:1" in result.stderr


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ([], "Syndication hub"),
        (["init"], "Create the database"),
        (["sources"], "Register sources"),
        (["sources", "sync"], "sources missing from it are disabled"),
        (["sources", "list"], "Show every source"),
        (["harvest"], "Harvest the named sources"),
        (["reprocess"], "stored raw records"),
    ],
)
def test_every_command_explains_itself(command: list[str], says: str) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert says in " ".join(result.stdout.split())


def test_bad_setting_in_the_environment_exits_2(monkeypatch: pytest.MonkeyPatch, database: str) -> None:
    monkeypatch.setenv("PORTALHUB_HARVEST_CONCURRENCY", "tám")
    result = run("sources", "list")
    assert result.exit_code == 2
    assert "harvest_concurrency" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "WARNING hub.cli.test: Nguồn không phản hồi source_id=syt-hcm-tin-tuc stage=fetch"),
        ("json", '"message": "Nguồn không phản hồi", "source_id": "syt-hcm-tin-tuc", "stage": "fetch"'),
    ],
)
def test_log_lines_carry_the_standard_fields(
    capsys: pytest.CaptureFixture[str], fmt: Literal["text", "json"], expected: str
) -> None:
    configure_logging("INFO", fmt=fmt)
    try:
        logger = logging.getLogger("hub.cli.test")
        logger.warning("Nguồn không phản hồi", extra={"source_id": "syt-hcm-tin-tuc", "stage": "fetch"})
        logger.debug("không in ra")
    finally:
        _remove_cli_handlers()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert expected in lines[0]


def test_log_level_option_reaches_stderr_only(database: str) -> None:
    try:
        result = run("--log-level", "DEBUG", "init")
    finally:
        _remove_cli_handlers()
    assert result.exit_code == 0
    assert "Database ready" in result.stdout
    assert "DEBUG" not in result.stdout
    assert "INFO alembic.runtime.migration: Running upgrade" in result.stderr


def _remove_cli_handlers() -> None:
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)


def test_python_dash_m_hub_runs_the_same_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hub", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | WIDE,
    )
    assert done.returncode == 0, done.stderr
    assert "sources" in done.stdout
    assert "harvest" in done.stdout
