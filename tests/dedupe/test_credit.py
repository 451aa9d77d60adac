"""Credit lines at the start or end of a body: found, taken out, resolved to a known source."""

from __future__ import annotations

import unicodedata

import pytest

from dedupe.credit import Credit, find_credit, resolve_credit, strip_credit

LEAD = "Sáng 12/5, tại Hà Nội, Bộ trưởng Đỗ Đức Duy chủ trì hội nghị giao ban tháng 5."
CLOSE = "Bộ trưởng đề nghị các đơn vị tập trung tháo gỡ vướng mắc, đẩy nhanh tiến độ."
KNOWN = {
    "monre.gov.vn": "monre",
    "BTNMT": "monre",
    "Bộ Tài nguyên và Môi trường": "monre",
    "baochinhphu.vn": "baochinhphu",
    "chinhphu.vn": "chinhphu",
    "TTXVN": "ttxvn",
}


@pytest.mark.parametrize(
    ("body", "line", "name", "position"),
    [
        ([LEAD, CLOSE, "Nguồn: monre.gov.vn"], "Nguồn: monre.gov.vn", "monre.gov.vn", "end"),
        (
            [LEAD, CLOSE, "Nguồn tin: Theo cổng TTĐT BTNMT"],
            "Nguồn tin: Theo cổng TTĐT BTNMT",
            "cổng TTĐT BTNMT",
            "end",
        ),
        ([LEAD, CLOSE, "(Theo baochinhphu.vn)"], "(Theo baochinhphu.vn)", "baochinhphu.vn", "end"),
        ([LEAD, f"{CLOSE} (Theo baochinhphu.vn)"], "(Theo baochinhphu.vn)", "baochinhphu.vn", "end"),
        (
            [LEAD, CLOSE, "Theo Cổng TTĐT tỉnh Khánh Hòa"],
            "Theo Cổng TTĐT tỉnh Khánh Hòa",
            "Cổng TTĐT tỉnh Khánh Hòa",
            "end",
        ),
        (
            [LEAD, CLOSE, "(Nguồn: Cổng TTĐT Bộ Y tế)"],
            "(Nguồn: Cổng TTĐT Bộ Y tế)",
            "Cổng TTĐT Bộ Y tế",
            "end",
        ),
        ([LEAD, CLOSE, "(Theo TTXVN)"], "(Theo TTXVN)", "TTXVN", "end"),
        (["(Theo baochinhphu.vn)", LEAD, CLOSE], "(Theo baochinhphu.vn)", "baochinhphu.vn", "start"),
        ([f"(Chinhphu.vn) - {LEAD}", CLOSE], "(Chinhphu.vn) -", "Chinhphu.vn", "start"),
        (f"{LEAD}\n{CLOSE}\nNguồn: monre.gov.vn\n", "Nguồn: monre.gov.vn", "monre.gov.vn", "end"),
    ],
)
def test_credit_is_found(body: list[str] | str, line: str, name: str, position: str) -> None:
    assert find_credit(body) == Credit(line=line, name_or_host=name, position=position)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "last",
    [
        "Theo báo cáo của Sở Tài chính, tổng thu ngân sách 5 tháng đạt 1.500 tỷ đồng, tăng 12,5%.",
        "Theo kế hoạch, hội nghị tiếp theo được tổ chức vào đầu tháng 6",
        "Nguồn vốn thực hiện từ ngân sách tỉnh.",
        CLOSE,
    ],
)
def test_prose_is_no_credit(last: str) -> None:
    assert find_credit([LEAD, last]) is None


def test_no_credit_in_empty_body() -> None:
    assert find_credit("") is None
    assert strip_credit([]) == ([], None)


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ([LEAD, CLOSE, "Nguồn: monre.gov.vn"], [LEAD, CLOSE]),
        ([LEAD, f"{CLOSE} (Theo baochinhphu.vn)"], [LEAD, CLOSE]),
        ([f"(Chinhphu.vn) - {LEAD}", CLOSE], [LEAD, CLOSE]),
        ([LEAD, CLOSE], [LEAD, CLOSE]),
        ([unicodedata.normalize("NFD", LEAD), "Nguồn:  monre.gov.vn "], [LEAD]),
    ],
)
def test_strip_credit_takes_the_credit_out(body: list[str], kept: list[str]) -> None:
    assert strip_credit(body)[0] == kept


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("monre.gov.vn", "monre"),
        ("www.monre.gov.vn", "monre"),
        ("baotintuc.monre.gov.vn", "monre"),  # a subdomain credits its parent portal
        ("baochinhphu.vn", "baochinhphu"),
        ("Chinhphu.vn", "chinhphu"),
        ("cổng TTĐT BTNMT", "monre"),
        ("Cổng thông tin điện tử Bộ Tài nguyên và Môi trường", "monre"),
        ("TTXVN", "ttxvn"),
        ("Cổng TTĐT tỉnh Khánh Hòa", None),
        ("gov.vn", None),
    ],
)
def test_credit_resolves_by_host_or_name(name: str, expected: str | None) -> None:
    assert resolve_credit(Credit(f"Nguồn: {name}", name, "end"), KNOWN) == expected
