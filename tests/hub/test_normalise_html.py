"""Body HTML: allow-list sanitising, absolute links and images, furniture removal, plain text."""

from __future__ import annotations

import pytest

from dedupe.furniture import is_furniture_line, is_section_heading
from hub.pipeline.normalise.html import first_image, html_to_text, sanitise_body

ARTICLE = "https://khanhhoa.gov.vn/tin-tuc/hoi-nghi-thuy-loi-12345.html"
BODY = """
<div class="detail-content">
  <p onclick="track()">Sáng 12/5, <b>UBND tỉnh Khánh Hoà</b> tổ chức hội nghị
     triển khai công tác thuỷ lợi.</p>
  <script>document.write('quảng cáo')</script>
  <style>.x { color: red }</style>
  <p><a href="javascript:alert(1)">Bấm vào đây</a> hoặc xem
     <a href="/van-ban/qd-12.html">Quyết định 12</a>.</p>
  <p><img src="/uploads/a.jpg" alt="Hội nghị" onerror="steal()"
          srcset="/uploads/a-480.jpg 480w, /uploads/a-960.jpg 960w"></p>
  <p><img src="data:image/png;base64,iVBORw0KGgo="></p>
  <iframe src="https://www.youtube.com/embed/x"></iframe>
  <object data="/flash.swf"></object>
  <form action="/binh-luan"><input name="ten">Gửi bình luận</form>
  <p>Lượt xem: 1.234</p>
  <div>In bài viết | Gửi email | Chia sẻ</div>
  <p>Nguồn: monre.gov.vn</p>
  <h3>Tin liên quan</h3>
  <ul><li><a href="/tin-khac.html">Khánh Hòa chuẩn bị mùa mưa bão</a></li></ul>
</div>
"""


@pytest.fixture(scope="module")
def sanitised() -> str:
    return sanitise_body(BODY, base_url=ARTICLE)


@pytest.mark.parametrize(
    "banned",
    [
        "<script",
        "document.write",
        "<style",
        "color: red",
        "onclick",
        "onerror",
        "javascript:",
        "<iframe",
        "youtube",
        "<object",
        "<form",
        "<input",
        "data:image",
    ],
)
def test_dangerous_markup_is_removed(sanitised: str, banned: str) -> None:
    assert banned not in sanitised


def test_links_and_images_become_absolute(sanitised: str) -> None:
    assert 'href="https://khanhhoa.gov.vn/van-ban/qd-12.html"' in sanitised
    assert 'src="https://khanhhoa.gov.vn/uploads/a.jpg"' in sanitised
    site = "https://khanhhoa.gov.vn/uploads"
    assert f'srcset="{site}/a-480.jpg 480w, {site}/a-960.jpg 960w"' in sanitised
    assert 'alt="Hội nghị"' in sanitised


def test_furniture_and_related_links_are_dropped(sanitised: str) -> None:
    for furniture in ("Lượt xem", "In bài viết", "Chia sẻ", "Tin liên quan", "mùa mưa bão"):
        assert furniture not in sanitised


def test_article_text_and_credit_line_are_kept(sanitised: str) -> None:
    assert "<b>UBND tỉnh Khánh Hoà</b>" in sanitised
    assert "Nguồn: monre.gov.vn" in sanitised
    assert "Quyết định 12" in sanitised


def test_plain_text_keeps_paragraph_breaks(sanitised: str) -> None:
    assert html_to_text(sanitised) == (
        "Sáng 12/5, UBND tỉnh Khánh Hoà tổ chức hội nghị triển khai công tác thuỷ lợi.\n\n"
        "Bấm vào đây hoặc xem Quyết định 12.\n\n"
        "Nguồn: monre.gov.vn"
    )


def test_preformatted_text_keeps_its_lines() -> None:
    assert html_to_text("<p>Bảng:</p><pre>Điều 1\n  Khoản 2</pre>") == "Bảng:\n\nĐiều 1\nKhoản 2"


def test_line_breaks_and_entities_in_text() -> None:
    assert (
        html_to_text("Dòng một<br>Dòng&nbsp;hai &amp; ba<p>Đoạn mới</p>")
        == "Dòng một\nDòng hai & ba\n\nĐoạn mới"
    )


def test_mailto_links_survive() -> None:
    assert 'href="mailto:vp@khanhhoa.gov.vn"' in sanitise_body(
        '<a href="mailto:vp@khanhhoa.gov.vn">Liên hệ</a>', base_url=ARTICLE
    )


@pytest.mark.parametrize("empty", ["", "   ", "<!-- trống -->"])
def test_empty_body_gives_empty_html(empty: str) -> None:
    assert sanitise_body(empty, base_url=ARTICLE) == ""
    assert html_to_text(empty) == ""


def test_mojibake_and_tcvn3_inside_markup_are_repaired() -> None:
    assert html_to_text("<p>Nghá»‹ <b>Ä‘á»‹nh</b> sá»‘ 43</p>") == "Nghị định số 43"
    assert html_to_text("<p>C«ng v¨n <i>sè</i> 12 cña UBND tØnh</p>") == "Công văn số 12 của UBND tỉnh"


def test_deeply_nested_markup_is_rendered_without_recursion_errors() -> None:
    nested = "<div>" * 1200 + "Nội dung" + "</div>" * 1200
    assert html_to_text(nested) == "Nội dung"
    assert "Nội dung" in sanitise_body(nested, base_url=ARTICLE)


def test_first_image_of_a_description_is_absolute() -> None:
    description = '<a href="/tin/1.html"><img src="/uploads/thumb.jpg" /></a>Tóm tắt bài viết'
    assert first_image(description, base_url=ARTICLE) == "https://khanhhoa.gov.vn/uploads/thumb.jpg"
    assert first_image("Không có ảnh", base_url=ARTICLE) is None


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("Lượt xem: 1.234", True),
        ("LƯỢT XEM: 56", True),
        ("Số lượt xem: 1.234.567", True),
        ("In bài viết", True),
        ("Email In PDF", True),
        ("Chia sẻ", True),
        ("Bản in", True),
        ("Gửi email", True),
        ("In bài viết | Gửi email | Chia sẻ", True),
        ("Lượt xem tăng mạnh trong tháng 5", False),
        ("Chia sẻ kinh nghiệm phòng chống thiên tai", False),
        ("", False),
    ],
)
def test_furniture_lines(line: str, furniture: bool) -> None:
    assert is_furniture_line(line) is furniture


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Tin liên quan", True),
        ("TIN LIÊN QUAN:", True),
        ("Các tin khác", True),
        ("Tin liên quan đến bão số 3", False),
    ],
)
def test_section_headings(line: str, heading: bool) -> None:
    assert is_section_heading(line) is heading


def test_section_heading_without_a_list_goes_alone() -> None:
    body = "<p>Nội dung bài viết.</p><h3>Tin liên quan</h3><p>Đoạn kết.</p>"
    assert html_to_text(sanitise_body(body, base_url=ARTICLE)) == "Nội dung bài viết.\n\nĐoạn kết."


def test_srcset_candidates_that_are_not_web_urls_are_dropped() -> None:
    body = '<img src="/a.jpg" srcset="javascript:x() 1x, /a-2x.jpg 2x">'
    assert 'srcset="https://khanhhoa.gov.vn/a-2x.jpg 2x"' in sanitise_body(body, base_url=ARTICLE)
    assert "srcset" not in sanitise_body('<img src="/a.jpg" srcset="javascript:x() 1x">', base_url=ARTICLE)
