"""Before parsing: size cap, DOCTYPE stripped or refused, format sniffed from the root element."""

from __future__ import annotations

import pytest

from connectors.base import ConnectorError
from connectors.feed.detect import FeedFormat, detect_format
from connectors.feed.safety import check_size, strip_doctype

URL = "https://snnmt.khanhhoa.gov.vn/rss/tin-tuc.rss"
RSS091 = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
    b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
    b'<rss version="0.91"><channel><title>Tin</title></channel></rss>'
)


def test_plain_doctype_is_stripped() -> None:
    stripped = strip_doctype(RSS091, URL)
    assert b"DOCTYPE" not in stripped
    assert stripped.endswith(b'\n\n<rss version="0.91"><channel><title>Tin</title></channel></rss>')


@pytest.mark.parametrize(
    "body",
    [
        b'<!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss>&b;</rss>',
        b'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss>&xxe;</rss>',
        b'<!DOCTYPE rss [<!ENTITY a "x"><rss>&a;</rss>',  # broken DOCTYPE, entity still declared
        b"<!--" + b" " * 100_000 + b'-->\n<!DOCTYPE rss [<!ENTITY a "x">]><rss>&a;</rss>',  # past any window
    ],
)
def test_entity_declarations_are_refused(body: bytes) -> None:
    with pytest.raises(ConnectorError) as caught:
        strip_doctype(body, URL)
    assert (caught.value.code, caught.value.url) == ("parse.unsafe_xml", URL)


def test_oversized_feed_is_refused_before_decoding() -> None:
    with pytest.raises(ConnectorError) as caught:
        check_size(b"<rss>" + b" " * 2048, URL, max_bytes=1024)
    assert caught.value.code == "parse.too_large"


@pytest.mark.parametrize(
    ("body", "fmt"),
    [
        (b'<?xml version="1.0"?>\n<!-- tin -->\n<rss version="2.0">', FeedFormat.RSS),
        (b'<rss version="0.91">', FeedFormat.RSS),
        (
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">',
            FeedFormat.RDF,
        ),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', FeedFormat.ATOM),
        (b'<feed version="0.3" xmlns="http://purl.org/atom/ns#">', FeedFormat.ATOM03),
    ],
)
def test_format_is_sniffed_from_the_root(body: bytes, fmt: FeedFormat) -> None:
    assert detect_format(body, URL) is fmt


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (b"<html lang='vi'><head><title>Tin</title></head></html>", "an HTML page"),
        (b"\n  <!-- ban quyen --><HTML><body>", "an HTML page"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "a JSON document"),
        (b"", "an empty body"),
        (b"Dich vu tam ngung", "text starting with"),
        (
            b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            "root element is <urlset>",
        ),
    ],
)
def test_anything_else_is_not_a_feed(body: bytes, found: str) -> None:
    with pytest.raises(ConnectorError, match=found) as caught:
        detect_format(body, URL)
    assert caught.value.code == "parse.not_a_feed"
