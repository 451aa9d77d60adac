"""Text is NFC and XML-safe; times are RFC 3339 / RFC 822 in +07:00; naive times are refused."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from feeds import RenderError
from feeds.values import clean, rfc822, rfc3339, scalar_text

MIDNIGHT_HANOI_IN_UTC = datetime(2026, 7, 12, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (unicodedata.normalize("NFD", "Nghị định"), "Nghị định"),
        ("Thông\x00 báo\x1f", "Thông báo"),
        ("dòng 1\ndòng 2\tcột", "dòng 1\ndòng 2\tcột"),
        ("\ud800Hà Nội\ufffe\uffff", "Hà Nội"),
    ],
)
def test_text_is_nfc_without_xml_forbidden_characters(text: str, expected: str) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (MIDNIGHT_HANOI_IN_UTC, "2026-07-13T00:00:00+07:00"),
        (
            datetime(2026, 7, 13, 8, 30, 15, 999_999, tzinfo=timezone(timedelta(hours=7))),
            "2026-07-13T08:30:15+07:00",
        ),
        (datetime(2026, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=-5))), "2026-01-01T12:00:00+07:00"),
    ],
)
def test_rfc3339_is_local_time(moment: datetime, expected: str) -> None:
    assert rfc3339(moment) == expected


def test_rfc822_uses_numeric_offset_never_gmt_plus_7() -> None:
    assert rfc822(MIDNIGHT_HANOI_IN_UTC) == "Mon, 13 Jul 2026 00:00:00 +0700"


@pytest.mark.parametrize("render_time", [rfc3339, rfc822])
def test_naive_time_is_a_render_error(render_time: object) -> None:
    with pytest.raises(RenderError) as caught:
        render_time(datetime(2026, 7, 13, 8, 30))  # type: ignore[operator]
    assert caught.value.code == "render.naive_datetime"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (False, "false"),
        (date(2026, 7, 1), "2026-07-01"),
        (1.5, "1.5"),
        (MIDNIGHT_HANOI_IN_UTC, "2026-07-13T00:00:00+07:00"),
    ],
)
def test_scalar_text(value: object, expected: str) -> None:
    assert scalar_text(value) == expected
