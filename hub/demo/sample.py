"""Run the sample portals on loopback, each on its own port (its own host for politeness rules).

Input: `Portal`s (bundled or generated). Output: `SamplePortals` - base URLs, the request log and a
complete sources file pointing at the running servers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from hub.demo.catalogue import Portal, load_portals
from hub.demo.server import SiteServer

# Order of keys in a written source; anything else (kind options such as full_text) follows.
SOURCE_KEYS = (
    "id",
    "name",
    "agency",
    "level",
    "kind",
    "content_type",
    "url",
    "site",
    "schedule",
    "topics",
    "priority",
)
SOURCES_HEADER = (
    "# Sample portals bundled with portalhub, served on loopback.\n"
    "# Generated for this run of the portals: the URLs hold their ports.\n"
)


class SamplePortals:
    """Running sample portals: `base_urls` by portal id, their sources, and `stop()`."""

    def __init__(self, portals: Iterable[Portal], servers: Mapping[str, SiteServer]) -> None:
        self.portals = {portal.id: portal for portal in portals}
        self.servers = dict(servers)
        self.base_urls = {portal_id: server.base_url for portal_id, server in self.servers.items()}

    def url(self, portal_id: str, path: str = "/") -> str:
        return self.base_urls[portal_id] + path

    def requests(self, portal_id: str) -> list[tuple[str, str, int]]:
        """(method, path, status) of every request the portal answered, oldest first."""
        return list(self.servers[portal_id].requests)

    def sources(self) -> list[dict[str, Any]]:
        """One sources-file entry per feed of every portal, with the real URL filled in."""
        return [self._source(portal, entry) for portal in self.portals.values() for entry in portal.sources]

    def sources_yaml(self) -> str:
        body = yaml.safe_dump({"sources": self.sources()}, allow_unicode=True, sort_keys=False, width=110)
        return SOURCES_HEADER + body

    def write_sources(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(self.sources_yaml(), encoding="utf-8")
        return target

    def stop(self) -> None:
        stop_servers(self.servers.values())

    def _source(self, portal: Portal, entry: Mapping[str, Any]) -> dict[str, Any]:
        fields = {key: value for key, value in entry.items() if key != "path"}
        fields["url"] = self.url(portal.id, entry["path"])
        # Served on loopback, the feed's host says nothing of the portal: `site` keeps the real one, so
        # a copy crediting "Nguồn: mae.gov.vn" still resolves to mae's source.
        fields.setdefault("site", portal.origin)
        ordered = {key: fields[key] for key in SOURCE_KEYS if key in fields}
        return {**ordered, **{key: value for key, value in fields.items() if key not in ordered}}


def start_portals(portals: Iterable[Portal], host: str = "127.0.0.1", first_port: int = 0) -> SamplePortals:
    """Bind every portal first (so each knows the others' URLs for cross links), then serve.

    `first_port` 0 gives ephemeral ports; otherwise portal n listens on `first_port + n`, so URLs (and
    therefore item identities) stay the same from one run of the demo to the next.
    """
    portals = list(portals)
    servers: dict[str, SiteServer] = {}
    try:
        for index, portal in enumerate(portals):
            servers[portal.id] = SiteServer(host, first_port + index if first_port else 0)
        origins = {portal.origin: servers[portal.id].base_url for portal in portals}
        for portal in portals:
            servers[portal.id].start(portal.served_files(origins))
    except BaseException:
        stop_servers(servers.values())
        raise
    return SamplePortals(portals, servers)


def stop_servers(servers: Iterable[SiteServer]) -> None:
    """Stop servers side by side: each takes up to one poll interval, and the benchmark runs hundreds."""
    threads = [threading.Thread(target=server.stop) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@contextmanager
def serve_portals(
    portals: Iterable[Portal], host: str = "127.0.0.1", first_port: int = 0
) -> Iterator[SamplePortals]:
    running = start_portals(portals, host, first_port)
    try:
        yield running
    finally:
        running.stop()


@contextmanager
def serve_sample_portals(host: str = "127.0.0.1", first_port: int = 0) -> Iterator[SamplePortals]:
    """Start every bundled sample portal on `host` (ephemeral ports unless `first_port`); stop on exit."""
    with serve_portals(load_portals(), host, first_port) as running:
        yield running
