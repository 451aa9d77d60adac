"""Every threshold of near-duplicate detection, named once, with the reason for its value.

`hub.settings.Settings` may override any field with `dataclasses.replace(DEFAULT_SETTINGS, ...)`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DedupeSettings:
    """Frozen thresholds for fingerprints, candidate lookup and verification."""

    # Word (syllable) n-gram length of a shingle. Vietnamese words are 1-3 syllables, so 4 syllables
    # are about two words: long enough that shared boilerplate phrases ("ủy ban nhân dân tỉnh") do not
    # make unrelated articles look alike, short enough that one edited word costs only 4 shingles.
    shingle_size: int = 4

    # Slots of the one-permutation MinHash signature. 128 keeps the Jaccard estimate within about
    # ±0.09 (one standard deviation at J=0.5) and costs one hash per shingle, not one per slot.
    num_perm: int = 128

    # Banding of the signature for the LSH index: bands * rows must equal num_perm. 32 bands of 4 rows
    # put the 50 % candidate point near J=0.42, so a copy missing its last paragraph plus a caption
    # (J about 0.6) is found with probability > 0.99, while unrelated articles (J < 0.1) collide in
    # fewer than 1 in 300 lookups. Each item costs 32 index rows.
    bands: int = 32
    rows: int = 4

    # Verified Jaccard of the exact shingle sets that makes a near-duplicate. Republications keep
    # almost all text (J >= 0.8); template articles of different events fall to 0.4-0.7 and are
    # additionally vetoed by conflicting facts, so 0.6 leaves a margin on both sides.
    jaccard_threshold: float = 0.6

    # Share of the shorter item's shingles found in the longer one. Catches a copy that dropped
    # paragraphs (its Jaccard falls with every paragraph lost, its containment does not).
    containment_threshold: float = 0.85

    # Floors on the Jaccard and containment estimated from two MinHash signatures, below which a pair is
    # not worth the exact measures (nor, in the database, loading a candidate's text). Far under the
    # thresholds above: at J=0.6 the estimate's standard deviation is about 0.04 with 128 slots, so
    # these floors sit more than five deviations below, and no pair that could pass is dropped.
    estimated_jaccard_floor: float = 0.35
    estimated_containment_floor: float = 0.55

    # Below this many match-key tokens a body is too short to judge by containment or content hash
    # ("Xem chi tiết tại file đính kèm."): such items match only by exact URL or GUID, or by Jaccard
    # of title and body together.
    min_tokens: int = 40

    # Articles further apart than this in publication time are never candidates of each other:
    # republication happens within hours or days; the window also bounds the index's memory.
    article_window_days: int = 30

    # Words of context on each side that name the slot a fact fills ("Bộ trưởng _", "_ tỷ đồng").
    # Two items that put different values in the same slot describe different events.
    fact_context: int = 2

    # Fact kinds that veto a near-duplicate when the same slot holds contradicting values. A value
    # missing on one side never vetoes: a truncated copy names a subset of the original's facts.
    conflict_on_dates: bool = True
    conflict_on_numbers: bool = True
    conflict_on_names: bool = True
    conflict_on_document_numbers: bool = True

    def __post_init__(self) -> None:
        if self.bands * self.rows != self.num_perm:
            msg = f"bands * rows must equal num_perm ({self.bands} * {self.rows} != {self.num_perm})"
            raise ValueError(msg)


DEFAULT_SETTINGS = DedupeSettings()
