"""A hub process freezes what its imports made, so full collections walk only what harvests make."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

import hub.cli
from hub.startup import freeze_imports


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_freezing_moves_the_objects_alive_out_of_collections_and_not_later_ones(unfrozen: None) -> None:
    gc.collect()  # earlier tests' garbage, which the freeze's own collection would free
    alive = len(gc.get_objects())
    freeze_imports()
    frozen = gc.get_freeze_count()
    later = [[index] for index in range(1000)]
    assert frozen >= alive * 0.99
    assert gc.get_freeze_count() == frozen
    assert len(gc.get_objects()) < len(later) + alive * 0.1
    assert all(gc.is_tracked(item) for item in later)


def test_the_command_line_freezes_before_it_runs_a_command(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    monkeypatch.setattr(hub.cli, "app", lambda: seen.append(gc.get_freeze_count()))
    hub.cli.main()
    assert len(seen) == 1
    assert seen[0] > 0
