"""The identity ladder (one test per rung) and the content hash."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from hub.items import DatePrecision, IdentityRule
from hub.pipeline.normalise.identity import content_hash, item_identity

TITLE = "Khánh Hòa triển khai công tác phòng chống thiên tai năm 2026"
BODY = "Sáng 12/5, UBND tỉnh Khánh Hòa tổ chức hội nghị triển khai công tác phòng chống thiên tai."
URL = "https://khanhhoa.gov.vn/tin-tuc/pctt-2026-12345.html"


def test_rung_one_guid_names_the_item() -> None:
    identity = item_identity(
        guid=" tag:khanhhoa.gov.vn,2026:12345 ", guid_reused=False, url=URL, title=TITLE, body_text=BODY
    )
    assert identity == ("tag:khanhhoa.gov.vn,2026:12345", IdentityRule.GUID)


def test_rung_two_canonical_url_when_guid_is_missing_or_reused() -> None:
    assert item_identity(guid=None, guid_reused=False, url=URL, title=TITLE, body_text=BODY) == (
        URL,
        IdentityRule.URL,
    )
    assert item_identity(guid="1", guid_reused=True, url=URL, title=TITLE, body_text=BODY) == (
        URL,
        IdentityRule.URL,
    )
    assert (
        item_identity(guid="  ", guid_reused=False, url=URL, title=TITLE, body_text=BODY)[1]
        is IdentityRule.URL
    )


def test_rung_three_content_hash_when_there_is_neither() -> None:
    identity, rule = item_identity(guid=None, guid_reused=False, url=None, title=TITLE, body_text=BODY)
    assert rule is IdentityRule.CONTENT_HASH
    expected = json.dumps([TITLE, BODY], ensure_ascii=False, separators=(",", ":"))
    assert identity == hashlib.sha256(expected.encode("utf-8")).hexdigest()
    other, _ = item_identity(
        guid=None, guid_reused=False, url=None, title=TITLE, body_text=BODY + " Bổ sung."
    )
    assert other != identity


def _hash(**changes: object) -> str:
    fields: dict[str, object] = {
        "title": TITLE,
        "summary": "Tóm tắt",
        "body_text": BODY,
        "published": datetime(2026, 5, 12, 1, 30, tzinfo=UTC),
        "precision": DatePrecision.DATETIME,
        "author": "Minh Anh",
        "topics": ["Thời sự", "Thiên tai"],
        "image_url": "https://khanhhoa.gov.vn/uploads/a.jpg",
    }
    return content_hash(**{**fields, **changes})  # type: ignore[arg-type]


def test_content_hash_is_stable_and_sees_every_field() -> None:
    assert _hash() == _hash()
    for change in (
        {"title": TITLE + "!"},
        {"summary": "Tóm tắt mới"},
        {"body_text": BODY + "."},
        {"published": datetime(2026, 5, 12, 1, 31, tzinfo=UTC)},
        {"author": None},
        {"topics": ["Thiên tai", "Thời sự"]},
        {"image_url": None},
    ):
        assert _hash(**change) != _hash(), change


def test_content_hash_ignores_a_harvest_time_date() -> None:
    first = _hash(published=datetime(2026, 5, 12, 1, 0, tzinfo=UTC), precision=DatePrecision.FETCHED)
    later = _hash(published=datetime(2026, 5, 12, 2, 0, tzinfo=UTC), precision=DatePrecision.FETCHED)
    assert first == later
