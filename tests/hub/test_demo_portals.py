"""The bundled sample portals: real HTTP on loopback, validators, encodings, the sources file, scaling."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import httpx
import pytest
import yaml

from hub.demo import SamplePortals, portal_ids, serve_sample_portals, serve_scaled_portals
from hub.demo.scale import scaled_portals
from hub.demo.server import is_fresh, static_file
from hub.sources import load_sources_file
from tests.support.http import LOOPBACK_TIMEOUT

CONTENT_TYPES = {
    "baochinhphu-trang-chu": "text/xml; charset=utf-8",
    "congbao-van-ban": "application/rss+xml; charset=utf-8",
    "danang-tin-tuc": "application/rdf+xml; charset=utf-8",
    "dichvucong-thu-tuc": "application/json; charset=utf-8",
    "hue-tin-tuc": "application/rss+xml; charset=utf-8",
    "khanhhoa-tin-tuc": "text/xml; charset=windows-1258",
    "mae-tin-tuc": "application/rss+xml; charset=utf-8",
    "moh-tin-noi-bat": "application/atom+xml; charset=utf-8",
    "sonla-tin-tuc": "application/rss+xml; charset=utf-8",
}
FEED_VERSIONS = {
    "baochinhphu-trang-chu": "rss20",
    "congbao-van-ban": "rss20",
    "danang-tin-tuc": "rss10",
    "hue-tin-tuc": "rss20",
    "khanhhoa-tin-tuc": "rss20",
    "mae-tin-tuc": "rss20",
    "moh-tin-noi-bat": "atom10",
    "sonla-tin-tuc": "rss20",
}
REQUIRED_FIELDS = ("id", "name", "agency", "level", "kind", "content_type", "url", "schedule")
LEVELS = {"central", "ministry", "province", "department", "district"}
Sources = dict[str, dict[str, Any]]  # source id -> the entry of the generated sources file
ORIGINS = ("https://mae.gov.vn", "https://moh.gov.vn", "https://khanhhoa.gov.vn", "https://danang.gov.vn")


@pytest.fixture(scope="module")
def portals() -> Iterator[SamplePortals]:
    with serve_sample_portals() as running:
        yield running


@pytest.fixture(scope="module")
def sources(portals: SamplePortals) -> Sources:
    return {source["id"]: source for source in yaml.safe_load(portals.sources_yaml())["sources"]}


def _get(url: str, **headers: str) -> httpx.Response:
    with httpx.Client(timeout=LOOPBACK_TIMEOUT) as client:
        return client.get(url, headers=headers)


def test_there_are_at_least_seven_portals_each_on_its_own_port(portals: SamplePortals) -> None:
    hosts = {urlsplit(url).netloc for url in portals.base_urls.values()}
    assert len(portal_ids()) >= 7
    assert sorted(portals.base_urls) == portal_ids()
    assert len(hosts) == len(portal_ids())


@pytest.mark.parametrize(("source_id", "content_type"), sorted(CONTENT_TYPES.items()))
def test_every_feed_answers_with_its_content_type(
    sources: Sources, source_id: str, content_type: str
) -> None:
    reply = _get(sources[source_id]["url"])
    assert reply.status_code == 200
    assert reply.headers["content-type"] == content_type
    assert reply.headers["etag"].startswith('"')
    assert reply.headers["last-modified"].endswith("GMT")


@pytest.mark.parametrize(("source_id", "version"), sorted(FEED_VERSIONS.items()))
def test_every_feed_is_well_formed_in_its_format(sources: Sources, source_id: str, version: str) -> None:
    body = _get(sources[source_id]["url"]).content
    parsed = feedparser.parse(body)
    assert not parsed.bozo  # well-formed, and its declared encoding decodes it
    assert parsed.version == version
    assert 4 <= len(parsed.entries) <= 10


@pytest.mark.parametrize("validator", ["etag", "last-modified"])
def test_conditional_request_with_a_validator_gets_304(sources: Sources, validator: str) -> None:
    url = sources["mae-tin-tuc"]["url"]
    first = _get(url)
    header = {"etag": "If-None-Match", "last-modified": "If-Modified-Since"}[validator]
    again = _get(url, **{header: first.headers[validator]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


def test_stale_etag_gets_the_full_body(sources: Sources) -> None:
    reply = _get(sources["moh-tin-noi-bat"]["url"], **{"If-None-Match": '"khac"'})
    assert reply.status_code == 200
    assert b"<feed" in reply.content


@pytest.mark.parametrize(
    ("if_none_match", "if_modified_since", "fresh"),
    [
        ('"abc"', None, True),
        ('W/"abc"', None, True),
        ('"x", "abc"', None, True),
        ("*", None, True),
        ('"x"', "Sat, 21 Nov 2026 01:00:00 GMT", False),  # If-None-Match wins over the date
        (None, "Sat, 21 Nov 2026 01:00:00 GMT", True),
        (None, "Fri, 20 Nov 2026 23:59:59 GMT", False),
        (None, "hôm qua", False),
        (None, None, False),
    ],
)
def test_freshness_follows_the_conditional_request_rules(
    if_none_match: str | None, if_modified_since: str | None, fresh: bool
) -> None:
    file = static_file("/a.rss", b"x", datetime(2026, 11, 21, 1, 0, tzinfo=UTC))
    file = type(file)(file.body, file.content_type, file.last_modified, '"abc"')
    assert is_fresh(file, if_none_match, if_modified_since) is fresh


def test_unknown_path_is_404(portals: SamplePortals) -> None:
    assert _get(portals.url("mae", "/khong-co-trang-nay.htm")).status_code == 404


def test_windows_1258_feed_decodes_to_both_tone_placements(sources: Sources) -> None:
    raw = _get(sources["khanhhoa-tin-tuc"]["url"]).content
    text = unicodedata.normalize("NFC", raw.decode("cp1258"))
    assert raw.startswith(b'<?xml version="1.0" encoding="windows-1258"?>')
    assert "Khánh Hòa" in text
    assert "Khánh Hoà" in text
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_danang_feed_is_served_decomposed(sources: Sources) -> None:
    text = _get(sources["danang-tin-tuc"]["url"]).content.decode("utf-8")
    assert "Đà Nẵng" not in text
    assert "Đà Nẵng" in unicodedata.normalize("NFC", text)


def test_links_inside_files_point_at_the_running_portals(portals: SamplePortals, sources: Sources) -> None:
    served = "".join(_get(sources[source_id]["url"]).text for source_id in ("mae-tin-tuc", "moh-tin-noi-bat"))
    assert portals.base_urls["mae"] + "/tin-tuc/" in served
    assert portals.base_urls["moh"] + "/" in served
    assert not [origin for origin in ORIGINS if origin in served]


def test_khanhhoa_republishes_a_mae_story_with_attribution(sources: Sources) -> None:
    original = feedparser.parse(_get(sources["mae-tin-tuc"]["url"]).content).entries[0]
    copies = feedparser.parse(_get(sources["khanhhoa-tin-tuc"]["url"]).content).entries
    titles = [
        unicodedata.normalize("NFC", entry.title) for entry in copies
    ]  # cp1258 decodes to combining marks
    copy = copies[titles.index("Bộ NN&MT: " + original.title)]
    copy_html = unicodedata.normalize("NFC", copy.description)
    assert "Nguồn: mae.gov.vn" in copy_html
    assert "Công điện số 27/CĐ-BNNMT" in copy_html
    assert "trực ban nghiêm túc 24/24 giờ" in original.content[0].value
    assert "trực ban nghiêm túc 24/24 giờ" not in copy_html


def test_mae_feed_lists_one_entry_twice(sources: Sources) -> None:
    links = [entry.link for entry in feedparser.parse(_get(sources["mae-tin-tuc"]["url"]).content).entries]
    assert len(links) - len(set(links)) == 1


def test_sonla_feed_is_summary_only_with_full_text_on_the_page(sources: Sources) -> None:
    entries = feedparser.parse(_get(sources["sonla-tin-tuc"]["url"]).content).entries
    page = _get(entries[0].link)
    assert "utm_source=rss" in entries[0].link
    assert all("guid" not in entry for entry in entries)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert '<div class="news-content">' in page.text
    assert "Lượt xem: 1.245" in page.text
    assert len(entries[0].summary) < 300


def test_sonla_robots_txt_disallows_only_admin(portals: SamplePortals) -> None:
    rules = [
        line for line in _get(portals.url("sonla", "/robots.txt")).text.splitlines() if line.startswith("Dis")
    ]
    assert rules == ["Disallow: /admin/"]


def test_sources_file_has_every_required_field(portals: SamplePortals, tmp_path: Path) -> None:
    written = portals.write_sources(tmp_path / "sources.yaml")
    sources = yaml.safe_load(written.read_text(encoding="utf-8"))["sources"]
    assert len({source["id"] for source in sources}) == len(sources) >= 7
    for source in sources:
        assert [field for field in REQUIRED_FIELDS if not source.get(field)] == [], source["id"]
        assert source["level"] in LEVELS
        assert source["content_type"] in {"article", "document", "service"}
        assert len(source["schedule"]) == 1
        assert set(source["schedule"]) <= {"every", "cron"}
        assert source["url"].startswith(portals.base_urls[source["id"].split("-")[0]])


def test_sources_file_is_accepted_by_the_hub(portals: SamplePortals, tmp_path: Path) -> None:
    configs = load_sources_file(portals.write_sources(tmp_path / "sources.yaml"))
    assert sorted(config.id for config in configs) == sorted(source["id"] for source in portals.sources())


def test_every_document_in_the_gazette_feed_has_its_page(sources: Sources) -> None:
    entries = feedparser.parse(_get(sources["congbao-van-ban"]["url"]).content).entries
    pages = [_get(entry.link) for entry in entries]
    assert [page.status_code for page in pages] == [200] * len(entries) == [200] * 7
    assert all("Ngày có hiệu lực" in page.text for page in pages)


@pytest.mark.parametrize(
    ("source_id", "field", "value"),
    [
        ("sonla-tin-tuc", "full_text", True),
        ("congbao-van-ban", "content_type", "document"),
        ("mae-tin-tuc", "level", "ministry"),
        ("sonla-tin-tuc", "level", "department"),
        ("baochinhphu-trang-chu", "level", "central"),
        ("mae-tin-tuc", "site", "https://mae.gov.vn"),  # served on loopback, credited by its real address
        ("sonla-tin-tuc", "site", "https://snnmt.sonla.gov.vn"),
    ],
)
def test_sources_carry_the_portal_specifics(
    sources: Sources, source_id: str, field: str, value: object
) -> None:
    assert sources[source_id][field] == value


def test_central_and_ministry_sources_rank_above_local_ones(sources: Sources) -> None:
    by_level = {level: [s["priority"] for s in sources.values() if s["level"] == level] for level in LEVELS}
    assert min(by_level["central"]) > max(by_level["ministry"]) > max(by_level["province"])
    assert max(by_level["province"]) > max(by_level["department"])


def test_package_data_is_found_through_importlib_resources() -> None:
    root = files("hub.demo").joinpath("portals")
    for portal_id in portal_ids():
        assert root.joinpath(portal_id, "portal.yaml").is_file()
        assert root.joinpath(portal_id, "site", "robots.txt").is_file()


@pytest.mark.parametrize(("feeds", "entries"), [(1, 1), (3, 7)])
def test_scaled_portals_serve_the_requested_feeds_and_entries(feeds: int, entries: int) -> None:
    with serve_scaled_portals(feeds, entries) as running:
        sources = yaml.safe_load(running.sources_yaml())["sources"]
        parsed = [feedparser.parse(_get(source["url"]).content) for source in sources]
        hosts = {urlsplit(source["url"]).netloc for source in sources}
    assert len(sources) == len(hosts) == feeds
    assert [len(feed.entries) for feed in parsed] == [entries] * feeds
    assert all(not feed.bozo for feed in parsed)


def test_scaled_portals_are_reproducible_and_varied() -> None:
    first, second = scaled_portals(2, 40), scaled_portals(2, 40)
    titles = [
        entry.title
        for portal in first
        for entry in feedparser.parse(portal.files["/rss/tin-tuc.rss"]).entries
    ]
    assert [portal.files for portal in first] == [portal.files for portal in second]
    assert len(set(titles)) == len(titles) == 80
