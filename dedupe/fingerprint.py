"""Shingles, MinHash signatures and LSH band keys of match-key tokens.

Input: the folded tokens of an item's match text. Output: a set of 32-bit shingle hashes (for exact
Jaccard and containment), a one-permutation MinHash signature, and one signed 64-bit key per band,
stable across processes and machines so a database can store them as (band_no, band_hash) rows.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Collection, Sequence
from functools import lru_cache

_MASK32 = 0xFFFFFFFF
# Knuth's multiplicative constant: an odd multiplier is a bijection mod 2**32, so mixing the CRC adds
# no collisions while spreading its bits into the high bits that pick a signature slot.
_MIX = 0x9E3779B1
_EMPTY_SLOT = _MASK32 + 1
# Densification gives up after this many probes; with at least one shingle a probe hits a filled
# slot with probability >= 1/num_perm, so 64 * num_perm probes all missing is beyond practical odds.
_MAX_PROBE_ROUNDS = 64


def shingle_hashes(tokens: Sequence[str], size: int) -> frozenset[int]:
    """Hashes of the word n-grams of `tokens`; fewer tokens than `size` give one shingle of them all."""
    if not tokens:
        return frozenset()
    if len(tokens) < size:
        return frozenset({_hash32(" ".join(tokens))})
    # Encoding each token once and joining bytes gives the same bytes as encoding each joined shingle.
    encoded = [token.encode("utf-8") for token in tokens]
    crc, space = zlib.crc32, b" "
    return frozenset(
        (crc(space.join(encoded[i : i + size])) * _MIX) & _MASK32 for i in range(len(encoded) - size + 1)
    )


def signature(hashes: Collection[int], num_perm: int) -> tuple[int, ...]:
    """One-permutation MinHash: each hash falls into one slot, the slot keeps its minimum.

    One hash per shingle instead of `num_perm` (classic MinHash) is what makes pure Python fast
    enough; empty slots borrow a filled slot's value chosen by a fixed probe sequence ("optimal
    densification", Shrivastava 2017), which keeps the collision probability equal to the Jaccard.
    """
    if not hashes:
        return ()
    slots = [_EMPTY_SLOT] * num_perm
    for value in hashes:
        slot = (value * num_perm) >> 32
        if value < slots[slot]:
            slots[slot] = value
    filled = [value for value in slots if value != _EMPTY_SLOT]
    if len(filled) < num_perm:
        slots = [value if value != _EMPTY_SLOT else _borrow(slots, i) for i, value in enumerate(slots)]
    return tuple(slots)


def band_keys(sig: Sequence[int], bands: int, rows: int) -> tuple[int, ...]:
    """One signed 64-bit key per band (fits BIGINT in PostgreSQL and INTEGER in SQLite)."""
    if not sig:
        return ()
    if len(sig) != bands * rows:
        msg = f"signature has {len(sig)} slots, bands * rows is {bands * rows}"
        raise ValueError(msg)
    packer = struct.Struct(f"<{rows}I")
    return tuple(
        int.from_bytes(
            hashlib.blake2b(packer.pack(*sig[b * rows : (b + 1) * rows]), digest_size=8).digest(),
            "little",
            signed=True,
        )
        for b in range(bands)
    )


def jaccard(a: Collection[int], b: Collection[int]) -> float:
    """|a ∩ b| / |a ∪ b|; two empty sets are not alike (0.0)."""
    common = len(_intersection(a, b))
    union = len(a) + len(b) - common
    return common / union if union else 0.0


def containment(a: Collection[int], b: Collection[int]) -> float:
    """Share of the smaller set found in the other: 1.0 when one text is a truncation of the other."""
    smaller = min(len(a), len(b))
    return len(_intersection(a, b)) / smaller if smaller else 0.0


def content_key(tokens: Sequence[str]) -> str:
    """SHA-256 of the folded tokens; equals `dedupe.keys.content_key` of their text, without folding again."""
    return hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest()


def _hash32(text: str) -> int:
    # CRC-32 is ~5x faster than blake2b from Python and stable everywhere (unlike hash()).
    return (zlib.crc32(text.encode("utf-8")) * _MIX) & _MASK32


def _borrow(slots: Sequence[int], slot: int) -> int:
    size = len(slots)
    for probe in _probes(size, slot):
        if slots[probe] != _EMPTY_SLOT:
            return slots[probe]
    return _MASK32  # pragma: no cover - unreachable when at least one slot is filled


@lru_cache(maxsize=4096)
def _probes(size: int, slot: int) -> tuple[int, ...]:
    """The fixed probe sequence of a slot: the same for every item, so computed once per process."""
    return tuple(
        (_hash32(f"{slot}:{attempt}") * size) >> 32 for attempt in range(1, _MAX_PROBE_ROUNDS * size)
    )


def _intersection(a: Collection[int], b: Collection[int]) -> set[int]:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    large_set = large if isinstance(large, (set, frozenset)) else set(large)
    return {value for value in small if value in large_set}
