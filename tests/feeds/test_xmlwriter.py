"""The text writer escapes every value so that any title, body or attribute reads back unchanged."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from lxml import etree

from feeds import render
from feeds.namespace import ATOM_NS
from feeds.values import clean
from feeds.xmlwriter import XmlWriter
from tests.feeds.pages import ARTICLE, PROVINCE_ARTICLE, sample_page

NASTY = (
    "Thông báo \"khẩn\" <b>số 1</b> & 'Q&A' ]]> -- <!-- xong",
    "Dòng một\nDòng hai\tcột\r",
    "&amp; đã thoát sẵn &#x1ED1;",
)


@pytest.mark.parametrize("text", NASTY)
def test_text_and_attribute_values_read_back_unchanged(text: str) -> None:
    writer = XmlWriter()
    writer.start("feed", {"xmlns": ATOM_NS, "title": text})
    writer.element("title", text)
    writer.end()
    root = etree.fromstring(writer.to_bytes())
    # XML parsers turn a bare carriage return in text into a line feed (XML 1.0 §2.11).
    assert root.findtext(f"{{{ATOM_NS}}}title") == text.replace("\r", "\n")
    assert root.get("title") == text


@pytest.mark.parametrize("fmt", ["atom", "rss"])
@pytest.mark.parametrize("text", NASTY)
def test_any_title_gives_a_well_formed_feed(fmt: str, text: str) -> None:
    entry = replace(ARTICLE, title=text, categories=(text,), summary=text)
    root = etree.fromstring(render(sample_page((entry,)), fmt))
    titles = root.xpath("//*[local-name()='entry' or local-name()='item']/*[local-name()='title']/text()")
    assert titles == [text.replace("\r", "\n")]


def _random_text(rng: random.Random) -> str:
    # Mostly Vietnamese letters and markup characters, with controls, surrogates and any code point mixed in.
    alphabet = "ạăằẳẵặâấầẩẫậđêềểễệôốồổỗộơớờởỡợưứừửữự <>&\"'\r\n\t]"
    picks = [
        rng.choice(alphabet) if rng.random() < 0.8 else chr(rng.randrange(0, 0x110000)) for _ in range(40)
    ]
    return "".join(picks)


def test_random_text_always_gives_well_formed_xml() -> None:
    rng = random.Random(224)
    for _ in range(300):
        text = _random_text(rng)
        writer = XmlWriter()
        writer.start("feed", {"title": text})
        writer.element("title", text)
        writer.end()
        root = etree.fromstring(writer.to_bytes())
        expected = clean(text)
        assert root.get("title") == expected
        assert (root.findtext("title") or "") == expected.replace("\r\n", "\n").replace("\r", "\n")


def test_empty_element_is_self_closing() -> None:
    writer = XmlWriter()
    writer.start("rss")
    writer.element("link", attrs={"href": "https://vinhlong.gov.vn"})
    writer.end()
    assert (
        writer.to_bytes()
        == b'<?xml version="1.0" encoding="utf-8"?>\n<rss>\n  <link href="https://vinhlong.gov.vn"/>\n</rss>\n'
    )


def test_unclosed_element_is_a_bug_not_a_feed() -> None:
    writer = XmlWriter()
    writer.start("feed")
    with pytest.raises(RuntimeError, match="unclosed"):
        writer.to_bytes()


@pytest.mark.parametrize(
    ("link", "permalink"), [(PROVINCE_ARTICLE.id, "true"), (PROVINCE_ARTICLE.link, "false")]
)
def test_rss_guid_is_a_permalink_only_when_it_is_the_link(link: str, permalink: str) -> None:
    entry = replace(PROVINCE_ARTICLE, link=link)
    root = etree.fromstring(render(sample_page((entry,)), "rss"))
    assert root.find("channel/item/guid").get("isPermaLink") == permalink
