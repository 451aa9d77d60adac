"""Shingles, one-permutation MinHash and band keys: stable, sized as settings say, Jaccard-faithful."""

from __future__ import annotations

import unicodedata

import pytest

from dedupe.fingerprint import band_keys, containment, content_key, jaccard, shingle_hashes, signature
from dedupe.text import tokens

ARTICLE = (
    "Sáng 12/5, tại Hà Nội, Bộ trưởng Bộ Nông nghiệp và Môi trường Đỗ Đức Duy đã chủ trì hội nghị giao ban "
    "định kỳ tháng 5 về chuyển đổi số trong quản lý đất đai. Báo cáo tại hội nghị, đại diện đơn vị chủ trì "
    "cho biết trong tháng 5, toàn ngành đã hoàn thành 128 nhiệm vụ, đạt 92,5% kế hoạch; còn 14 nhiệm vụ "
    "đang triển khai. Kinh phí thực hiện lũy kế đạt 1.250 tỷ đồng."
)


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
    assert shingle_hashes(["ubnd", "tinh", "khanh", "hoa"], 4) == frozenset({919109205})


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


def test_content_key_ignores_nothing_but_form() -> None:
    assert content_key(tokens("Khánh Hoà")) == content_key(tokens("khanh   hòa"))
    assert content_key(tokens("Khánh Hòa")) != content_key(tokens("Khánh Hòa mới"))
