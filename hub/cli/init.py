"""`portalhub init`: create the database, or bring its schema up to date."""

from __future__ import annotations

import typer

from hub.cli.console import config_errors, console, display_url, settings_of
from hub.db import upgrade_database


def init(ctx: typer.Context) -> None:
    """Create the database at PORTALHUB_DATABASE_URL, or upgrade it to the latest schema."""
    settings = settings_of(ctx)
    with config_errors(settings.database_url):
        upgrade_database(settings.database_url)
    console.print(f"Database ready at {display_url(settings.database_url)}", markup=False)
