"""Facts and their slots: values normalised, contexts folded, contradictions told from omissions."""

from __future__ import annotations

import pytest

from dedupe.facts import DATE, DOCUMENT_NUMBER, NAME, NUMBER, extract_facts

ALL = frozenset({DATE, DOCUMENT_NUMBER, NAME, NUMBER})


def _values(text: str, kind: str) -> set[str]:
    facts = extract_facts(text, 2)
    return {value for slot, values in facts.slots.items() if slot[0] == kind for value in values}


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Sáng 12/5, tại Hà Nội, hội nghị khai mạc long trọng.", DATE, {"12/5"}),
        ("Chiều 12/05/2026 tại Hà Nội, hội nghị khai mạc long trọng.", DATE, {"12/5"}),
        ("Văn bản ký ngày 7 tháng 4 năm 2011 tại Hà Nội có hiệu lực.", DATE, {"7/4"}),
        ("Lượng mưa phổ biến 95-22 mm trên toàn tỉnh hôm nay.", DATE, set()),
        ("Tổng kinh phí 1.500 tỷ đồng, tăng 38,5% so với cùng kỳ.", NUMBER, {"1500", "38,5%"}),
        (
            "Thực hiện Nghị định 43/2011/NĐ-CP và Quyết định 1182/QĐ-UBND của tỉnh.",
            DOCUMENT_NUMBER,
            {"43/2011/ND-CP", "1182/QD-UBND"},
        ),
        (
            "Bộ trưởng Đỗ Đức Duy làm việc với UBND tỉnh Khánh Hoà chiều nay.",
            NAME,
            {"do duc duy", "khanh hoa"},
        ),
        ("Hội nghị diễn ra tại trụ sở bộ vào buổi sáng hôm nay.", NAME, set()),
    ],
)
def test_facts_are_found_and_normalised(text: str, kind: str, expected: set[str]) -> None:
    assert _values(text, kind) == expected


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("Sáng 12/5, tại Hà Nội, Bộ trưởng chủ trì.", "Sáng 14/6, tại Hà Nội, Bộ trưởng chủ trì.", True),
        ("Sáng 12/5, tại Hà Nội, Bộ trưởng chủ trì.", "Sáng 12/5, tại Hà Nội, Bộ trưởng chủ trì.", False),
        ("UBND tỉnh Khánh Hòa ban hành kế hoạch.", "UBND tỉnh Ninh Bình ban hành kế hoạch.", True),
        ("UBND tỉnh Khánh Hòa ban hành kế hoạch.", "UBND tỉnh Khánh Hoà ban hành kế hoạch.", False),
        # One side says more (a truncated copy, a caption): a subset is no contradiction.
        ("đạt 1.500 tỷ đồng và 200 tỷ đồng vốn khác", "đạt 1.500 tỷ đồng", False),
        ("đạt 1.500 tỷ đồng và 200 tỷ đồng vốn khác", "đạt 1.800 tỷ đồng", True),
        # Facts in different slots never meet.
        ("Hội nghị khai mạc sáng 12/5 tại trụ sở.", "Đoàn công tác làm việc với 30 doanh nghiệp.", False),
    ],
)
def test_conflicts_need_the_same_slot_with_incomparable_values(a: str, b: str, conflict: bool) -> None:
    found = extract_facts(a, 2).conflicts(extract_facts(b, 2), ALL)
    assert bool(found) is conflict, found


def test_conflicts_only_of_the_kinds_asked_for() -> None:
    a, b = extract_facts("Sáng 12/5, tại Hà Nội, họp.", 2), extract_facts("Sáng 14/6, tại Hà Nội, họp.", 2)
    assert a.conflicts(b, frozenset({NUMBER, NAME})) == []


def test_context_stops_at_paragraph_ends() -> None:
    facts = extract_facts("Khai mạc hội nghị tại tỉnh Khánh Hòa\nQuang cảnh hội nghị hôm nay", 2)
    assert all(slot[2] != "quang canh" for slot in facts.slots)


def test_a_text_has_the_facts_of_its_paragraphs_whatever_was_read_before() -> None:
    # Paragraph facts are kept per process: a paragraph met again, in another text or with another
    # context width, must give what it gives the first time.
    first, second = "Sáng 12/5, tại Hà Nội, họp về 1.500 tỷ đồng.", "Chiều 14/6, ông Đỗ Đức Duy dự họp."
    alone = {text: dict(extract_facts(text, 2).slots) for text in (first, second)}
    together = extract_facts(f"{first}\n{second}", 2).slots
    assert together == {
        slot: alone[first].get(slot, frozenset()) | alone[second].get(slot, frozenset())
        for slot in alone[first].keys() | alone[second].keys()
    }
    assert extract_facts(first, 3).slots != alone[first]
    assert extract_facts(first, 2).slots == alone[first]
