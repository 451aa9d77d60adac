"""Matching keys of URLs, titles and body text."""

from __future__ import annotations

import pytest

from dedupe.keys import TRACKING_PARAMS, content_key, is_tracking_param, kept_query_parts, title_key, url_key


@pytest.mark.parametrize(
    "url",
    [
        "https://www.moh.gov.vn/tin-tuc?id=5",
        "http://moh.gov.vn/tin-tuc?id=5",
        "https://MOH.gov.vn:443/tin-tuc/?id=5#binh-luan",
        "https://moh.gov.vn/tin-tuc?utm_source=zalo&id=5&utm_medium=social&zarsrc=31",
        "https://moh.gov.vn/tin-tuc?fbclid=IwAR0x&id=5&gidzl=abc",
    ],
)
def test_url_key_ignores_scheme_www_port_fragment_and_tracking(url: str) -> None:
    assert url_key(url) == "moh.gov.vn/tin-tuc?id=5"


def test_url_key_sorts_the_query_and_keeps_id_parameters() -> None:
    a = url_key("https://congbao.sonla.gov.vn/vb.nsf/NoiDung?openForm&ParentUNID=ABC12&p=2")
    b = url_key("https://congbao.sonla.gov.vn/vb.nsf/NoiDung?p=2&ParentUNID=ABC12&openForm")
    assert a == b
    assert "ParentUNID=ABC12" in a
    assert url_key("https://a.gov.vn/x?ItemID=1") != url_key("https://a.gov.vn/x?ItemID=2")


def test_url_key_keeps_a_non_default_port() -> None:
    assert url_key("http://127.0.0.1:8080/tin") == "127.0.0.1:8080/tin"


@pytest.mark.parametrize(
    ("name", "tracking"),
    [
        ("utm_source", True),
        ("UTM_Campaign", True),
        ("zarsrc", True),
        ("fbclid", True),
        ("_ga", True),
        ("mc_cid", True),
        ("ItemID", False),
        ("docid", False),
        ("ParentUNID", False),
        ("id", False),
        ("p", False),
        ("ref", False),
    ],
)
def test_tracking_parameters_table(name: str, tracking: bool) -> None:
    assert is_tracking_param(name) is tracking


def test_tracking_table_is_lower_case() -> None:
    assert all(name == name.lower() for name in TRACKING_PARAMS)


def test_kept_query_parts_keep_raw_spelling_and_order() -> None:
    assert kept_query_parts("b=2&utm_source=x&a=%C3%A0&&openForm") == ["b=2", "a=%C3%A0", "openForm"]


def test_title_key_folds_tone_placement_and_case() -> None:
    assert title_key("Khánh Hoà: khai mạc Festival Biển") == title_key("KHÁNH HÒA - Khai mạc festival biển")


def test_content_key_ignores_spacing_and_spelling_variants() -> None:
    body = "Sáng 12/5, UBND tỉnh Khánh Hoà tổ chức hội nghị về thuỷ lợi."
    variant = "Sáng 12/5,  UBND tỉnh Khánh Hòa tổ chức hội nghị về thủy lợi.\n"
    assert content_key(body) == content_key(variant)
    assert content_key(body) != content_key("Sáng 13/5, UBND tỉnh Khánh Hòa tổ chức hội nghị.")
    assert len(content_key(body)) == 64
