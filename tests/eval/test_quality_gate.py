"""The committed labelled set passes the quality gate, and the gate notices a deduper that merges too much."""

from __future__ import annotations

import dataclasses

from dedupe.settings import DEFAULT_SETTINGS
from tests.eval.generator import DEFAULT_PATH, generate, load
from tests.eval.quality import MIN_PRECISION, MIN_RECALL, evaluate


def test_labelled_set_passes_the_pinned_floors() -> None:
    scores = evaluate(load(DEFAULT_PATH))
    assert scores.precision >= MIN_PRECISION, scores.wrong
    assert scores.recall >= MIN_RECALL, scores.missed
    assert scores.passed


def test_committed_set_is_what_the_generator_makes() -> None:
    assert load(DEFAULT_PATH) == generate()


def test_set_holds_hundreds_of_stories_with_republications_and_hard_negatives() -> None:
    items = load(DEFAULT_PATH)
    stories = {item["story"] for item in items}
    families = [item["family"] for item in items if item["transforms"] == []]
    assert len(stories) >= 200
    assert sum(1 for item in items if item["transforms"]) >= 300
    assert len(families) - len(set(families)) >= 100  # stories sharing a template family: hard negatives


def test_gate_fails_when_facts_no_longer_veto_merges() -> None:
    blind = dataclasses.replace(
        DEFAULT_SETTINGS,
        conflict_on_dates=False,
        conflict_on_document_numbers=False,
        conflict_on_names=False,
        conflict_on_numbers=False,
    )
    scores = evaluate(load(DEFAULT_PATH), blind)
    assert scores.precision < MIN_PRECISION
    assert not scores.passed


def test_other_seeds_pass_the_gate_too() -> None:
    scores = evaluate(generate(seed=7, families=40))
    assert scores.passed, (scores.wrong, scores.missed)
