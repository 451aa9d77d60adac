"""How politely to fetch (`FetchPolicy`) and what to send for a conditional GET (`Validators`).

Plain values: the hub builds the policy from its settings; connectors never read settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


def build_user_agent(contact: str) -> str:
    """An honest User-Agent naming portalhub and whom to contact (whitespace folded: no header injection)."""
    return f"portalhub/0.1 (+https://github.com/portalhub; contact: {' '.join(contact.split())})"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely to fetch; the hub builds it from its settings (connectors never read settings)."""

    contact: str = "operator@portalhub.invalid"
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # longest silence while waiting for bytes
    total_timeout: float = 60.0  # one request, from sending it to the last body byte
    max_body_bytes: int = 20 * 1024 * 1024  # decoded bytes
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5  # minimum seconds between two request starts to one origin
    robots_cache_seconds: float = 3600.0
    trusted_hosts: frozenset[str] = frozenset()  # hosts of configured sources: exempt from the address guard
    max_retry_after: float = 6 * 3600.0  # a Retry-After beyond this is cut down to it
    proxy: str | None = None  # environment proxies are ignored; name one here

    @property
    def user_agent(self) -> str:
        return build_user_agent(self.contact)


@dataclass(frozen=True, slots=True)
class Validators:
    """What the server said last time, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Validators:
        return cls(etag=headers.get("etag"), last_modified=headers.get("last-modified"))

    def request_headers(self) -> dict[str, str]:
        pairs = (("If-None-Match", self.etag), ("If-Modified-Since", self.last_modified))
        return {name: value for name, value in pairs if value}
