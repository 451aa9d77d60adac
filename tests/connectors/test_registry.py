"""The connector table: built-in kinds, plug-ins from entry points, duplicates refused at start-up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from importlib.metadata import EntryPoint
from typing import ClassVar

import pytest

import connectors
from connectors.base import Connector, ConnectorError, NoOptions, RawRecord
from connectors.feed import FeedConnector
from connectors.registry import ENTRY_POINT_GROUP, RegistryError, build_registry, get_connector, known_kinds

HERE = __name__


class GazetteListing(Connector):
    """An outside kind, as a plug-in distribution would provide it."""

    kind: ClassVar[str] = "congbao"
    Options = NoOptions

    async def harvest(self) -> AsyncIterator[RawRecord]:
        for record in ():
            yield record


def _plugin(name: str, target: str) -> EntryPoint:
    return EntryPoint(name=name, value=f"{HERE}:{target}", group=ENTRY_POINT_GROUP)


def test_feed_kind_is_built_in() -> None:
    assert get_connector("feed") is FeedConnector
    assert "feed" in known_kinds()
    assert list(known_kinds()) == sorted(known_kinds())


def test_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(ConnectorError, match=r"known: .*feed") as caught:
        get_connector("ftp")
    assert caught.value.code == "connector.unknown_kind"


def test_entry_point_adds_an_outside_kind() -> None:
    registry = build_registry([_plugin("congbao", "GazetteListing")])
    assert registry["congbao"] is GazetteListing
    assert registry["feed"] is FeedConnector


@pytest.mark.parametrize(
    ("plugins", "message"),
    [
        ([_plugin("feed", "GazetteListing")], "'feed' registered twice: built-in connectors.feed"),
        ([_plugin("congbao", "GazetteListing")] * 2, "'congbao' registered twice"),
        ([_plugin("congbao", "HERE")], "is not a Connector subclass"),
        ([_plugin("vanban", "GazetteListing")], "whose kind is 'congbao'"),
    ],
)
def test_bad_plugins_fail_when_the_table_is_built(plugins: list[EntryPoint], message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        build_registry(plugins)


def test_package_reexports_a_sorted_all() -> None:
    assert connectors.__all__ == sorted(connectors.__all__)
    assert {"Connector", "RawRecord", "SourceSpec", "get_connector"} <= set(connectors.__all__)
