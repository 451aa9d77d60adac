"""What every command shares: the Rich consoles, exit codes, settings from the context, error mapping.

Configuration problems (bad sources file, unknown id, unusable database URL) end a command with
exit code 2 and a message on stderr; partial harvest failures are exit code 1, decided by the command.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import cast
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from hub.db import make_engine
from hub.errors import ConfigError, SourcesFileError
from hub.settings import Settings

EXIT_OK = 0
EXIT_FAILED = 1  # some sources failed to harvest
EXIT_CONFIG = 2  # the command could not run as asked: configuration, arguments, database
PIPE_WIDTH = 250  # columns for tables when stdout is not a terminal
LOCAL_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # operators read times as Vietnamese local time

# SQLite and PostgreSQL wordings of "the schema is not there".
_MISSING_TABLE = re.compile(r"no such table|relation .* does not exist")

console = Console(highlight=False, soft_wrap=True)  # plain lines stay whole: greppable
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def print_table(table: Table) -> None:
    """Print a table; piped output (grep, logs, CI) gets whole rows rather than the 80-column default."""
    if console.is_terminal or "COLUMNS" in os.environ:
        console.print(table)
        return
    Console(file=console.file, width=PIPE_WIDTH, highlight=False).print(table)


def settings_of(ctx: typer.Context) -> Settings:
    """The one `Settings` built by the root callback, handed down through the Click context."""
    return cast(Settings, ctx.find_root().obj)


def display_url(url: str) -> str:
    """A database URL safe to print: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def local_time(moment: datetime | None) -> str:
    """`2026-03-02 10:07` in Asia/Ho_Chi_Minh; SQLite hands back naive datetimes, which are UTC."""
    if moment is None:
        return "-"
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TIMEZONE).strftime("%Y-%m-%d %H:%M")


@contextmanager
def database(settings: Settings) -> Iterator[Engine]:
    """An engine on the configured database, checked reachable, disposed after the block.

    Configuration and database errors inside the block also end the command with exit code 2.
    """
    with config_errors(settings.database_url):
        engine = make_engine(settings.database_url)
        try:
            _check_reachable(engine, settings.database_url)
            yield engine
        finally:
            engine.dispose()


@contextmanager
def config_errors(url: str | None = None) -> Iterator[None]:
    """Turn configuration and database-setup errors into a message on stderr and exit code 2."""
    try:
        yield
    except SourcesFileError as exc:
        for problem in exc.problems:
            errors.print(problem, markup=False)
        errors.print(f"{len(exc.problems)} problem(s) in the sources file; nothing was changed.")
        raise typer.Exit(EXIT_CONFIG) from exc
    except ConfigError as exc:
        errors.print(f"error: {exc}", markup=False)
        raise typer.Exit(EXIT_CONFIG) from exc
    except (ArgumentError, NoSuchModuleError) as exc:
        errors.print(f"error: unusable database URL {display_url(url or '')}: {exc}", markup=False)
        raise typer.Exit(EXIT_CONFIG) from exc
    except DBAPIError as exc:
        # Tables missing or the server gone: either way the operator must fix the set-up, not retry.
        hint = " (has `portalhub init` been run?)" if _MISSING_TABLE.search(str(exc.orig)) else ""
        errors.print(f"error: database {display_url(url or '')}: {exc.orig}{hint}", markup=False)
        raise typer.Exit(EXIT_CONFIG) from exc


def _check_reachable(engine: Engine, url: str) -> None:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as exc:
        raise ConfigError(f"cannot reach the database at {display_url(url)}: {exc.orig}") from exc
