"""Shingles, one-permutation MinHash and band keys: stable, sized as settings say, Jaccard-faithful."""

from __future__ import annotations

import random
import unicodedata
import zlib

import numpy as np
import pytest

from dedupe.fingerprint import (
    _EMPTY_SLOT,
    _probes,
    band_keys,
    band_keys_of,
    containment,
    content_key,
    estimate,
    estimate_many,
    jaccard,
    shingle_arrays,
    shingle_hashes,
    signature,
    signature_array,
    signature_arrays,
    similarity,
)
from dedupe.text import tokens

ARTICLE = (
    "Sáng 12/5, tại Hà Nội, Bộ trưởng Bộ Nông nghiệp và Môi trường Đỗ Đức Duy đã chủ trì hội nghị giao ban "
    "định kỳ tháng 5 về chuyển đổi số trong quản lý đất đai. Báo cáo tại hội nghị, đại diện đơn vị chủ trì "
    "cho biết trong tháng 5, toàn ngành đã hoàn thành 128 nhiệm vụ, đạt 92,5% kế hoạch; còn 14 nhiệm vụ "
    "đang triển khai. Kinh phí thực hiện lũy kế đạt 1.250 tỷ đồng."
)

# The first two band keys of a six-syllable text: stored in the database, so pinned across versions.
BAND_KEYS_PINNED = (-495581316205596127, -3158329972738179541)


@pytest.mark.parametrize(
    ("words", "size", "expected"),
    [
        ([], 4, 0),
        (["hoi", "nghi"], 4, 1),
        (["hoi", "nghi", "giao", "ban"], 4, 1),
        (["hoi", "nghi", "giao", "ban", "dinh", "ky"], 4, 3),
        (["hoi", "nghi", "hoi", "nghi", "hoi", "nghi"], 2, 2),
    ],
)
def test_shingle_count_follows_window_and_repeats(words: list[str], size: int, expected: int) -> None:
    assert len(shingle_hashes(words, size)) == expected


def test_shingle_hashes_are_stable_across_processes() -> None:
    # Pinned value: a database stores band keys made from these, so they must never depend on PYTHONHASHSEED.
    assert shingle_hashes(["ubnd", "tinh", "khanh", "hoa"], 4) == frozenset({2670004950})
    sig = signature(shingle_hashes(["ubnd", "tinh", "khanh", "hoa", "mo", "rong"], 4), 128)
    assert band_keys(sig, 32, 4)[:2] == BAND_KEYS_PINNED


def test_equal_rows_in_different_bands_give_different_keys() -> None:
    # A band key names its band: the index finds a batch's bands by key alone.
    keys = band_keys((7, 7, 7, 7) * 32, 32, 4)
    assert len(set(keys)) == 32


def test_densification_borrows_along_the_probe_sequence() -> None:
    # One shingle fills one slot; every other slot borrows it, whichever way (array or loop) it probed.
    assert set(signature(frozenset({123_456_789}), 128)) == {123_456_789}
    few = signature(frozenset({1 << 20, 1 << 28, 3 << 30}), 128)
    assert set(few) == {1 << 20, 1 << 28, 3 << 30}


@pytest.mark.parametrize("num_perm", [16, 64, 128])
def test_signature_has_one_value_per_slot(num_perm: int) -> None:
    sig = signature(shingle_hashes(tokens(ARTICLE), 4), num_perm)
    assert len(sig) == num_perm
    assert all(0 <= value < 2**32 for value in sig)


def test_short_text_fills_every_slot_by_densification() -> None:
    sig = signature(shingle_hashes(["thong", "bao", "moi"], 4), 128)
    assert len(set(sig)) == 1
    assert len(sig) == 128


def test_empty_text_has_no_signature_and_no_bands() -> None:
    assert signature(frozenset(), 128) == ()
    assert band_keys((), 32, 4) == ()


def test_signature_agreement_estimates_jaccard() -> None:
    words = tokens(ARTICLE)
    a, b = shingle_hashes(words, 4), shingle_hashes(words[: len(words) * 2 // 3], 4)
    sig_a, sig_b = signature(a, 128), signature(b, 128)
    estimate = sum(x == y for x, y in zip(sig_a, sig_b, strict=True)) / 128
    assert abs(estimate - jaccard(a, b)) < 0.2


def test_band_keys_are_signed_64_bit_and_one_per_band() -> None:
    keys = band_keys(signature(shingle_hashes(tokens(ARTICLE), 4), 128), 32, 4)
    assert len(keys) == 32
    assert all(-(2**63) <= key < 2**63 for key in keys)


def test_band_keys_reject_a_signature_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="bands \\* rows"):
        band_keys(tuple(range(100)), 32, 4)


def test_copy_in_other_unicode_form_and_tone_placement_has_equal_bands() -> None:
    copy = unicodedata.normalize("NFD", ARTICLE.replace("lũy", "luỹ"))
    original = band_keys(signature(shingle_hashes(tokens(ARTICLE), 4), 128), 32, 4)
    assert band_keys(signature(shingle_hashes(tokens(copy), 4), 128), 32, 4) == original


@pytest.mark.parametrize(
    ("a", "b", "expected_jaccard", "expected_containment"),
    [
        ({1, 2, 3, 4}, {1, 2, 3, 4}, 1.0, 1.0),
        ({1, 2, 3, 4}, {1, 2}, 0.5, 1.0),
        ({1, 2}, {3, 4}, 0.0, 0.0),
        (set(), set(), 0.0, 0.0),
        ({1, 2, 3}, [2, 3, 4], 0.5, 2 / 3),
    ],
)
def test_jaccard_and_containment(
    a: set[int], b: set[int], expected_jaccard: float, expected_containment: float
) -> None:
    assert jaccard(a, b) == pytest.approx(expected_jaccard)
    assert containment(a, b) == pytest.approx(expected_containment)
    arrays = (np.array(sorted(set(a)), dtype=np.uint64), np.array(sorted(set(b)), dtype=np.uint64))
    assert similarity(*arrays) == pytest.approx((expected_jaccard, expected_containment))


def test_content_key_ignores_nothing_but_form() -> None:
    assert content_key(tokens("Khánh Hoà")) == content_key(tokens("khanh   hòa"))
    assert content_key(tokens("Khánh Hòa")) != content_key(tokens("Khánh Hòa mới"))


def test_signatures_estimate_jaccard_and_containment_of_a_truncated_copy() -> None:
    words = tokens(ARTICLE)
    whole, head = shingle_hashes(words, 4), shingle_hashes(words[: len(words) // 2], 4)
    arrays = [np.array(sorted(s), dtype=np.uint64) for s in (whole, head)]
    sigs = [signature_array(a, 128) for a in arrays]
    similar, contained = estimate(sigs[0], len(whole), sigs[1], len(head))
    assert similar == pytest.approx(jaccard(whole, head), abs=0.15)
    assert contained == pytest.approx(containment(whole, head), abs=0.2)
    assert estimate(sigs[0], len(whole), np.empty(0, dtype=np.uint64), 0) == (0.0, 0.0)


def test_estimating_against_many_signatures_gives_each_pair_s_estimate() -> None:
    words = tokens(ARTICLE)
    sets = [shingle_hashes(words[:end], 4) for end in (len(words), len(words) // 2, len(words) // 5)]
    arrays = [np.array(sorted(s), dtype=np.uint64) for s in sets]
    sigs = [signature_array(a, 128) for a in arrays]
    others, sizes = [*sigs[1:], np.empty(0, dtype=np.uint64)], [*map(len, sets[1:]), 0]
    similar, contained = estimate_many(sigs[0], len(sets[0]), others, sizes)
    pairs = [estimate(sigs[0], len(sets[0]), other, size) for other, size in zip(others, sizes, strict=True)]
    assert list(zip(similar.tolist(), contained.tolist(), strict=True)) == pairs


_MASK = (1 << 64) - 1


def _naive_shingles(words: list[str], size: int) -> list[int]:
    """The shingle hashes computed one by one with Python integers: the reference the arrays must match."""

    def fmix(value: int) -> int:
        value ^= value >> 33
        value = value * 0xFF51AFD7ED558CCD & _MASK
        value ^= value >> 33
        value = value * 0xC4CEB9FE1A85EC53 & _MASK
        return value ^ (value >> 33)

    width = min(size, len(words))
    found = set()
    for start in range(len(words) - width + 1 if words else 0):
        combined = 0
        for word in words[start : start + width]:
            combined = (combined ^ zlib.crc32(word.encode())) * 0x9E3779B97F4A7C15 & _MASK
        found.add(fmix(combined) >> 32)
    return sorted(found)


def _naive_signature(hashes: list[int], num_perm: int) -> list[int]:
    slots = [_EMPTY_SLOT] * num_perm
    for value in hashes:
        slot = value * num_perm >> 32
        slots[slot] = min(slots[slot], value)
    return [
        slots[i]
        if slots[i] != _EMPTY_SLOT
        else next(slots[p] for p in _probes(num_perm, i) if slots[p] != _EMPTY_SLOT)
        for i in range(num_perm)
    ]


def test_a_batch_gives_every_item_what_it_gets_computed_alone() -> None:
    # Items of every length side by side: none, fewer words than a shingle, exactly one, a few, many;
    # a few shingles leave most slots empty, so densification is exercised too.
    rng = random.Random(20261203)
    vocabulary = tokens(ARTICLE)
    lengths = [0, 2, 4, 5, 0, 37, 1, 120, 3]
    batch = [[rng.choice(vocabulary) for _ in range(length)] for length in lengths]
    shingles = shingle_arrays(batch, 4)
    signatures = signature_arrays(shingles, 128)
    bands = band_keys_of(signatures, 32, 4)
    for words, found, sig, keys in zip(batch, shingles, signatures, bands, strict=True):
        assert found.tolist() == _naive_shingles(words, 4)
        assert sig.tolist() == (_naive_signature(found.tolist(), 128) if words else [])
        assert keys == band_keys(sig, 32, 4)
        assert len(keys) == (32 if words else 0)


def test_band_keys_of_a_signature_of_the_wrong_length_name_it() -> None:
    with pytest.raises(ValueError, match="signature has 100 slots"):
        band_keys_of([np.arange(128, dtype=np.uint64), np.arange(100, dtype=np.uint64)], 32, 4)
