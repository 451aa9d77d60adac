"""Feed bytes -> parsed entries: goldens for every fixture, and the lxml and feedparser paths agree."""

from __future__ import annotations

import json
import tracemalloc
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from connectors.base import ConnectorError
from connectors.feed.fallback import parse_with_feedparser
from connectors.feed.parse import parse_fast, parse_feed, prepare_feed
from connectors.feed.records import entry_records

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feed"
FEED_URL = "https://khanhhoa.gov.vn/rss/{case}.rss"
CASES = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".expected.json"))
WELL_FORMED = [p for p in CASES if p.stem not in ("entity_bomb", "html_page", "malformed")]


def _golden(path: Path) -> dict[str, Any]:
    return json.loads(path.with_name(f"{path.stem}.expected.json").read_text(encoding="utf-8"))


def _parsed(path: Path) -> dict[str, Any]:
    try:
        feed = parse_feed(path.read_bytes(), "", FEED_URL.format(case=path.stem))
    except ConnectorError as exc:
        return {"error": exc.code}
    records = [
        {"url": r.entry.url, "guid": r.guid, "guid_reused": r.guid_reused, "entry_digest": r.digest}
        | {"fields": r.entry.fields}
        for r in entry_records(feed)
    ]
    return {"format": str(feed.format), "parser": feed.parser, "feed_title": feed.title, "records": records}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_fixture_parses_to_its_golden_records(path: Path) -> None:
    assert _parsed(path) == _golden(path)


@pytest.mark.parametrize("path", WELL_FORMED, ids=lambda p: p.stem)
def test_lxml_and_feedparser_paths_give_identical_records(path: Path) -> None:
    url = FEED_URL.format(case=path.stem)
    safe, fmt = prepare_feed(path.read_bytes(), "", url)
    fast = parse_fast(safe, fmt, url)
    slow = parse_with_feedparser(safe, fmt, url)
    assert fast is not None
    assert fast.parser == "lxml"
    assert slow.parser == "feedparser"
    assert (fast.title, fast.entries) == (slow.title, slow.entries)


def test_malformed_xml_falls_back_to_feedparser() -> None:
    golden = _golden(FIXTURES / "malformed.xml")
    assert golden["parser"] == "feedparser"
    assert (
        golden["records"][0]["url"]
        == "https://bqlkkt.khanhhoa.gov.vn/tin-tuc/thu-hut-dau-tu.aspx?id=311&cat=2"
    )


def test_entity_bomb_is_refused_before_parsing() -> None:
    # Refused outright (not parsed with entities unexpanded): its entries would be meaningless.
    body = (FIXTURES / "entity_bomb.xml").read_bytes()
    tracemalloc.start()
    try:
        with pytest.raises(ConnectorError) as caught:
            parse_feed(body, "", "https://khanhhoa.gov.vn/rss/bomb.rss")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024  # expanded, lol9 alone would be 3 GB
    assert caught.value.code == "parse.unsafe_xml"
    assert caught.value.url == "https://khanhhoa.gov.vn/rss/bomb.rss"


def test_html_page_is_not_a_feed_and_says_what_it_found() -> None:
    url = "https://khanhhoa.gov.vn/rss/tin-tuc.rss"
    with pytest.raises(ConnectorError, match="found an HTML page") as caught:
        parse_feed((FIXTURES / "html_page.html").read_bytes(), "application/rss+xml", url)
    assert caught.value.code == "parse.not_a_feed"
    assert url in str(caught.value)


def test_windows_1258_titles_come_out_composed() -> None:
    titles = [r["fields"]["title"] for r in _golden(FIXTURES / "windows1258.xml")["records"]]
    assert "Việt Nam" in titles[0]
    assert titles[0].startswith("Khánh Hòa")
    assert all(unicodedata.is_normalized("NFC", t) for t in titles)


def test_nfd_titles_are_kept_verbatim_for_the_normaliser() -> None:
    title = _golden(FIXTURES / "nfd_titles.xml")["records"][0]["fields"]["title"]
    assert not unicodedata.is_normalized("NFC", title)
    assert (
        unicodedata.normalize("NFC", title) == "Kế hoạch tuyển sinh lớp 10 năm học 2026 - 2027 tại Khánh Hòa"
    )


@pytest.mark.parametrize(
    ("case", "index", "published"),
    [
        ("rss20_gmt7", 0, "Mon, 04 May 2026 12:05:08 GMT+7"),
        ("rss20_gmt7", 1, "04/05/2026 12:05"),
        ("rss20_gmt7", 2, "2026-05-02 08:30:00"),
        ("rdf10", 1, "03/05/2026"),
        ("relative_links", 1, "Thứ 5, 23/04/2026 17:00:00 GMT+7"),
    ],
)
def test_dates_are_kept_as_written(case: str, index: int, published: str) -> None:
    assert _golden(FIXTURES / f"{case}.xml")["records"][index]["fields"]["published"] == published


def test_script_in_body_is_kept_verbatim_but_never_chosen_as_image() -> None:
    fields = _golden(FIXTURES / "script_body.xml")["records"][0]["fields"]
    assert "<script" in fields["body_html"]
    assert 'onclick="trackClick()"' in fields["body_html"]
    assert fields["image_url"] is None


def test_relative_links_stay_relative_with_the_feed_url_as_base() -> None:
    record = _golden(FIXTURES / "relative_links.xml")["records"][1]
    assert record["url"] == "../vanban/nghi-quyet-12-2026-nq-hdnd.html"
    assert record["fields"]["base_url"] == FEED_URL.format(case="relative_links")


def test_atom_xml_base_resolves_links_and_is_the_base_url() -> None:
    record = _golden(FIXTURES / "atom.xml")["records"][0]
    assert record["url"] == "https://syt.khanhhoa.gov.vn/tin-tuc/tiem-chung-mo-rong-thang-5.html"
    assert record["fields"]["base_url"] == "https://syt.khanhhoa.gov.vn/tin-tuc/"


MEDIA_RSS = """<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Sở Xây dựng</title>
<item><title>Khởi công cầu Trần Phú mới</title><link>/tin/cau-tran-phu.html</link>
<media:thumbnail url="/anh/cau-nho.jpg"/><media:content url="/video/khoi-cong.mp4" type="video/mp4"/>
<description>&lt;p&gt;&lt;img src="/anh/cau.jpg"&gt; Sáng 6/5, tỉnh khởi công cầu.&lt;/p&gt;</description>
</item>
<item><title>Thẩm định dự án nhà ở xã hội</title><guid>https://sxd.khanhhoa.gov.vn/tin/nha-o-xa-hoi.html</guid>
<author>Phòng Quản lý nhà</author><category>Nhà ở</category><category>Nhà ở</category>
<enclosure url="/anh/nha-o.pdf" type="application/pdf"/></item>
<item><guid>https://sxd.khanhhoa.gov.vn/?p=77</guid><link>/tin/giay-phep-xay-dung.html</link>
<title>Cấp phép</title>
</item></channel></rss>"""
MEDIA_ATOM = """<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Sở <b>Xây dựng</b></div></title>
<entry><title>Quy hoạch chung đô thị Cam Ranh</title><id>urn:sxd:512</id>
<link rel="alternate" type="application/pdf" href="/files/quy-hoach.pdf"/>
<link rel="alternate" href="/tin/512.html"/>
<link rel="related" href="/tin/500.html"/><content src="/tin/512.html" type="text/html"/>
<author><email>sxd@khanhhoa.gov.vn</email></author><category term=""/><category term="Quy hoạch"/>
<media:thumbnail url="/anh/512-nho.jpg"/><media:content url="/anh/512.jpg" medium="image"/></entry></feed>"""


@pytest.mark.parametrize(("body", "image"), [(MEDIA_RSS, "/anh/cau-nho.jpg"), (MEDIA_ATOM, "/anh/512.jpg")])
def test_media_elements_parse_the_same_on_both_paths(body: str, image: str) -> None:
    url = "https://sxd.khanhhoa.gov.vn/rss/tin-tuc.rss"
    safe, fmt = prepare_feed(body.encode(), "", url)
    fast = parse_fast(safe, fmt, url)
    slow = parse_with_feedparser(safe, fmt, url)
    assert fast is not None
    assert (fast.title, fast.entries) == (slow.title, slow.entries)
    assert fast.entries[0].fields["image_url"] == image
    assert fast.entries[-1].url in ("/tin/512.html", "/tin/giay-phep-xay-dung.html")


def test_atom_03_is_read_by_feedparser() -> None:
    body = """<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Tin cũ</title>
    <entry><title>Lưu trữ 2009</title><link rel="alternate" type="text/html" href="https://khanhhoa.gov.vn/tin/1"/>
    <id>tag:khanhhoa.gov.vn,2009:1</id><issued>2009-05-04T08:00:00+07:00</issued></entry></feed>"""
    feed = parse_feed(body.encode(), "application/atom+xml", "https://khanhhoa.gov.vn/atom.xml")
    assert feed.parser == "feedparser"
    assert [e.url for e in feed.entries] == ["https://khanhhoa.gov.vn/tin/1"]
    assert feed.entries[0].fields["published"] == "2009-05-04T08:00:00+07:00"


def test_feed_feedparser_cannot_read_is_malformed() -> None:
    with pytest.raises(ConnectorError) as caught:
        parse_feed(b"<rss version='2.0'><<<\x00", "", "https://khanhhoa.gov.vn/rss.xml")
    assert caught.value.code == "parse.malformed"
