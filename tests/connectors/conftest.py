"""Shared fixtures for connector tests: a fetch policy fast enough for loopback servers."""

from __future__ import annotations

import pytest

from connectors.fetch import FetchPolicy
from tests.support.http import LOOPBACK_TIMEOUT


@pytest.fixture
def fast_policy() -> FetchPolicy:
    """No pacing delay, and timeouts no loaded machine reaches on loopback; tests about timeouts set
    their own with `dataclasses.replace`."""
    return FetchPolicy(
        contact="quantri@congthongtin.example.vn",
        connect_timeout=LOOPBACK_TIMEOUT,
        read_timeout=LOOPBACK_TIMEOUT,
        total_timeout=2 * LOOPBACK_TIMEOUT,
        per_host_delay=0.0,
    )
