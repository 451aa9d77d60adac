"""Service fields: dichvucong API values (flags, methods, fees, linked objects) -> procedure fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any

import pytest

from connectors.base import RawRecord
from hub.pipeline.normalise import normalise_record
from hub.pipeline.normalise.services import (
    fee_list,
    legal_basis_numbers,
    level_list,
    online_level,
    processing_time,
)

SOURCE_URL = "https://dichvucong.gov.vn/api/v1/formality/list-all-public-formality.json"
NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
LISTING = "portals/dichvucong/site/api/v1/formality/list-all-public-formality.json"


def _procedure(code: str) -> dict[str, Any]:
    listing = json.loads(files("hub.demo").joinpath(LISTING).read_text(encoding="utf-8"))
    return next(one for one in listing["data"]["items"] if one["code"] == code)


def _mapped(one: dict[str, Any]) -> dict[str, Any]:
    """The values the demo source's field mapping takes from one API record."""
    return {
        "title": one["name"],
        "summary": one["description"],
        "published": one["procedureProposal"]["publicationDate"],
        "updated": one["updatedAt"],
        "topics": [category["name"] for category in one["categoriesDetails"]],
        "procedure_code": one["code"],
        "field": [category["name"] for category in one["categoriesDetails"]],
        "agency": [agency["name"] for agency in one["departmentsExecuting"]],
        "level_ministry": one["isMinistry"],
        "level_province": one["isProvince"],
        "level_commune": one["isWard"],
        "online_level": one["isFullProcess"],
        "processing_time": one["executionMethods"],
        "fees": [fee for method in one["executionMethods"] for fee in method["fees"]],
        "legal_basis": one["legalBasisesDetails"],
        "decision": one["procedureProposal"],
    }


def _extra(**fields: Any) -> dict[str, Any]:
    record = RawRecord(
        source_id="dichvucong-thu-tuc",
        content_type="service",
        url="/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.013395",
        guid=str(fields.get("procedure_code")),
        fields=fields,
        fetched_at=NOW,
    )
    return normalise_record(record, source_url=SOURCE_URL, now=NOW).extra


def test_real_api_record_gives_the_service_fields() -> None:
    assert _extra(**_mapped(_procedure("1.013395"))) == {
        "procedure_code": "1.013395",
        "field": "Điện lực",
        "agency": "Ủy ban nhân dân tỉnh và thành phố trực thuộc Trung ương",
        "level": "Cấp Tỉnh",
        "online_level": "một phần",
        "processing_time": "12 ngày làm việc",
        "fees": [{"amount": 0, "currency": "VND", "description": "Không thu phí"}],
        "legal_basis": ["56/2025/NĐ-CP"],
        "legal_basis_keys": ["56/2025/NĐ-CP"],
        # decisionDate 1740960000000 is UTC midnight: still 3 March in Hà Nội
        "decision": {"date": "2025-03-03", "number": "609/QĐ-BCT", "number_key": "609/QĐ-BCT"},
    }


def test_ministry_procedure_decided_at_hanoi_midnight() -> None:
    extra = _extra(**_mapped(_procedure("1.010382")))
    assert (extra["level"], extra["agency"]) == ("Cấp Bộ", "Cục quản lý xuất nhập cảnh")
    assert extra["decision"]["date"] == "2026-07-01"  # 1782838800000 = 2026-06-30T17:00Z
    assert extra["legal_basis"] == ["23/2023/QH15", "49/2019/QH14", "31/2023/TT-BCA"]
    assert "fees" not in extra


def test_procedure_at_two_levels_with_two_agencies_keeps_both() -> None:
    extra = _extra(**_mapped(_procedure("1.012763")))
    assert extra["level"] == ["Cấp Tỉnh", "Cấp Xã"]
    assert extra["agency"] == ["Văn phòng đăng ký đất đai", "Ủy ban nhân dân cấp xã"]
    assert extra["processing_time"] == "17 ngày làm việc (trực tuyến); 20 ngày làm việc (trực tiếp)"


def test_legal_basis_keys_link_to_documents_whatever_the_spelling() -> None:
    extra = _extra(**_mapped(_procedure("1.001021")))
    assert extra["legal_basis"] == ["60/2014/QH13", "52/2014/QH13", "123/2015/NĐ-CP"]
    assert _extra(**_mapped(_procedure("1.004227")))["legal_basis_keys"] == [
        "60/2014/QH13",
        "123/2015/NĐ-CP",  # written "123/2015/ND-CP"
        "318/2026/NĐ-CP",  # a decree of the congbao sample portal
    ]


def test_item_dates_come_from_epoch_milliseconds() -> None:
    record = RawRecord(
        source_id="dichvucong-thu-tuc",
        content_type="service",
        url="/p/1.013395",
        guid="1.013395",
        fields=_mapped(_procedure("1.013395")),
        fetched_at=NOW,
    )
    item = normalise_record(record, source_url=SOURCE_URL, now=NOW)
    assert item.published == datetime(2026, 4, 16, 6, 47, 35, 432000, tzinfo=UTC)
    assert item.topics == ["Điện lực"]


def test_changed_fee_changes_the_content_hash() -> None:
    fields = _mapped(_procedure("1.013401"))
    record = RawRecord("dichvucong-thu-tuc", "service", "/p/1.013401", "1.013401", fields, NOW)
    raised = RawRecord(
        "dichvucong-thu-tuc",
        "service",
        "/p/1.013401",
        "1.013401",
        {**fields, "fees": [{"type": "FEE", "value": 900000, "currencyId": "", "description": ""}]},
        NOW,
    )
    first, second = (normalise_record(one, source_url=SOURCE_URL, now=NOW) for one in (record, raised))
    assert first.content_hash != second.content_hash


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (True, "toàn trình"),
        (False, "một phần"),
        (4, "toàn trình"),
        ("3", "một phần"),
        ("Mức độ 4", "toàn trình"),
        ("Dịch vụ công trực tuyến toàn trình", "toàn trình"),
        ("Một phần", "một phần"),
        (2, None),  # the old level 2 (download forms) is not an online service
        (None, None),
    ],
)
def test_online_level(value: object, level: str | None) -> None:
    assert online_level(value) == level


@pytest.mark.parametrize(
    ("raw", "levels"),
    [
        ({"level_ministry": True, "level_province": False, "level_commune": True}, ["Cấp Bộ", "Cấp Xã"]),
        ({"level": "Cấp tỉnh"}, ["Cấp Tỉnh"]),
        ({"level": ["Xã", "cấp huyện"]}, ["Cấp Xã", "Cấp Huyện"]),
        ({"level_province": "true"}, []),  # only a real boolean is a flag
    ],
)
def test_levels_from_flags_or_text(raw: dict[str, Any], levels: list[str]) -> None:
    assert level_list(raw) == levels


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (
            [{"submissionMethod": "ONLINE", "processingTime": 3, "processingTimeUnit": "WORKING_DAY"}],
            "3 ngày làm việc",
        ),
        ({"qty": 15, "type": "DAY"}, "15 ngày"),
        ({"processingTime": 0.5, "processingTimeUnit": "DAY"}, "0.5 ngày"),
        ("Trong ngày làm việc", "Trong ngày làm việc"),
        (None, ""),
    ],
)
def test_processing_time_text(value: object, text: str) -> None:
    assert processing_time(value) == text


def test_fees_repeated_per_method_are_listed_once() -> None:
    fee = {"type": "FEE", "value": 100000.0, "currencyId": "", "description": "Lệ phí cấp Giấy chứng nhận"}
    assert fee_list([fee, dict(fee), {"value": 50000, "currency": "VND"}]) == [
        {"amount": 100000, "currency": "VND", "description": "Lệ phí cấp Giấy chứng nhận"},
        {"amount": 50000, "currency": "VND"},
    ]
    assert fee_list("Không") == "Không"


@pytest.mark.parametrize(
    ("value", "numbers"),
    [
        ([{"code": "56/2025/NĐ-CP", "name": "Hướng dẫn Luật Điện lực"}], ["56/2025/NĐ-CP"]),
        (["Thông tư số 31/2023/TT-BCA ngày 20/7/2023 của Bộ Công an"], ["31/2023/TT-BCA"]),
        ([{"code": "", "name": "Luật 49/2019/QH14"}], ["49/2019/QH14"]),
        ("60/2014/QH13", ["60/2014/QH13"]),
        ([{"code": "89/2015/NÐ-CP"}, {"code": "89/2015/NĐ-CP"}], ["89/2015/NĐ-CP"]),
    ],
)
def test_legal_basis_numbers(value: object, numbers: list[str]) -> None:
    assert legal_basis_numbers(value) == numbers
