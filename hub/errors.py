"""The hub's error tree; every error carries a stable `code` the dashboard and harvest records show.

    HubError
    ├── ConfigError                 bad settings or sources file (CLI exit 2)
    │   └── SourcesFileError        one or more precise problems: file, line, source id, field
    ├── DropRecord                  a pipeline stage refused one record (stored as a harvest issue)
    └── StorageError                the database refused a write

Connector failures arrive as `connectors.ConnectorError` (with their own `code`) and are mapped
onto the harvest record by the pipeline.
"""

from __future__ import annotations


class HubError(Exception):
    code: str = "hub.error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class ConfigError(HubError):
    code = "config.invalid"


class SourcesFileError(ConfigError):
    """Raised with every problem found in a sources file, not only the first."""

    code = "config.sources_file"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class DropRecord(HubError):
    """A stage drops one record with a reason; the harvest goes on with the rest."""

    code = "record.dropped"

    def __init__(self, reason: str, code: str, *, stage: str = "normalise", url: str | None = None) -> None:
        super().__init__(reason, code=code)
        self.stage = stage
        self.url = url


class StorageError(HubError):
    code = "storage.error"
