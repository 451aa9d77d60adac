"""Document number and procedure code keys: every spelling of one number seen in real data gives one key."""

from __future__ import annotations

import pytest

from dedupe.doclaw import (
    DOC_TYPES,
    ISSUER_CODES,
    ISSUERS,
    SEGMENT_ALIASES,
    TYPE_ABBREVIATIONS,
    DocumentNumber,
    document_number_key,
    issuer_key,
    parse_document_number,
    procedure_code_key,
)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("43/2011/NĐ-CP", "43/2011/NĐ-CP"),
        ("43/2011/ND-CP", "43/2011/NĐ-CP"),  # ASCII transliteration
        ("22/2021/QD-TTg", "22/2021/QĐ-TTg"),
        ("89/2015/NÐ-CP", "89/2015/NĐ-CP"),  # Eth U+00D0, not Đ U+0110
        ("51/2025/TT-BTС", "51/2025/TT-BTC"),  # Cyrillic С U+0421
        ("33/2018/TT- BGTVT", "33/2018/TT-BGTVT"),
        ("1 /QĐ-UBND", "1/QĐ-UBND"),
        ("26/2026/TT-BCT ", "26/2026/TT-BCT"),
        ("số 37/2026/QĐ-UBND", "37/2026/QĐ-UBND"),
        ("Số: 37/2026/QĐ-UBND", "37/2026/QĐ-UBND"),
        ("Luật số 45/2013/QH13", "45/2013/QH13"),
        ("Nghị định số 43/2011/NĐ-CP", "43/2011/NĐ-CP"),
        ("Thông tư 24/2011/TT-BTTTT", "24/2011/TT-BTTTT"),
        ("09/2026/QH16", "9/2026/QH16"),  # leading zeros
        ("1466/QĐ-TTG", "1466/QĐ-TTg"),  # upper-cased TTg
        ("47/2000/QĐ-BGD&ĐT", "47/2000/QĐ-BGDĐT"),  # old issuer spelling
        ("01/QĐ-TT HĐND", "1/QĐ-TTHĐND"),  # Sơn La: the same issuer with and without a space
        ("03/QĐ-TTHĐND", "3/QĐ-TTHĐND"),
        ("12a/2020/TT-BTC", "12A/2020/TT-BTC"),  # letter suffix of the serial
        ("6188/BTNMT-ĐKDLTTĐĐ", "6188/BTNMT-ĐKDLTTĐĐ"),  # official letter: no type abbreviation
        ("43/2011/NĐ-CP ngày 13/6/2011", "43/2011/NĐ-CP"),  # prose after the number is not the number
        ("QĐ/0001-BCA", "QĐ/0001-BCA"),  # odd one-off: still one spelling
        ("Nghị định số 43/2011/NĐ-CP", "43/2011/NĐ-CP"),  # decomposed (NFD) text
    ],
)
def test_number_variants_share_one_key(written: str, key: str) -> None:
    assert document_number_key(written) == key


@pytest.mark.parametrize("written", ["Không số", "không số", "", "   "])
def test_document_without_number_has_no_key(written: str) -> None:
    assert document_number_key(written) == ""


def test_national_number_with_a_year_needs_no_issuer() -> None:
    assert document_number_key("43/2011/NĐ-CP", "Chính phủ") == document_number_key("43/2011/ND-CP")


def test_local_issuer_number_carries_the_province() -> None:
    son_la = document_number_key("37/2026/QĐ-UBND", "UBND tỉnh Sơn La")
    khanh_hoa = document_number_key("37/2026/QĐ-UBND", "Ủy ban nhân dân tỉnh Khánh Hòa")
    assert son_la != khanh_hoa
    assert son_la == document_number_key("số 37/2026/QĐ-UBND", "Ủy ban nhân dân Tỉnh Sơn La")


def test_yearless_number_carries_the_issue_year() -> None:
    first = document_number_key("356/NQ-CP", "Chính phủ", year=2025)
    second = document_number_key("356/NQ-CP", "Chính phủ", year=2026)
    assert first != second
    assert second == "356/NQ-CP|2026|chinh phu"


def test_number_is_split_into_its_parts() -> None:
    assert parse_document_number("05/2012/TTLT-VKSNDTC-TANDTC-BCA") == DocumentNumber(
        key="5/2012/TTLT-VKSNDTC-TANDTC-BCA",
        serial="5",
        year=2012,
        type_code="TTLT",
        issuer_codes=("VKSNDTC", "TANDTC", "BCA"),
    )


@pytest.mark.parametrize(
    ("issuer", "same_as"),
    [
        ("UBND tỉnh Sơn La", "Ủy ban nhân dân tỉnh Sơn La"),
        ("Bộ Công thương", "Bộ Công Thương"),
        ("HĐND xã Chiềng Hặc", "Hội đồng nhân dân xã Chiềng Hặc"),
    ],
)
def test_issuer_key_spells_out_abbreviations(issuer: str, same_as: str) -> None:
    assert issuer_key(issuer) == issuer_key(same_as)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("1.013395", "1.013395"),
        ("1.013395.01", "1.013395"),  # case code
        ("1.004873.H87", "1.004873"),  # agency-qualified form
        ("1.001612.000.00.00.H01", "1.001612"),
        ("Mã thủ tục: 1.004227", "1.004227"),
        (" 2.000815 ", "2.000815"),
        ("1.0104", "1.010400"),  # read as a number by a spreadsheet
        ("1,010382", "1.010382"),
        ("không có mã", ""),
    ],
)
def test_procedure_code_key(written: str, key: str) -> None:
    assert procedure_code_key(written) == key


@pytest.mark.parametrize(
    "table", [DOC_TYPES, ISSUERS, tuple(ISSUER_CODES), tuple(SEGMENT_ALIASES), tuple(TYPE_ABBREVIATIONS)]
)
def test_vocabularies_are_sorted_tables(table: tuple[str, ...]) -> None:
    assert list(table) == sorted(table)
