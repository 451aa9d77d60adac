"""Shingles, MinHash signatures and LSH band keys of match-key tokens, computed as numpy arrays.

Input: the folded tokens of an item's match text. Output: a set of 32-bit shingle hashes (for exact
Jaccard and containment), a one-permutation MinHash signature, and one signed 64-bit key per band that
also encodes the band's number, stable across processes and machines so a database can store them as
rows and find a band by its key alone.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache
from itertools import chain, pairwise

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]

_EMPTY_SLOT = 1 << 32  # above every 32-bit value: marks a slot no shingle fell into
# Odd 64-bit multipliers (the golden ratio and two of MurmurHash3's): odd multipliers are bijections
# mod 2**64, so combining token hashes with them adds no collisions of its own.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MUR1 = np.uint64(0xFF51AFD7ED558CCD)
_MUR2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT_MIX = np.uint64(33)
_HIGH_HALF = np.uint64(32)
_LOW_HALF = np.uint64(0xFFFFFFFF)
# Densification gives up after this many probes; with at least one shingle a probe hits a filled
# slot with probability >= 1/num_perm, so 64 * num_perm probes all missing is beyond practical odds.
_MAX_PROBE_ROUNDS = 64
# Probes tried at once, as one array lookup, before the (rare) slots still empty are probed one by one.
_VECTOR_PROBES = 32


def shingle_hashes(tokens: Sequence[str], size: int) -> frozenset[int]:
    """Hashes of the word n-grams of `tokens`; fewer tokens than `size` give one shingle of them all."""
    return frozenset(shingle_array(tokens, size).tolist())


def shingle_array(tokens: Sequence[str], size: int) -> U64:
    """The distinct shingle hashes of `tokens`, sorted, as 32-bit values in a uint64 array."""
    return shingle_arrays([tokens], size)[0]


def shingle_arrays(token_lists: Sequence[Sequence[str]], size: int) -> list[U64]:
    """`shingle_array` of each token list, computed for all of them at once.

    Each token is hashed once (CRC-32, cached per process); a shingle's hash mixes its tokens' hashes
    by position, so n-grams cost array arithmetic instead of one byte string and hash call each. A
    harvest's items go through each array step together: per item, the steps' fixed costs outweighed
    their work.
    """
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    hashes = np.fromiter(
        map(_token_hash, chain.from_iterable(token_lists)), dtype=np.uint64, count=int(lengths.sum())
    )
    widths = np.minimum(lengths, size)  # fewer tokens than `size`: one shingle of them all
    counts = np.where(lengths > 0, lengths - widths + 1, 0)
    owner = np.repeat(np.arange(len(token_lists), dtype=np.uint64), counts)
    starts = np.repeat(np.cumsum(lengths) - lengths, counts)
    starts += np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    width = np.repeat(widths, counts)
    combined = np.zeros(len(owner), dtype=np.uint64)
    for offset in range(size):
        taken = offset < width
        mixed = (combined ^ hashes[np.where(taken, starts + offset, 0)]) * _GOLDEN
        combined = np.where(taken, mixed, combined)
    # The owner in the high half, the hash in the low: one sort makes every item's set distinct and sorted.
    keyed = _distinct((owner << _HIGH_HALF) | (_fmix64(combined) >> _HIGH_HALF))
    bounds = np.searchsorted(keyed >> _HIGH_HALF, np.arange(len(token_lists) + 1, dtype=np.uint64))
    values = keyed & _LOW_HALF
    return [values[begin:end] for begin, end in pairwise(bounds.tolist())]


def signature(hashes: Collection[int] | U64, num_perm: int) -> tuple[int, ...]:
    """One-permutation MinHash of the shingle hashes, as a tuple (see `signature_array`)."""
    return tuple(signature_array(_as_array(hashes), num_perm).tolist())


def signature_array(hashes: U64, num_perm: int) -> U64:
    """One-permutation MinHash: each hash falls into one slot, the slot keeps its minimum.

    One hash per shingle instead of `num_perm` (classic MinHash) is what keeps it cheap; empty slots
    borrow a filled slot's value chosen by a fixed probe sequence ("optimal densification",
    Shrivastava 2017), which keeps the collision probability equal to the Jaccard.
    """
    return signature_arrays([hashes], num_perm)[0]


def signature_arrays(shingle_sets: Sequence[U64], num_perm: int) -> list[U64]:
    """`signature_array` of each shingle array, computed for all of them at once; an empty array has
    an empty signature."""
    sizes = np.fromiter(map(len, shingle_sets), dtype=np.int64, count=len(shingle_sets))
    if not sizes.any():
        return [np.empty(0, dtype=np.uint64) for _ in shingle_sets]
    hashes = np.concatenate(shingle_sets).astype(np.uint64, copy=False)
    rows = np.repeat(np.arange(len(shingle_sets), dtype=np.uint64), sizes)
    slots = np.full(len(shingle_sets) * num_perm, _EMPTY_SLOT, dtype=np.uint64)
    np.minimum.at(slots, rows * np.uint64(num_perm) + ((hashes * np.uint64(num_perm)) >> _HIGH_HALF), hashes)
    matrix = slots.reshape(len(shingle_sets), num_perm)
    filled = sizes > 0
    empty_rows, empty_slots = np.nonzero((matrix == _EMPTY_SLOT) & filled[:, None])
    if len(empty_rows):
        matrix[empty_rows, empty_slots] = _borrowed(matrix, empty_rows, empty_slots)
    return [matrix[i] if filled[i] else np.empty(0, dtype=np.uint64) for i in range(len(shingle_sets))]


def band_keys(sig: Sequence[int] | U64, bands: int, rows: int) -> tuple[int, ...]:
    """One signed 64-bit key per band (fits BIGINT in PostgreSQL and INTEGER in SQLite).

    The band's number is mixed in, so equal rows in two different bands give different keys and a
    key alone names its band: an index on the key answers a whole batch's lookup with one IN list.
    """
    values = _as_array(sig)
    if not len(values):
        return ()
    return band_keys_of([values], bands, rows)[0]


def band_keys_of(signatures: Sequence[U64], bands: int, rows: int) -> list[tuple[int, ...]]:
    """`band_keys` of each signature, computed for all of them at once; () for an empty signature."""
    wrong = [len(sig) for sig in signatures if len(sig) and len(sig) != bands * rows]
    if wrong:
        msg = f"signature has {wrong[0]} slots, bands * rows is {bands * rows}"
        raise ValueError(msg)
    filled = [i for i, sig in enumerate(signatures) if len(sig)]
    found: list[tuple[int, ...]] = [()] * len(signatures)
    if not filled:
        return found
    matrix = np.stack([signatures[i] for i in filled]).astype(np.uint64, copy=False)
    matrix = matrix.reshape(len(filled), bands, rows)
    combined = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64) * _MUR1, (len(filled), bands))
    for row in range(rows):
        combined = (combined ^ matrix[:, :, row]) * _GOLDEN
    for i, keys in zip(filled, _fmix64(combined).view(np.int64).tolist(), strict=True):
        found[i] = tuple(keys)
    return found


def similarity(a: U64, b: U64) -> tuple[float, float]:
    """(Jaccard, containment) of two sorted, distinct shingle arrays, from one intersection."""
    common = len(np.intersect1d(a, b, assume_unique=True))
    union, smaller = len(a) + len(b) - common, min(len(a), len(b))
    return (common / union if union else 0.0), (common / smaller if smaller else 0.0)


def estimate(sig_a: U64, size_a: int, sig_b: U64, size_b: int) -> tuple[float, float]:
    """(Jaccard, containment) estimated from two signatures and the sizes of their shingle sets.

    The share of equal slots estimates the Jaccard; |A ∩ B| = J / (1 + J) * (|A| + |B|) turns it into
    containment. Costs one array comparison instead of the shingle sets themselves.
    """
    if not len(sig_a) or len(sig_a) != len(sig_b):
        return 0.0, 0.0
    similar = float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)
    smaller = min(size_a, size_b)
    common = similar / (1 + similar) * (size_a + size_b)
    return similar, (min(1.0, common / smaller) if smaller else 0.0)


def estimate_many(
    signature: U64, size: int, others: Sequence[U64], sizes: Sequence[int]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """`estimate` of one signature against each of `others` (of `sizes` shingles), in one matrix
    comparison (the same arithmetic, element-wise); (0, 0) for an empty signature or one of another
    length."""
    similar, contained = np.zeros(len(others)), np.zeros(len(others))
    comparable = [i for i, other in enumerate(others) if len(signature) and len(other) == len(signature)]
    if comparable:
        equal = np.stack([others[i] for i in comparable]) == signature
        share = np.count_nonzero(equal, axis=1) / len(signature)
        their_sizes = np.asarray(sizes, dtype=np.float64)[comparable]
        smaller = np.minimum(their_sizes, size)
        common = share / (1 + share) * (size + their_sizes)
        similar[comparable] = share
        contained[comparable] = np.where(smaller > 0, np.minimum(1.0, common / np.maximum(smaller, 1)), 0.0)
    return similar, contained


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


@lru_cache(maxsize=1 << 17)
def _token_hash(token: str) -> int:
    # CRC-32 is stable everywhere (unlike hash()); news reuses a few thousand syllables, so most
    # tokens of an article are cache hits.
    return zlib.crc32(token.encode("utf-8"))


def _fmix64(values: U64) -> U64:
    """MurmurHash3's 64-bit finaliser: every input bit reaches every output bit."""
    values = values ^ (values >> _SHIFT_MIX)
    values = values * _MUR1
    values = values ^ (values >> _SHIFT_MIX)
    values = values * _MUR2
    return values ^ (values >> _SHIFT_MIX)


def _distinct(values: U64) -> U64:
    """The distinct values, sorted: `np.unique` without its hash table, which costs ten times a sort
    on arrays of this size."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered


def _as_array(values: Collection[int] | U64) -> U64:
    if isinstance(values, np.ndarray):
        return values.astype(np.uint64, copy=False)
    return np.fromiter(values, dtype=np.uint64, count=len(values))


def _borrowed(matrix: U64, rows: npt.NDArray[np.intp], empty: npt.NDArray[np.intp]) -> U64:
    """The value each empty slot (row, slot) takes: that of the first filled slot of its row along the
    slot's probe sequence."""
    table = _probe_table(matrix.shape[1])[empty]
    candidates = matrix[rows[:, None], table]
    hits = candidates != _EMPTY_SLOT
    found: U64 = candidates[np.arange(len(empty)), hits.argmax(axis=1)]
    for i in np.flatnonzero(~hits.any(axis=1)).tolist():  # nothing filled among the first probes
        found[i] = _borrow_slowly(matrix[rows[i]], int(empty[i]))
    return found


def _borrow_slowly(slots: U64, slot: int) -> int:
    for probe in _probes(len(slots), slot):
        if slots[probe] != _EMPTY_SLOT:
            return int(slots[probe])
    return _EMPTY_SLOT - 1  # pragma: no cover - unreachable when at least one slot is filled


@lru_cache(maxsize=8)
def _probe_table(size: int) -> npt.NDArray[np.intp]:
    """The first probes of every slot's sequence, one row per slot (computed once per process)."""
    first = range(1, _VECTOR_PROBES + 1)
    return np.array([[_probe(size, slot, n) for n in first] for slot in range(size)], dtype=np.intp)


def _probes(size: int, slot: int) -> Iterator[int]:
    """The fixed probe sequence of a slot: the same for every item and every process."""
    return (_probe(size, slot, attempt) for attempt in range(1, _MAX_PROBE_ROUNDS * size))


def _probe(size: int, slot: int, attempt: int) -> int:
    return (zlib.crc32(f"{slot}:{attempt}".encode()) * size) >> 32


def _intersection(a: Collection[int], b: Collection[int]) -> set[int]:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    large_set = large if isinstance(large, (set, frozenset)) else set(large)
    return {value for value in small if value in large_set}
