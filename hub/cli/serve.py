"""`portalhub serve` (feeds + JSON API + scheduler in one process) and `portalhub worker` (scheduler only).

Both may run on many machines at once: harvest work is claimed through the database, never assumed
to be this process's alone.
"""

from __future__ import annotations

import threading
from typing import Annotated

import typer
import uvicorn

from hub.cli.console import database, settings_of
from hub.scheduler import Scheduler
from hub.settings import Settings
from hub.web.app import create_app
from hub.worker import run_worker, stop_on_signals

APP_FACTORY = "hub.web.app:app_from_env"  # with several workers, each process builds its app from the env


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8080,
    workers: Annotated[int, typer.Option(min=1, help="HTTP worker processes.")] = 1,
    no_scheduler: Annotated[
        bool, typer.Option("--no-scheduler", help="Serve only; leave harvesting to `portalhub worker`.")
    ] = False,
) -> None:
    """Serve the feeds, the JSON API, /healthz, /metrics and /openapi.json; harvest on schedule too."""
    run_server(settings_of(ctx), host=host, port=port, workers=workers, scheduler=not no_scheduler)


def run_server(settings: Settings, *, host: str, port: int, workers: int = 1, scheduler: bool = True) -> None:
    """uvicorn until SIGINT/SIGTERM, with the scheduler in this process unless `scheduler` is False.

    One worker serves an app built from `settings`; several workers each build theirs from the
    environment (uvicorn imports the factory in every worker process), as the CLI's settings are.
    """
    with database(settings) as engine:
        ticker = Scheduler(settings, engine) if scheduler else None
        if ticker is not None:
            ticker.start()
        # uvicorn re-raises the signal that stopped it once it is done: ours turns it into a clean exit
        # after the scheduler's shutdown below, instead of the default SIGTERM death.
        try:
            with stop_on_signals(threading.Event()):
                # "auto" picks uvloop and httptools when they are installed, asyncio and h11 otherwise.
                uvicorn.run(
                    APP_FACTORY if workers > 1 else create_app(settings),
                    factory=workers > 1,
                    host=host,
                    port=port,
                    workers=workers,
                    loop="auto",
                    http="auto",
                    lifespan="off",
                )
        finally:
            if ticker is not None:
                ticker.shutdown(wait=True)  # the running tick finishes and releases its leases


def worker(ctx: typer.Context) -> None:
    """Harvest on schedule only (no HTTP), until SIGINT or SIGTERM; the running harvests finish first."""
    settings = settings_of(ctx)
    with database(settings) as engine:
        run_worker(settings, engine)
