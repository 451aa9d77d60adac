"""Structured document and service fields travel in the `ph` namespace of Atom and RSS, parseable as XML."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from lxml import etree

from feeds import NS_URI, FeedEntry, render
from feeds.namespace import ATOM_NS
from tests.feeds.pages import ARTICLE, DECREE, SERVICE, sample_page

XML_FORMATS = ("atom", "rss")
PH = {"ph": NS_URI}


def _entries(fmt: str, entries: tuple[FeedEntry, ...]) -> list[etree._Element]:
    root = etree.fromstring(render(sample_page(entries), fmt))
    path = f"{{{ATOM_NS}}}entry" if fmt == "atom" else "channel/item"
    found: list[etree._Element] = root.findall(path)
    return found


def _text(element: etree._Element, local: str) -> list[str]:
    return [one.text for one in element.findall(f"ph:{local}", PH)]


@pytest.mark.parametrize("fmt", XML_FORMATS)
@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("abstract", ["Quy định chi tiết thi hành một số điều của Luật Chuyển đổi số"]),
        ("content_type", ["document"]),
        ("doc_type", ["Nghị định"]),
        ("effective_on", ["2026-07-01"]),
        ("issued_on", ["2026-06-24"]),
        ("issuer", ["Chính phủ"]),
        ("number", ["224/2026/NĐ-CP"]),
        ("source_id", ["congbao-van-ban-moi"]),
        ("validity_status", ["Còn hiệu lực"]),
    ],
)
def test_document_fields_are_namespaced_elements(fmt: str, local: str, expected: list[str]) -> None:
    (entry,) = _entries(fmt, (DECREE,))
    assert _text(entry, local) == expected


@pytest.mark.parametrize("fmt", XML_FORMATS)
@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("agency", ["Ủy ban nhân dân tỉnh và thành phố trực thuộc Trung ương"]),
        ("content_type", ["service"]),
        ("field", ["Điện lực"]),
        ("legal_basis", ["56/2025/NĐ-CP"]),
        ("level", ["Cấp Tỉnh"]),
        ("online_level", ["một phần"]),
        ("procedure_code", ["1.013395"]),
        ("processing_time", ["12 ngày làm việc"]),
    ],
)
def test_service_fields_are_namespaced_elements(fmt: str, local: str, expected: list[str]) -> None:
    (entry,) = _entries(fmt, (SERVICE,))
    assert _text(entry, local) == expected


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_mapping_values_become_attributes(fmt: str) -> None:
    document, service = _entries(fmt, (DECREE, SERVICE))
    attachment = document.find("ph:attachment", PH)
    assert dict(attachment.attrib) == DECREE.fields["attachments"][0]
    assert dict(document.find("ph:signer", PH).attrib) == {"title": "TM. Chính phủ"}
    fee = service.find("ph:fee", PH)
    assert dict(fee.attrib) == {"amount": "0", "currency": "VND", "description": "Không thu phí"}


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_joint_document_repeats_the_issuer(fmt: str) -> None:
    joint = replace(DECREE, fields={**DECREE.fields, "issuer": ["Bộ Tài chính", "Bộ Công Thương"]})
    (entry,) = _entries(fmt, (joint,))
    assert _text(entry, "issuer") == ["Bộ Tài chính", "Bộ Công Thương"]


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_republications_carry_portal_agency_and_time(fmt: str) -> None:
    (entry,) = _entries(fmt, (ARTICLE,))
    got = [dict(one.attrib) for one in entry.findall("ph:republication", PH)]
    assert got[0] == {
        "agency": "Văn phòng Chính phủ",
        "portal": "Báo Điện tử Chính phủ",
        "published": "2026-07-13T10:12:00+07:00",
        "source_id": "baochinhphu-home",
        "url": "https://baochinhphu.vn/chu-dong-ung-pho-thien-tai-102260713.htm",
    }
    assert [one["source_id"] for one in got] == [one.source_id for one in ARTICLE.republications]


@pytest.mark.parametrize("fmt", XML_FORMATS)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, "true"),
        (12, "12"),
        (date(2026, 7, 1), "2026-07-01"),
        (datetime(2026, 6, 30, 17, 0, tzinfo=UTC), "2026-07-01T00:00:00+07:00"),
        (unicodedata.normalize("NFD", "Nghị\x07 định"), "Nghị định"),
    ],
)
def test_scalar_values_are_written_as_text(fmt: str, value: object, expected: str) -> None:
    (entry,) = _entries(fmt, (replace(DECREE, fields={"number": value}),))
    assert _text(entry, "number") == [expected]


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_fields_outside_the_vocabulary_and_empty_values_are_left_out(fmt: str) -> None:
    fields = {"number": "", "scope": "Toàn quốc", "issuer": None, "signer": [{"nested": {"a": 1}}]}
    (entry,) = _entries(fmt, (replace(DECREE, fields=fields),))
    names = {etree.QName(child).localname for child in entry if etree.QName(child).namespace == NS_URI}
    assert names == {"content_type", "source_id"}
