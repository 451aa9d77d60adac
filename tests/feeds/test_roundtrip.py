"""Atom and RSS read back by feedparser keep what the feed entry contract promises."""

from __future__ import annotations

import calendar
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest

from feeds import FeedEntry, render
from tests.feeds.pages import ARTICLE, ENTRIES, MAE, NOTICE, minimal_page, sample_page

XML_FORMATS = ("atom", "rss")


def _parse(fmt: str, page: Any = None) -> Any:
    parsed = feedparser.parse(render(page or sample_page(), fmt))
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _utc(struct: Any) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)


def _second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_ids_and_nfc_titles_survive(fmt: str) -> None:
    parsed = _parse(fmt)
    assert [entry.id for entry in parsed.entries] == [entry.id for entry in ENTRIES]
    titles = [entry.title for entry in parsed.entries]
    assert titles == [unicodedata.normalize("NFC", entry.title) for entry in ENTRIES]
    assert all(unicodedata.is_normalized("NFC", title) for title in titles)


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_published_and_updated_survive_to_the_second(fmt: str) -> None:
    for got, entry in zip(_parse(fmt).entries, ENTRIES, strict=True):
        assert _utc(got.published_parsed) == _second(entry.published)
        assert _utc(got.updated_parsed) == _second(entry.updated)


@pytest.mark.parametrize(
    ("fmt", "published"),
    [("atom", "2026-07-13T08:30:00+07:00"), ("rss", "Mon, 13 Jul 2026 08:30:00 +0700")],
)
def test_times_are_written_in_vietnam_offset(fmt: str, published: str) -> None:
    assert _parse(fmt).entries[0].published == published


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_canonical_original_is_the_link(fmt: str) -> None:
    for got, entry in zip(_parse(fmt).entries, ENTRIES, strict=True):
        assert got.link == entry.link


def test_atom_lists_each_republication_as_a_related_link() -> None:
    links = _parse("atom").entries[0].links
    related = [(link.href, link.title, link.type) for link in links if link.rel == "related"]
    expected = [(one.url, one.portal_name, "text/html") for one in ARTICLE.republications]
    assert related == expected
    assert [link.type for link in links if link.rel == "alternate"] == ["text/html"]


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_author_is_the_agency(fmt: str) -> None:
    authors = [entry.author for entry in _parse(fmt).entries]
    # The province article has no author of its own: its portal's agency stands in.
    assert authors == [_agency(entry) for entry in ENTRIES]


def _agency(entry: FeedEntry) -> str:
    return entry.author or (entry.attribution.agency if entry.attribution else "")


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_every_topic_is_a_category(fmt: str) -> None:
    for got, entry in zip(_parse(fmt).entries, ENTRIES, strict=True):
        assert [tag.term for tag in got.tags] == list(entry.categories)


def test_atom_source_names_the_originating_portal() -> None:
    source = _parse("atom").entries[0].source
    attribution = ARTICLE.attribution
    assert attribution is not None
    assert source.id == attribution.feed_url
    assert source.title == attribution.portal_name
    assert source.author == attribution.agency
    assert {(link.rel, link.href) for link in source.links} == {
        ("alternate", attribution.portal_url),
        ("self", attribution.feed_url),
    }
    assert _utc(source.updated_parsed) == _second(ARTICLE.updated)


def test_rss_source_names_the_originating_portal_feed() -> None:
    item = _parse("rss").entries[0]
    attribution = ARTICLE.attribution
    assert attribution is not None
    assert (item.source.href, item.source.title) == (attribution.feed_url, attribution.portal_name)
    assert item.publisher == attribution.portal_name


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_paging_links_survive(fmt: str) -> None:
    page = sample_page()
    links = {link.rel: link.href for link in _parse(fmt).feed.links if link.rel != "alternate"}
    expected = {
        "self": page.self_url,
        "first": page.first_url,
        "previous": page.prev_url,
        "next": page.next_url,
    }
    assert links == expected


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_last_page_has_no_paging_links(fmt: str) -> None:
    rels = {link.rel for link in _parse(fmt, minimal_page()).feed.links}
    assert rels == {"self", "alternate"}


def test_rss_guid_is_no_permalink_for_tag_ids() -> None:
    assert _parse("rss").entries[0].guidislink is False


def test_rss_dublin_core_identifies_documents_by_number() -> None:
    identifiers = [entry.dc_identifier for entry in _parse("rss").entries]
    assert identifiers[2:] == ["224/2026/NĐ-CP", "1.013395"]
    assert identifiers[0] == ARTICLE.link


def test_atom_feed_has_an_author_when_an_entry_lacks_one() -> None:
    parsed = _parse("atom", minimal_page())
    assert parsed.feed.author == minimal_page().title
    assert "author" not in parsed.entries[0]


def test_atom_page_without_subtitle_or_home_links_only_itself() -> None:
    page = replace(minimal_page(), subtitle="", home_url="")
    parsed = _parse("atom", page)
    assert "subtitle" not in parsed.feed
    assert [(link.rel, link.href) for link in parsed.feed.links] == [("self", page.self_url)]


def test_rss_channel_without_home_or_subtitle_falls_back_to_self_and_title() -> None:
    page = replace(minimal_page(), subtitle="", home_url="")
    channel = _parse("rss", page).feed
    assert (channel.link, channel.subtitle) == (page.self_url, page.title)


def test_atom_source_without_agency_has_no_author() -> None:
    attribution = replace(MAE, agency="", feed_url=None)
    entry = replace(NOTICE, attribution=attribution)
    source = _parse("atom", sample_page((entry,))).entries[0].source
    assert "author" not in source
    assert source.id == attribution.portal_url
