"""Process settings, read once from `PORTALHUB_*` environment variables (and `.env`) and passed down."""

import os
from dataclasses import replace

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dedupe import DEFAULT_SETTINGS, DedupeSettings

DEFAULT_DATABASE_URL = "sqlite:///var/portalhub.db"


class Settings(BaseSettings):
    """All knobs of the hub; every field is `PORTALHUB_<NAME>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="PORTALHUB_", env_file=".env", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    admin_token: str | None = None
    public_base_url: str = "http://127.0.0.1:8080"
    # Authority of the tag: URIs that identify feeds and entries (RFC 4151); never change it once published.
    id_authority: str = "portalhub.invalid,2026"
    feed_marker_ttl: float = 1.0  # seconds a process trusts the last change marker it read

    # Polite fetching
    contact: str = Field(default="operator@portalhub.invalid", description="Named in the User-Agent")
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0
    max_body_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5  # seconds between two requests to one host
    robots_cache_seconds: int = 3600

    # Storage
    raw_retention_days: int = 30  # raw fetched bytes older than this are pruned unless still referenced
    future_date_tolerance_minutes: int = 10

    # Harvesting
    harvest_concurrency: int = 8
    lease_seconds: int = 600
    scheduler_tick_seconds: float = 30.0  # how often every hub process looks for due sources
    scheduler_batch: int = 16  # due sources one tick claims at most (harvested harvest_concurrency at a time)
    # Worker processes that fingerprint harvests for the story stage while this process stores others
    # (hub.pipeline.fingerprint_pool); one when the machine has a core to spare, 0 = in the stage itself.
    fingerprint_workers: int = Field(default_factory=lambda: 1 if (os.cpu_count() or 1) > 1 else 0, ge=0)

    # Stories
    # Articles published further apart than this are never one story; it also bounds each lookup in the
    # dedupe index to the rows inside the window. Documents and services join by their keys at any age.
    dedupe_window_days: int = Field(default=30, ge=1, le=3650)

    def dedupe(self) -> DedupeSettings:
        """The deduper's settings: its defaults, with what an operator may set here."""
        return replace(DEFAULT_SETTINGS, article_window_days=self.dedupe_window_days)
