"""Process-wide logging set-up: one stderr handler, the standard fields appended as `name=value`.

Modules log with `logging.getLogger(__name__)` and pass `extra={"source_id": ..., "stage": ...}`;
this module only decides how such records are printed (text for people, JSON lines for collectors).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Literal, TextIO

# The fixed field names of STYLE.md, in the order they are printed.
STANDARD_FIELDS = ("source_id", "harvest_id", "url", "item_key", "stage")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class FieldsFormatter(logging.Formatter):
    """Text lines ending with the standard fields a record carries: `... source_id=khanhhoa stage=fetch`."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = " ".join(f"{name}={value}" for name, value in _fields(record).items())
        return f"{line} {fields}" if fields else line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the standard fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a record arrives (test runners and shells swap it)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        return


def configure_logging(level: str | int = "WARNING", *, fmt: Literal["text", "json"] = "text") -> None:
    """Send records at `level` and above to stderr (stdout stays for command output); safe to call twice."""
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else FieldsFormatter(TEXT_FORMAT))
    handler.setLevel(level.upper() if isinstance(level, str) else level)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    # Only ever lower the root level: raising it would silence handlers others installed.
    if root.level > handler.level:
        root.setLevel(handler.level)


def _fields(record: logging.LogRecord) -> dict[str, object]:
    return {
        name: getattr(record, name) for name in STANDARD_FIELDS if getattr(record, name, None) is not None
    }
