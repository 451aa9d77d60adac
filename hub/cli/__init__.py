"""The `portalhub` command line: `main()` and the command table (one module per command group)."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from hub.cli import demo, harvest, init, serve, sources, stories
from hub.cli.console import EXIT_CONFIG, errors
from hub.logs import configure_logging
from hub.settings import Settings
from hub.startup import freeze_imports

app = typer.Typer(
    name="portalhub",
    help="Syndication hub for Vietnam's government e-portals: harvest, normalise, deduplicate, republish.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("init")(init.init)
app.add_typer(sources.app, name="sources")
app.add_typer(stories.app, name="stories")
app.command("harvest")(harvest.harvest)
app.command("reprocess")(harvest.reprocess)
app.command("serve")(serve.serve)
app.command("worker")(serve.worker)
app.command("demo")(demo.demo)


@app.callback()
def root(
    ctx: typer.Context,
    log_level: Annotated[
        str, typer.Option(envvar="PORTALHUB_LOG_LEVEL", help="DEBUG, INFO, WARNING or ERROR (to stderr).")
    ] = "WARNING",
) -> None:
    """Build the settings once (PORTALHUB_* environment, .env) and set up logging for every command."""
    configure_logging(log_level)
    try:
        ctx.obj = Settings()
    except ValidationError as exc:
        errors.print(f"error: bad PORTALHUB_* settings:\n{exc}", markup=False)
        raise typer.Exit(EXIT_CONFIG) from exc


def main() -> None:
    """Console-script entry point (`portalhub`)."""
    freeze_imports()
    app()


__all__ = ["app", "main"]
