"""Decoding bytes: BOM, HTTP charset, XML declaration, <meta>, sniffing; windows-1258 comes out NFC."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from connectors.charset import EncodingSource, codec_name, decode_bytes, xml_to_utf8

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feed"
VIET = "Ủy ban nhân dân tỉnh Khánh Hòa, Việt Nam"
# "Việt Nam" as windows-1258 writes it: base letter ê (0xEA) followed by the combining dot below (0xF2).
CP1258_VIET_NAM = b"Vi\xea\xf2t Nam"


@pytest.mark.parametrize(
    ("body", "content_type", "encoding", "source"),
    [
        (codecs.BOM_UTF8 + VIET.encode(), "text/html; charset=windows-1258", "utf-8", EncodingSource.BOM),
        (codecs.BOM_UTF16_LE + VIET.encode("utf-16-le"), "", "utf-16-le", EncodingSource.BOM),
        (CP1258_VIET_NAM, "text/xml; charset=windows-1258", "cp1258", EncodingSource.HTTP),
        (
            b'<?xml version="1.0" encoding="windows-1258"?><a>' + CP1258_VIET_NAM + b"</a>",
            "",
            "cp1258",
            EncodingSource.XML,
        ),
        (
            b'<html><head><meta charset="windows-1258"></head>' + CP1258_VIET_NAM,
            "text/html",
            "cp1258",
            EncodingSource.META,
        ),
        (VIET.encode(), "", "utf-8", EncodingSource.UTF8),
        (VIET.encode(), "text/html; charset=iso-8859-1", "utf-8", EncodingSource.UTF8),
    ],
)
def test_encoding_is_decided_in_order(
    body: bytes, content_type: str, encoding: str, source: EncodingSource
) -> None:
    decoded = decode_bytes(body, content_type)
    assert (decoded.encoding, decoded.source) == (encoding, source)


def test_undeclared_windows_1258_is_sniffed() -> None:
    body = (FIXTURES / "windows1258.xml").read_bytes().split(b"?>", 1)[1]
    decoded = decode_bytes(body, "application/xml; charset=utf-8")  # a wrong label: not UTF-8 at all
    assert (decoded.encoding, decoded.source) == ("cp1258", EncodingSource.DETECTOR)
    assert "Khánh Hòa" in decoded.text


def test_windows_1258_is_returned_composed() -> None:
    decoded = decode_bytes(CP1258_VIET_NAM, "text/plain; charset=windows-1258")
    assert decoded.text == "Việt Nam"
    assert unicodedata.is_normalized("NFC", decoded.text)


def test_iso_8859_1_label_means_windows_1252() -> None:
    assert (
        decode_bytes(b"Caf\xe9 \x93Nha Trang\x94", "text/html; charset=ISO-8859-1").text == "Café “Nha Trang”"
    )


@pytest.mark.parametrize(
    ("label", "codec"), [("Windows-1258", "cp1258"), ("UTF8", "utf-8"), ("x-no-such", None)]
)
def test_codec_name_knows_portal_labels(label: str, codec: str | None) -> None:
    assert codec_name(label) == codec


def test_windows_1258_feed_is_rewritten_as_utf8() -> None:
    utf8, decoded = xml_to_utf8((FIXTURES / "windows1258.xml").read_bytes(), "application/rss+xml")
    assert decoded is not None
    assert decoded.encoding == "cp1258"
    assert utf8.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    titles = [el.text for el in etree.fromstring(utf8).iter("title")]
    assert "Việt Nam" in titles[1]
    assert titles[0] == "Sở Nông nghiệp và Môi trường tỉnh Khánh Hòa"
    assert "Khánh Hòa" in titles[1]
    assert all(unicodedata.is_normalized("NFC", t) for t in titles)


def test_utf8_feed_is_left_untouched() -> None:
    body = (FIXTURES / "rss20_gmt7.xml").read_bytes()
    assert xml_to_utf8(body, "application/rss+xml; charset=utf-8") == (body, None)


def test_utf8_bytes_declared_as_windows_1258_are_rewritten() -> None:
    body = f'<?xml version="1.0" encoding="windows-1258"?><title>{VIET}</title>'.encode()
    utf8, decoded = xml_to_utf8(body)
    assert decoded is not None
    assert decoded.source is EncodingSource.UTF8
    assert etree.fromstring(utf8).text == VIET
