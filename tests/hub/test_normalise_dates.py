"""The hub's date layer: every form portals write, naive means Asia/Ho_Chi_Minh, output aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hub.items import DatePrecision
from hub.pipeline.normalise.dates import parse_date, resolve_dates

DATETIME, DATE = DatePrecision.DATETIME, DatePrecision.DATE


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("raw", "when", "precision"),
    [
        # RFC 822 / 1123 with every zone spelling seen in Vietnamese feeds
        ("Mon, 04 May 2026 12:05:08 +0700", _utc(2026, 5, 4, 5, 5, 8), DATETIME),
        ("Mon, 04 May 2026 12:05:08 GMT", _utc(2026, 5, 4, 12, 5, 8), DATETIME),
        ("Mon, 04 May 2026 12:05:08 GMT+7", _utc(2026, 5, 4, 5, 5, 8), DATETIME),
        ("Mon, 04 May 2026 12:05:08 GMT+07:00", _utc(2026, 5, 4, 5, 5, 8), DATETIME),
        ("Mon, 04 May 2026 12:05:08 +07", _utc(2026, 5, 4, 5, 5, 8), DATETIME),
        ("Mon, 04 May 2026 12:05:08 ICT", _utc(2026, 5, 4, 5, 5, 8), DATETIME),
        ("Mon, 04 May 2026 12:05:08", _utc(2026, 5, 4, 5, 5, 8), DATETIME),
        ("Tue, 5 May 2026 09:00:00 -0500", _utc(2026, 5, 5, 14, 0), DATETIME),
        # ISO 8601 / RFC 3339
        ("2025-05-12T14:30:00+07:00", _utc(2025, 5, 12, 7, 30), DATETIME),
        ("2025-05-12T07:30:00Z", _utc(2025, 5, 12, 7, 30), DATETIME),
        ("2025-05-12 14:30", _utc(2025, 5, 12, 7, 30), DATETIME),
        ("2025-05-12", _utc(2025, 5, 11, 17, 0), DATE),
        # day-first Vietnamese forms
        ("12/05/2025 14:30", _utc(2025, 5, 12, 7, 30), DATETIME),
        ("12/05/2025", _utc(2025, 5, 11, 17, 0), DATE),
        ("13/7/2026", _utc(2026, 7, 12, 17, 0), DATE),
        ("1.1.2016", _utc(2015, 12, 31, 17, 0), DATE),
        ("Thứ Hai, 12/05/2025 - 14:30", _utc(2025, 5, 12, 7, 30), DATETIME),
        ("Thứ 5, 28/05/2026 17:00:00 GMT+7", _utc(2026, 5, 28, 10, 0), DATETIME),
        ("09:21 AM 12/08/2023", _utc(2023, 8, 12, 2, 21), DATETIME),
        ("09:21 PM 12/08/2023", _utc(2023, 8, 12, 14, 21), DATETIME),
        ("12:30 AM 01/01/2024", _utc(2023, 12, 31, 17, 30), DATETIME),
        ("ngày 07 tháng 4 năm 2011", _utc(2011, 4, 6, 17, 0), DATE),
        ("Hà Nội, ngày 07 tháng 4 năm 2011", _utc(2011, 4, 6, 17, 0), DATE),
        ("Chủ nhật, 04/05/2026", _utc(2026, 5, 3, 17, 0), DATE),
        ("Cập nhật lúc 08h15 ngày 20/11/2026", _utc(2026, 11, 20, 1, 15), DATETIME),
        ("2026-11-20 lúc 08:15", _utc(2026, 11, 20, 1, 15), DATETIME),
        ("2026/11/20", _utc(2026, 11, 19, 17, 0), DATE),
        ("May 4, 2026 10:00 am", _utc(2026, 5, 4, 3, 0), DATETIME),
        ("09:21 SA 12/08/2023", _utc(2023, 8, 12, 2, 21), DATETIME),
        ("09:21 CH 12/08/2023", _utc(2023, 8, 12, 14, 21), DATETIME),
    ],
)
def test_source_date_forms_parse_to_utc(raw: str, when: datetime, precision: DatePrecision) -> None:
    parsed = parse_date(raw)
    assert parsed is not None
    assert parsed.when == when
    assert parsed.when.tzinfo is UTC
    assert parsed.precision is precision


def test_day_first_date_is_twelfth_of_august_not_eighth_of_december() -> None:
    parsed = parse_date("12/08/2023")
    assert parsed is not None
    assert (parsed.when + timedelta(hours=7)).date().isoformat() == "2023-08-12"


def test_date_only_value_is_local_midnight() -> None:
    parsed = parse_date("13/7/2026")
    assert parsed is not None
    assert (parsed.when + timedelta(hours=7)).isoformat() == "2026-07-13T00:00:00+00:00"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "17-23/7",
        "Số 47 Ngày 25/7",
        "4-2016",
        "31/02/2025",
        "25:61 12/05/2025",
        "13:30 PM 12/08/2023",
        "hôm qua",
        None,
        True,
    ],
)
def test_values_that_name_no_full_date_give_none(raw: object) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "when"),
    [
        (datetime(2026, 5, 4, 12, 5), _utc(2026, 5, 4, 5, 5)),  # naive datetime: local time
        (datetime(2026, 5, 4, 5, 5, tzinfo=UTC), _utc(2026, 5, 4, 5, 5)),
        (1_777_871_100_000, _utc(2026, 5, 4, 5, 5)),  # epoch milliseconds (dichvucong API)
        (1_777_871_100, _utc(2026, 5, 4, 5, 5)),  # epoch seconds
    ],
)
def test_structured_dates_are_accepted(raw: object, when: datetime) -> None:
    parsed = parse_date(raw)
    assert parsed is not None
    assert parsed.when == when


NOW = _utc(2026, 5, 4, 5, 0)
FETCHED = _utc(2026, 5, 4, 4, 59)
TOLERANCE = timedelta(minutes=10)


def test_future_date_is_clamped_to_now_and_flagged() -> None:
    dates = resolve_dates(
        "Thứ 5, 28/05/2026 17:00:00 GMT+7", None, fetched_at=FETCHED, now=NOW, future_tolerance=TOLERANCE
    )
    assert dates.published == NOW
    assert dates.flags == ["date.future_clamped"]


def test_date_within_tolerance_is_kept() -> None:
    dates = resolve_dates("04/05/2026 12:05", None, fetched_at=FETCHED, now=NOW, future_tolerance=TOLERANCE)
    assert dates.published == _utc(2026, 5, 4, 5, 5)
    assert dates.flags == []


def test_future_updated_is_clamped_too() -> None:
    dates = resolve_dates(
        "04/05/2026 08:00", "2027-01-01T00:00:00Z", fetched_at=FETCHED, now=NOW, future_tolerance=TOLERANCE
    )
    assert dates.published == _utc(2026, 5, 4, 1, 0)
    assert dates.updated == NOW
    assert dates.flags == ["date.future_clamped"]


def test_missing_date_falls_back_to_fetch_time_and_is_flagged() -> None:
    dates = resolve_dates("", "không rõ", fetched_at=FETCHED, now=NOW, future_tolerance=TOLERANCE)
    assert dates.published == FETCHED
    assert dates.precision is DatePrecision.FETCHED
    assert dates.updated is None
    assert dates.flags == ["date.from_fetch"]


def test_updated_stands_in_for_a_missing_published() -> None:
    dates = resolve_dates(
        None, "2026-05-03T10:00:00+07:00", fetched_at=FETCHED, now=NOW, future_tolerance=TOLERANCE
    )
    assert dates.published == _utc(2026, 5, 3, 3, 0)
    assert dates.updated == dates.published
    assert dates.precision is DATETIME
    assert dates.flags == ["date.from_updated"]
