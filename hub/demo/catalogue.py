"""The bundled sample portals as data: each `portals/<id>/` holds `portal.yaml` and a `site/` tree.

Input: the package data. Output: `Portal`s - the files to serve (still written with the real site's
origin) and the sources the portal offers, with paths instead of URLs until a port is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from hub.demo.server import StaticFile, static_file

PORTALS_PACKAGE = "hub.demo"
PORTALS_DIR = "portals"
MANIFEST = "portal.yaml"
SITE_DIR = "site"


@dataclass(frozen=True, slots=True)
class Portal:
    """One portal: where its files claim to live (`origin`), the files, and the sources it offers."""

    id: str
    origin: str  # e.g. "https://mae.gov.vn"; rewritten to the loopback URL when served
    files: Mapping[str, bytes]  # URL path -> bytes as stored
    modified: datetime  # Last-Modified of every file of the portal
    content_types: Mapping[str, str] = field(default_factory=dict)  # URL path -> Content-Type override
    sources: tuple[Mapping[str, Any], ...] = ()  # sources-file entries with `path` in place of `url`

    def served_files(self, origins: Mapping[str, str]) -> dict[str, StaticFile]:
        """The files with every known portal origin replaced by where that portal is really served."""
        return {
            path: static_file(path, _rewrite(body, origins), self.modified, self.content_types.get(path))
            for path, body in self.files.items()
        }


def portal_ids() -> list[str]:
    """Ids of the bundled sample portals, sorted."""
    return sorted(entry.name for entry in _portals_root().iterdir() if entry.joinpath(MANIFEST).is_file())


def load_portals() -> list[Portal]:
    """Every bundled sample portal, sorted by id."""
    return [load_portal(portal_id) for portal_id in portal_ids()]


def load_portal(portal_id: str) -> Portal:
    root = _portals_root().joinpath(portal_id)
    manifest = yaml.safe_load(root.joinpath(MANIFEST).read_text(encoding="utf-8"))
    return Portal(
        id=manifest["id"],
        origin=manifest["origin"],
        files=dict(_walk(root.joinpath(SITE_DIR), "")),
        modified=datetime.fromisoformat(str(manifest["modified"])),
        content_types=manifest.get("content_types", {}),
        sources=tuple(manifest["sources"]),
    )


def _portals_root() -> Traversable:
    return files(PORTALS_PACKAGE).joinpath(PORTALS_DIR)


def _walk(folder: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    for entry in folder.iterdir():
        path = f"{prefix}/{entry.name}"
        found.extend(_walk(entry, path) if entry.is_dir() else [(path, entry.read_bytes())])
    return found


def _rewrite(body: bytes, origins: Mapping[str, str]) -> bytes:
    # Origins are ASCII, so a byte replacement is right whatever the file's encoding (cp1258 included).
    for origin, served_at in origins.items():
        body = body.replace(origin.encode("ascii"), served_at.encode("ascii"))
    return body
