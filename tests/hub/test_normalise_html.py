"""Body HTML: allow-list sanitising, absolute links and images, furniture removal, plain text."""

from __future__ import annotations

import unicodedata
from concurrent.futures import ThreadPoolExecutor

import lxml.html
import pytest

from dedupe.furniture import is_furniture_line, is_section_heading
from hub.pipeline.normalise.html import first_image, html_to_text, parse_fragment, read_body, sanitise_body

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


def test_control_characters_are_removed_not_fatal() -> None:
    assert sanitise_body("<p>Trang\x0c2</p>", base_url=ARTICLE) == "<p>Trang 2</p>"
    pasted = (
        "<p>Tỷ lệ tiêm chủng\x07 đạt 96,2%.</p>"
        "<p><img src='/uploads/tiem-chung.jpg' alt='Tiêm chủng\x0btại Trạm y tế'"
        " title='Ảnh&#1;: Bộ Y tế'></p>"
    )
    assert sanitise_body(pasted, base_url=ARTICLE) == (
        "<p>Tỷ lệ tiêm chủng đạt 96,2%.</p>"
        '<p><img src="https://khanhhoa.gov.vn/uploads/tiem-chung.jpg" alt="Tiêm chủng tại Trạm y tế"'
        ' title="Ảnh: Bộ Y tế"></p>'
    )


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


# Bodies that exercise every step the one-parse path shares: scripts, entities, NFD and windows-1258 text,
# encoding repairs, furniture and "Tin liên quan" lists, credit lines, unwrapped blocks, deep nesting.
HOSTILE_BODIES = [
    "",
    "   ",
    "<!-- trống -->",
    "<script>x()</script>",
    "<p> &nbsp; <br> </p>",
    BODY,
    "<p onclick='x()'>Sáng 12/5 <b>UBND</b></p><script>document.write('x')</script><style>.x{}</style>",
    "Dòng một<br>Dòng&nbsp;hai &amp; ba &lt;script&gt;alert(1)&lt;/script&gt;<p>Đoạn mới</p>",
    "<p>" + unicodedata.normalize("NFD", "Nghị định về Khánh Hoà") + "</p>",
    "<p>" + b"Vi\xea\xf2t Nam - C\xf4ng v\xe3n s\xf4\xec 12".decode("cp1258") + "</p>",
    "<p>Nghá»‹ <b>Ä‘á»‹nh</b> sá»‘ 43</p><p>C«ng v¨n <i>sè</i> 12</p>",
    "<p>C«ng v¨n <i>sè</i> 12 cña UBND tØnh</p><img src='/a.jpg' alt='C«ng v¨n'>",
    "<p>Nội dung.</p><p>LƯỢT XEM: 56</p><p>Xem: ٣٤</p><h3>Tin liên quan</h3><ol><li>Tin khác</li></ol>",
    "<p>So với cùng kỳ, in ấn tăng.</p><p>Tin liên quan đến bão số 3</p><div>Chia sẻ | Zalo | In</div>",
    "<p>Nội dung bài.</p><p>Nguồn: mae.gov.vn</p>",
    "<p>Nội dung bài.</p><p>Phóng viên <em>(Theo TTXVN)</em></p>",
    "<p>(baochinhphu.vn) - Sáng nay, Thủ tướng chủ trì.</p><p>Đoạn hai.</p>",
    "<section><p>a</p></section><header>b</header>c<article>d</article><footer>e</footer>",
    "<p>Bảng:</p><pre>Điều 1\n  Khoản 2</pre><table><tr><th>Số</th><td>12</td></tr></table>",
    '<?xml version="1.0"?><p><a href="/van-ban/1.html">Văn bản</a> <a href="javascript:x()">x</a></p>',
    "<div>" * 300 + "Nội dung" + "</div>" * 300,
    "<p>Phụ lục, trang\x0c2<!-- ghi chú --> của báo cáo&#12;năm 2026</p><img src='/a.jpg' alt='Ảnh\x07'>",
]


@pytest.mark.parametrize("markup", HOSTILE_BODIES)
def test_read_body_agrees_with_sanitising_then_reading_the_text(markup: str) -> None:
    body = read_body(markup, base_url=ARTICLE)
    assert body.html == sanitise_body(markup, base_url=ARTICLE)
    assert body.text == html_to_text(body.html)
    reparsed = parse_fragment(body.html)
    assert (body.tree is None) is (reparsed is None)
    if body.tree is not None and reparsed is not None:
        assert lxml.html.tostring(body.tree, encoding="unicode") == lxml.html.tostring(
            reparsed, encoding="unicode"
        )


def test_attribute_filter_resolves_against_each_call_s_own_base_url() -> None:
    body = '<a href="/a.html">A</a>'
    assert 'href="https://mae.gov.vn/a.html"' in sanitise_body(body, base_url="https://mae.gov.vn/tin/1.html")
    assert 'href="https://moh.gov.vn/a.html"' in sanitise_body(body, base_url="https://moh.gov.vn/")
    assert "href" not in sanitise_body(body, base_url=None)


def test_concurrent_sanitising_keeps_each_body_s_base_url() -> None:
    body = "".join(f'<p><a href="/tin/{n}.html">Tin {n}</a><img src="/anh/{n}.jpg"></p>' for n in range(50))

    def hosts(portal: int) -> set[str]:
        html = sanitise_body(body, base_url=f"https://cong-{portal}.gov.vn/tin/")
        return {part.split("/", 1)[0] for part in html.split("https://")[1:]}

    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(hosts, [n % 16 for n in range(400)]))
    assert found == [{f"cong-{n % 16}.gov.vn"} for n in range(400)]
