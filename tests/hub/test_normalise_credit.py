"""The credit step on a tree the caller already parsed: the same result as parsing the body itself."""

from __future__ import annotations

import pytest

from hub.pipeline.normalise.credit import take_credit
from hub.pipeline.normalise.html import html_to_text, parse_fragment, read_body

ARTICLE = "https://mae.gov.vn/tin-tuc/1.html"


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Nội dung bài.</p><p>Nguồn: mae.gov.vn</p>",
        "<p>NGUỒN: MOH.GOV.VN</p><p>Nội dung bài.</p>",
        "<p>Nội dung bài.</p><p>Phóng viên <em>(Theo TTXVN)</em></p>",
        "<p>Nội dung bài.</p><p><strong>Nguồn</strong>: Báo Nhân Dân</p>",
        "<p>(baochinhphu.vn) - Sáng nay, Thủ tướng chủ trì.</p><p>Đoạn hai.</p>",
        "<p>Nội dung bài. Theo baochinhphu.vn</p>",
        "<p>Nội dung bài không có nguồn.</p>",
        "",
    ],
)
@pytest.mark.parametrize("summary", ["", "Tóm tắt. (Theo TTXVN)", "Nguồn: mae.gov.vn. Tóm tắt bài viết."])
def test_credit_taken_from_the_callers_tree_is_the_credit_taken_after_parsing(
    markup: str, summary: str
) -> None:
    body = read_body(markup, base_url=ARTICLE)
    parsed = take_credit(body.html, body.text, summary)
    shared = take_credit(body.html, body.text, summary, tree=body.tree)
    assert (shared.body_html, shared.body_text, shared.summary, shared.line) == (
        parsed.body_html,
        parsed.body_text,
        parsed.summary,
        parsed.line,
    )


def test_an_edited_tree_is_not_handed_on() -> None:
    body_html = "<p>Nội dung bài.</p><p>Nguồn: mae.gov.vn</p>"
    tree = parse_fragment(body_html)
    taken = take_credit(body_html, html_to_text(body_html), "", tree=tree)
    assert taken.line == "Nguồn: mae.gov.vn"
    assert taken.body_html == "<p>Nội dung bài.</p>"
    assert taken.tree is None  # what is left was serialised from an edited tree, not parsed


def test_an_untouched_tree_is_handed_on() -> None:
    body_html = "<p>Nội dung bài không có nguồn.</p>"
    tree = parse_fragment(body_html)
    assert take_credit(body_html, html_to_text(body_html), "", tree=tree).tree is tree
