"""Shared fixtures for connector tests: a fetch policy fast enough for loopback servers."""

from __future__ import annotations

import pytest

from connectors.fetch import FetchPolicy


@pytest.fixture
def fast_policy() -> FetchPolicy:
    """No pacing delay and sub-second timeouts; adjust with `dataclasses.replace`."""
    return FetchPolicy(
        contact="quantri@congthongtin.example.vn",
        connect_timeout=1.0,
        read_timeout=1.0,
        total_timeout=3.0,
        per_host_delay=0.0,
    )
