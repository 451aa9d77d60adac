"""`portalhub demo`: the bundled sample portals on loopback, harvested into the embedded database, served.

Steps: 1. start the sample portals (fixed ports, so item identities survive a restart); 2. write their
sources file under ./var/; 3. create or upgrade the database; 4. sync the sources; 5. harvest them all;
6. serve the hub (feeds, API) with its scheduler until Ctrl-C, printing the feed URLs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from hub.cli.console import EXIT_OK, config_errors, console, database, settings_of
from hub.cli.harvest import run_with_progress, summarise
from hub.db import session_scope, upgrade_database
from hub.sources import load_sources_file
from hub.storage.sources import sync_sources

DEMO_FIRST_PORT = 8701
FEED_PATHS = ("/feeds/all.atom", "/feeds/articles.rss", "/feeds/documents.json", "/api/v1/items")


def demo(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address the hub listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port the hub listens on.")] = 8080,
    portal_port: Annotated[
        int, typer.Option(help="Port of the first sample portal; the others follow (0: any free ports).")
    ] = DEMO_FIRST_PORT,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the hub after harvesting.")] = True,
) -> None:
    """Harvest the bundled sample portals into the embedded database and serve the hub's feeds."""
    from hub.demo import serve_sample_portals

    settings = settings_of(ctx)
    with serve_sample_portals(first_port=portal_port) as portals:
        sources_file = portals.write_sources(_var_dir() / "demo-sources.yaml")
        console.print(f"Sample portals: {len(portals.base_urls)} running; sources in {sources_file}")
        with config_errors(settings.database_url):
            upgrade_database(settings.database_url)
            configs = load_sources_file(sources_file)
        with database(settings) as engine:
            with session_scope(engine) as session:
                sync_sources(configs, session=session, now=datetime.now(UTC))
            code = summarise(run_with_progress(settings, engine, None, len(configs)))
        if not serve:
            raise typer.Exit(code)
        _serve(settings, host, port)
    raise typer.Exit(EXIT_OK)


def _serve(settings, host: str, port: int) -> None:  # type: ignore[no-untyped-def]
    from hub.cli.serve import run_server

    base = f"http://{host}:{port}"
    settings = settings.model_copy(update={"public_base_url": base})
    console.print("The hub is serving (Ctrl-C stops it):")
    for path in FEED_PATHS:
        console.print(f"  {base}{path}")
    run_server(settings, host=host, port=port, workers=1, scheduler=True)


def _var_dir() -> Path:
    folder = Path("var")
    folder.mkdir(exist_ok=True)
    return folder
