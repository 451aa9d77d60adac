"""Absolute and canonical URLs: urljoin against base and source URL, tracking dropped, ids kept."""

from __future__ import annotations

import pytest

from hub.pipeline.normalise.urls import absolute_url, canonical_url

SOURCE = "https://vanban.chinhphu.vn/rss/van-ban-moi.rss"


@pytest.mark.parametrize(
    ("link", "base", "absolute"),
    [
        # the join bug seen in a crawler: concatenation gave https://vanban.chinhphu.vnhe-thong-van-ban
        ("he-thong-van-ban?class_id=1", None, "https://vanban.chinhphu.vn/rss/he-thong-van-ban?class_id=1"),
        ("/he-thong-van-ban?docid=212345", None, "https://vanban.chinhphu.vn/he-thong-van-ban?docid=212345"),
        (
            "tin-tuc/bai-1.html",
            "https://baochinhphu.vn/thoi-su/",
            "https://baochinhphu.vn/thoi-su/tin-tuc/bai-1.html",
        ),
        ("bai-2.html", "/chuyen-muc/", "https://vanban.chinhphu.vn/chuyen-muc/bai-2.html"),
        ("//moh.gov.vn/tin", None, "https://moh.gov.vn/tin"),
        ("https://sonla.gov.vn/a", "https://x.vn/", "https://sonla.gov.vn/a"),
        (
            "NoiDung?openForm&ParentUNID=7A1B2C",
            "http://congbao.sonla.gov.vn/congbao.nsf/ViewDanhMuc/",
            "http://congbao.sonla.gov.vn/congbao.nsf/ViewDanhMuc/NoiDung?openForm&ParentUNID=7A1B2C",
        ),
        (
            "/congbao.nsf/0/7A1B2C/$file/QD so 37.2026.doc",
            "http://congbao.sonla.gov.vn/",
            "http://congbao.sonla.gov.vn/congbao.nsf/0/7A1B2C/$file/QD%20so%2037.2026.doc",
        ),
        ("/tin-tức/Hà-Nội", None, "https://vanban.chinhphu.vn/tin-t%E1%BB%A9c/H%C3%A0-N%E1%BB%99i"),
        ("/a%20b", None, "https://vanban.chinhphu.vn/a%20b"),
    ],
)
def test_links_are_joined_never_concatenated(link: str, base: str | None, absolute: str) -> None:
    assert absolute_url(link, base, SOURCE) == absolute


@pytest.mark.parametrize(
    "link", ["", "   ", None, "javascript:void(0)", "mailto:vp@chinhphu.vn", "data:image/png;base64,AA"]
)
def test_non_web_links_give_none(link: str | None) -> None:
    assert absolute_url(link, SOURCE) is None


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://WWW.MOH.GOV.VN/tin-tuc", "https://www.moh.gov.vn/tin-tuc"),
        ("https://moh.gov.vn:443/tin#binh-luan", "https://moh.gov.vn/tin"),
        ("http://moh.gov.vn:80", "http://moh.gov.vn/"),
        ("http://127.0.0.1:8080/tin", "http://127.0.0.1:8080/tin"),
        (
            "https://moh.gov.vn/tin?ItemID=5&utm_source=zalo&utm_medium=social&zarsrc=31&fbclid=IwAR",
            "https://moh.gov.vn/tin?ItemID=5",
        ),
        ("https://a.gov.vn/x?gclid=1&docid=9&mc_cid=2&mc_eid=3&_ga=4&p=2", "https://a.gov.vn/x?docid=9&p=2"),
        ("https://a.gov.vn/Pages/tin.aspx;jsessionid=0A1B?id=7", "https://a.gov.vn/Pages/tin.aspx?id=7"),
        (
            "http://congbao.sonla.gov.vn/vb.nsf/NoiDung?openForm&ParentUNID=7A1B2C",
            "http://congbao.sonla.gov.vn/vb.nsf/NoiDung?openForm&ParentUNID=7A1B2C",
        ),
        ("https://a.gov.vn/tin?ref=trang-chu&id=3", "https://a.gov.vn/tin?ref=trang-chu&id=3"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
