"""Connectors: one plug-in per source kind turning a source spec into raw records."""

from connectors.base import (
    Connector,
    ConnectorDisabled,
    ConnectorError,
    Fetcher,
    FetchResult,
    HarvestContext,
    RawRecord,
    SourceSpec,
)
from connectors.registry import get_connector, known_kinds

__all__ = [
    "Connector",
    "ConnectorDisabled",
    "ConnectorError",
    "FetchResult",
    "Fetcher",
    "HarvestContext",
    "RawRecord",
    "SourceSpec",
    "get_connector",
    "known_kinds",
]
