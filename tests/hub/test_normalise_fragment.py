"""Fragments read for their text: the plain-text short cut gives what the parse gives; whitespace flow."""

from __future__ import annotations

import unicodedata

import lxml.etree
import pytest

from hub.pipeline.normalise import fragment
from hub.pipeline.normalise.fragment import html_to_text, parse_fragment, read_fragment, tree_text
from hub.pipeline.normalise.text import clean_block

SENTENCE = "Nghị định số 43/2026/NĐ-CP về Khánh Hoà"
PLAIN_TEXTS = [
    SENTENCE,
    unicodedata.normalize("NFD", SENTENCE),
    b"Vi\xea\xf2t Nam - C\xf4ng v\xe3n s\xf4\xec 12".decode("cp1258"),  # tones as combining marks
    "C«ng v¨n sè 12 cña UBND tØnh",  # TCVN3 read as cp1252
    "Nghá»‹ Ä‘á»‹nh sá»‘ 43",  # UTF-8 read as cp1252
    SENTENCE.encode("utf-8").decode("cp1252", "replace").encode("utf-8").decode("cp1252", "replace"),
    "  Tin\u200b tức\ufeff \n mới\t ",
    "Hà\u00a0Nội\u2009–\u202fHải  Phòng\u2028Đà Nẵng\u3000Huế",
    "89/2015/NÐ-CP ©2026 «Hà Nội» “trích dẫn” … 😀",
    "a ]]> b --> c ?> d",
    "   ",
    "\u2003",
    "",
]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_plain_text_short_cut_gives_what_the_parse_gives(text: str) -> None:
    assert read_fragment(text) == (tree_text(parse_fragment(text)), None)


@pytest.mark.parametrize(
    "markup",
    ["<b>Tin</b> tức", "Bộ NN&amp;MT", "<img src='/a.jpg'>Ảnh", "Dòng một<br>Dòng&nbsp;hai", "<!-- x -->y"],
)
def test_markup_and_entities_are_parsed(markup: str) -> None:
    assert html_to_text(markup) == tree_text(parse_fragment(markup))


def test_plain_text_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(markup: str) -> None:
        raise AssertionError(f"parsed {markup!r}")

    monkeypatch.setattr(fragment, "parse_fragment", refuse)
    assert read_fragment("UBND tỉnh tổ chức hội nghị.") == ("UBND tỉnh tổ chức hội nghị.", None)


def test_one_read_gives_text_and_first_image() -> None:
    summary = '<a href="/tin/1.html"><img src="/uploads/thumb.jpg"></a> Tóm tắt <img src="/b.jpg">'
    assert read_fragment(summary) == ("Tóm tắt", "/uploads/thumb.jpg")
    assert read_fragment('<img src="">Không có ảnh') == ("Không có ảnh", None)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>a<b> x </b>y</p>", "a x y"),
        ("<p>  một\n\t hai  </p> <p> ba </p>", "một hai\n\nba"),
        ("<p>a</p>\n\n<p>b</p>", "a\n\nb"),
        ("Dòng\u00a0một   hai", "Dòng một hai"),
        ("<td>a</td><td>b</td>", "a b"),
    ],
)
def test_source_whitespace_flows_into_single_spaces(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


@pytest.mark.parametrize(
    ("text", "block"),
    [
        ("  a  \n  b  ", "a\nb"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("a\u2028b\u2029c\x85d", "a\nb\nc\nd"),
        ("a\n\n\n\nb", "a\n\nb"),
        ("a \u00a0 b", "a b"),
        ("\tx\t\ty", "x y"),
        (" \n \n x \n \n \n y \n ", "x\n\ny"),
        ("a\u200b\u00adb", "ab"),
        ("", ""),
    ],
)
def test_clean_block_cases(text: str, block: str) -> None:
    assert clean_block(text) == block


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Tóm tắt<!-- x --> bài viết</p>", "Tóm tắt bài viết"),
        ("Tóm tắt<!-- x --> bài viết", "Tóm tắt bài viết"),
        ("<b>Khánh Hòa</b>:<!-- tiêu đề --> Hội nghị thủy lợi", "Khánh Hòa: Hội nghị thủy lợi"),
        # Word's conditional comments, as pasted into portal editors
        (
            "<p>Sáng 12/5,<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]--> UBND"
            " tỉnh họp</p>",
            "Sáng 12/5, UBND tỉnh họp",
        ),
        ("<p>Tóm tắt<?php echo $mo_ta; ?> bài viết</p>", "Tóm tắt bài viết"),
        ("<p>Đoạn một</p><!-- hết đoạn -->Đoạn hai", "Đoạn một\n\nĐoạn hai"),
        ("<pre>Điều 1<!-- x -->\nKhoản 2</pre>", "Điều 1\nKhoản 2"),
    ],
)
def test_text_after_a_comment_is_kept(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


def test_text_after_a_processing_instruction_is_kept() -> None:
    # libxml2 2.14 reads "<?php ...?>" in HTML as a comment, older ones as a processing instruction
    body = parse_fragment("<p>Tóm tắt</p>")
    assert body is not None
    instruction = lxml.etree.ProcessingInstruction("php", "echo $mo_ta;")
    instruction.tail = " bài viết"
    body[0].append(instruction)
    assert tree_text(body) == "Tóm tắt bài viết"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        (
            "<p>Chi tiết tại Phụ lục, trang\x0c2 của báo cáo.</p>",
            "Chi tiết tại Phụ lục, trang 2 của báo cáo.",
        ),
        ("Mục lục\x0bTrang 2", "Mục lục Trang 2"),  # plain text: the short cut leaves it to the parse
        ("<p>Quyết định\x07 số 12\x1b ngày 5/5</p>", "Quyết định số 12 ngày 5/5"),
        ("<p>Quyết định&#12;số 12 &#1;ngày 5/5&#x7f;</p>", "Quyết định số 12 ngày 5/5"),
        ("<p>Ký tự&#xFFFE; lạ</p>", "Ký tự lạ"),
        ("<p>Tóm tắt<!-- ghi\x01chú --> bài viết</p>", "Tóm tắt bài viết"),
    ],
)
def test_control_characters_in_a_fragment_are_removed(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


def test_control_characters_in_alt_and_title_are_removed() -> None:
    body = parse_fragment('<img src="/a.jpg" alt="Tiêm chủng\x0ctại Trạm y tế" title="Bộ&#1; Y tế">')
    assert body is not None
    image = next(body.iter("img"))
    assert (image.get("alt"), image.get("title")) == ("Tiêm chủng tại Trạm y tế", "Bộ Y tế")
