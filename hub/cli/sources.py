"""`portalhub sources sync FILE` and `portalhub sources list`: the sources file into the database and back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from hub.cli.console import config_errors, console, database, local_time, print_table, settings_of
from hub.db import session_scope
from hub.schedule import format_duration
from hub.sources import load_sources_file
from hub.storage.sources import list_sources, sync_sources

app = typer.Typer(help="Register sources from a sources file and show their health.", no_args_is_help=True)


@app.command("sync")
def sync(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The sources file (YAML with a top-level `sources:` list).")],
) -> None:
    """Add and update the sources of FILE; sources missing from it are disabled, never deleted."""
    settings = settings_of(ctx)
    with config_errors(settings.database_url):
        configs = load_sources_file(file)
    with database(settings) as engine, session_scope(engine) as session:
        report = sync_sources(configs, session=session, now=datetime.now(UTC))
    for label in ("added", "updated", "disabled", "unchanged"):
        console.print(_report_line(label, getattr(report, label)), markup=False)


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Show every source with its schedule and health (times in Asia/Ho_Chi_Minh)."""
    with database(settings_of(ctx)) as engine, session_scope(engine) as session:
        table = _sources_table(list_sources(session=session))
    print_table(table)


def _report_line(label: str, value: Any) -> str:
    """`added: 2 (khanhhoa-tin-tuc, syt-hcm-tin-tuc)`; the report may hold counts or id lists."""
    if isinstance(value, int):
        return f"{label}: {value}"
    ids = sorted(str(item) for item in value)
    return f"{label}: {len(ids)}" + (f" ({', '.join(ids)})" if ids else "")


def _sources_table(sources: Iterable[Any]) -> Table:
    table = Table(title="Sources", box=box.SIMPLE_HEAD)
    for header in ("id", "kind", "content type", "schedule", "enabled", "last harvest", "status"):
        table.add_column(header, no_wrap=header == "id")  # narrow terminals wrap the rest, never the id
    table.add_column("failures", justify="right")
    table.add_column("last error")
    for source in sources:
        table.add_row(
            source.id,
            source.kind,
            source.content_type,
            _schedule_text(source.schedule_every_seconds, source.schedule_cron),
            "yes" if source.enabled else "no",
            local_time(source.last_harvest_at),
            _text(source.last_status) or "never",
            str(source.consecutive_failures or 0),
            source.last_error_code or "",
        )
    return table


def _schedule_text(every_seconds: int | None, cron: str | None) -> str:
    if every_seconds:
        return f"every {format_duration(timedelta(seconds=every_seconds))}"
    return f"cron {cron}" if cron else "-"


def _text(value: object) -> str:
    """Enum members print as their value (`success`), plain strings as themselves."""
    if value is None:
        return ""
    return str(getattr(value, "value", value))
