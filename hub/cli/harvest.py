"""`portalhub harvest ID ... | --all` and `portalhub reprocess SOURCE`: run now, with progress and summary.

Exit code 0 when every source succeeded (or was not modified), 1 when some failed, 2 when the
command could not run (unknown id, no ids and no --all, unusable database).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Annotated

import typer
from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine

from hub.cli.console import (
    EXIT_CONFIG,
    EXIT_FAILED,
    EXIT_OK,
    console,
    database,
    errors,
    print_table,
    settings_of,
)
from hub.db import session_scope
from hub.errors import ConfigError
from hub.models.harvest import HarvestStatus
from hub.settings import Settings
from hub.storage.harvests import HarvestOutcome
from hub.storage.sources import list_sources

# The source answered as it should. `partial` (the source worked, some records were refused) counts too:
# one bad entry never fails a source; its issues are named on stderr and kept on the harvest record.
SUCCEEDED = frozenset({HarvestStatus.SUCCESS, HarvestStatus.NOT_MODIFIED, HarvestStatus.PARTIAL})


def harvest(
    ctx: typer.Context,
    source_ids: Annotated[list[str] | None, typer.Argument(help="Ids of the sources to harvest.")] = None,
    all_sources: Annotated[bool, typer.Option("--all", help="Harvest every enabled source.")] = False,
) -> None:
    """Harvest the named sources (or --all enabled ones) now, whatever their schedule says."""
    settings = settings_of(ctx)
    if bool(source_ids) == all_sources:
        errors.print("error: name source ids, or give --all (not both)")
        raise typer.Exit(EXIT_CONFIG)
    with database(settings) as engine:
        total = len(_resolve(engine, source_ids))
        outcomes = run_with_progress(settings, engine, source_ids or None, total)
    raise typer.Exit(summarise(outcomes))


def reprocess(
    ctx: typer.Context,
    source_id: Annotated[
        str, typer.Argument(help="Id of the source whose stored raw records are reprocessed.")
    ],
) -> None:
    """Run the stored raw records of SOURCE through the pipeline again, without fetching."""
    settings = settings_of(ctx)
    with database(settings) as engine:
        from hub.reprocess import reprocess_source  # see run_with_progress

        _resolve(engine, [source_id])
        outcome = asyncio.run(reprocess_source(source_id, settings=settings, engine=engine))
    raise typer.Exit(summarise([outcome]))


def _resolve(engine: Engine, source_ids: Sequence[str] | None) -> list[str]:
    """The ids to run: those named (all must exist), or every enabled source."""
    with session_scope(engine) as session:
        known = [source.id for source in list_sources(session=session, enabled_only=not source_ids)]
    if not source_ids:
        return known
    unknown = sorted(set(source_ids) - set(known))
    if unknown:
        raise ConfigError(f"unknown source id(s): {', '.join(unknown)} (see `portalhub sources list`)")
    return list(dict.fromkeys(source_ids))


def run_with_progress(
    settings: Settings, engine: Engine, ids: list[str] | None, total: int
) -> list[HarvestOutcome]:
    # Imported here: the pipeline pulls in every connector and parser, which `--help` and the
    # other commands should not wait for.
    from hub.harvest import harvest_sources

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("harvesting", total=total)

        def advance(outcome: HarvestOutcome) -> None:
            progress.update(task, advance=1, description=f"harvested {outcome.source_id}")

        return asyncio.run(
            harvest_sources(ids, settings=settings, engine=engine, trigger="cli", on_progress=advance)
        )


def summarise(outcomes: Sequence[HarvestOutcome]) -> int:
    """Print the summary table, each failure and each source with record issues; return the exit code."""
    table = Table(title="Harvest summary", box=box.SIMPLE_HEAD)
    table.add_column("source", no_wrap=True)
    for header in ("status", "new", "updated", "unchanged", "errors", "http"):
        table.add_column(header, justify="left" if header == "status" else "right")
    failed = [outcome for outcome in outcomes if outcome.status not in SUCCEEDED]
    with_issues = [outcome for outcome in outcomes if outcome.status == HarvestStatus.PARTIAL]
    for outcome in outcomes:
        counts = (outcome.items_new, outcome.items_updated, outcome.items_unchanged, outcome.error_count)
        table.add_row(
            outcome.source_id, outcome.status.value, *map(str, counts), str(outcome.http_status or "-")
        )
    print_table(table)
    for outcome in [*with_issues, *failed]:
        errors.print(_failure_line(outcome), markup=False)
    return EXIT_FAILED if failed else EXIT_OK


def _failure_line(outcome: HarvestOutcome) -> str:
    """`syt-hcm-tin-tuc failed: fetch.http_status: HTTP 500 for https://...`."""
    parts = [f"{outcome.source_id} {outcome.status.value}"]
    if outcome.status == HarvestStatus.PARTIAL:
        parts.append(f"{outcome.error_count} record error(s)")
    parts.extend(part for part in (outcome.error_code, outcome.error_message) if part)
    return ": ".join(parts)
