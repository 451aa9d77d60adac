"""Which class harvests which source kind: a built-in table plus the `portalhub.connectors` entry points.

Input: a kind name from the sources file. Output: the `Connector` subclass, or `ConnectorError`.
Duplicate kinds fail when the table is built (start-up), not when a source happens to use them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

from connectors.base import Connector, ConnectorError
from connectors.feed import FeedConnector
from connectors.json_api import JsonConnector

ENTRY_POINT_GROUP = "portalhub.connectors"
BUILTIN_CONNECTORS: dict[str, type[Connector]] = {
    "feed": FeedConnector,
    "json": JsonConnector,
}


class RegistryError(ConnectorError):
    """The connector table cannot be built (duplicate kind, entry point not a connector)."""

    code = "connector.registry"


def build_registry(plugins: Iterable[EntryPoint] | None = None) -> dict[str, type[Connector]]:
    """Built-in connectors plus plug-ins (installed entry points unless `plugins` is given)."""
    registry = dict(BUILTIN_CONNECTORS)
    origins = {kind: f"built-in {cls.__module__}.{cls.__qualname__}" for kind, cls in registry.items()}
    found = entry_points(group=ENTRY_POINT_GROUP) if plugins is None else plugins
    for plugin in found:
        if plugin.name in registry:
            raise RegistryError(
                f"connector kind {plugin.name!r} registered twice: {origins[plugin.name]} "
                f"and entry point {plugin.value!r} (group {ENTRY_POINT_GROUP})",
                code="connector.duplicate_kind",
            )
        registry[plugin.name] = _load(plugin)
        origins[plugin.name] = f"entry point {plugin.value!r}"
    return registry


@functools.cache
def _registry() -> dict[str, type[Connector]]:
    return build_registry()


def get_connector(kind: str) -> type[Connector]:
    """The connector class for `kind`; `connector.unknown_kind` when nothing registers it."""
    try:
        return _registry()[kind]
    except KeyError:
        known = ", ".join(known_kinds())
        raise ConnectorError(
            f"no connector for kind {kind!r} (known: {known})", code="connector.unknown_kind"
        ) from None


def known_kinds() -> tuple[str, ...]:
    """Every registered kind, sorted."""
    return tuple(sorted(_registry()))


def _load(plugin: EntryPoint) -> type[Connector]:
    cls = plugin.load()
    if not (isinstance(cls, type) and issubclass(cls, Connector)):
        raise RegistryError(f"entry point {plugin.name!r} = {plugin.value!r} is not a Connector subclass")
    if getattr(cls, "kind", plugin.name) != plugin.name:
        raise RegistryError(
            f"entry point {plugin.name!r} loads {cls.__qualname__} whose kind is {cls.kind!r}"
        )
    return cls
