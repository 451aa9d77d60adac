"""Article-page main content: goldens per CMS, furniture removed, the "Nguồn:" line kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.extract import compile_selector, extract_main

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
PARAGRAPH = (
    "<p>UBND tỉnh Khánh Hòa yêu cầu các sở, ngành rà soát toàn bộ thủ tục hành chính, cắt giảm ít nhất 20% "
    "thời gian giải quyết và công khai kết quả trên Cổng dịch vụ công của tỉnh.</p>"
)


def _page(body: str) -> str:
    return f"<html><body><nav>Trang chủ | Tin tức</nav><div class='news-content'>{body}</div></body></html>"


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.html")), ids=lambda p: p.stem)
def test_page_extracts_to_its_golden_body(path: Path) -> None:
    golden = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert extract_main(path.read_text(encoding="utf-8")) == golden["body_html"]


@pytest.mark.parametrize(
    "furniture",
    [
        "<div class='view-count'>Lượt xem: 2.417</div>",
        "<p><a href='javascript:print()'>In bài viết</a></p>",
        "<div class='tools'>Email In PDF</div>",
        "<span>Bản in</span>",
        "<a href='mailto:?subject=tin'>Gửi email</a>",
        "<div class='share-buttons'><a href='https://facebook.com/sharer'>Facebook</a></div>",
        "<ol class='breadcrumb'><li>Trang chủ</li><li>Tin tức</li></ol>",
        "<form class='binh-luan'><label>Ý kiến bạn đọc</label><textarea></textarea></form>",
        "<script>var luotXem = 2417;</script>",
        "<h3>Tin liên quan</h3><ul><li><a href='/tin/1'>Hội nghị trực tuyến với các xã</a></li></ul>",
        "<div class='box'><b>Các tin khác</b><p><a href='/tin/2'>Khánh Hòa đón khách quốc tế</a></p></div>",
        "<p><strong>Tin cùng chuyên mục</strong></p><div><a href='/tin/3'>Lịch tiếp công dân</a></div>",
    ],
)
def test_furniture_is_removed_from_the_body(furniture: str) -> None:
    body = extract_main(_page(PARAGRAPH + furniture + PARAGRAPH.replace("20%", "30%")))
    assert body is not None
    assert body.count("<p>UBND tỉnh Khánh Hòa") == 2
    for word in ("Lượt xem", "In bài viết", "PDF", "Bản in", "Gửi email", "Facebook", "Trang chủ", "Ý kiến"):
        assert word not in body
    assert "<a href=" not in body
    assert "luotXem" not in body


def test_images_and_relative_links_are_kept() -> None:
    body = extract_main(
        _page(
            PARAGRAPH
            + "<p><img src='/anh/hoi-nghi.jpg' alt='Hội nghị'> <a href='vb/37.pdf'>Tải văn bản</a></p>"
        )
    )
    assert body is not None
    assert '<img src="/anh/hoi-nghi.jpg" alt="Hội nghị">' in body
    assert '<a href="vb/37.pdf">Tải văn bản</a>' in body


def test_source_line_outside_the_body_is_appended_last() -> None:
    html = (
        "<html><body><div><div class='detail-content'>" + PARAGRAPH + "</div>"
        "<p class='tac-gia'>Nguồn: Sở Nội vụ tỉnh Khánh Hòa</p></div></body></html>"
    )
    body = extract_main(html)
    assert body is not None
    assert body.endswith('<p class="tac-gia">Nguồn: Sở Nội vụ tỉnh Khánh Hòa</p>')


def test_source_line_inside_a_furniture_footer_survives() -> None:
    body = extract_main(
        _page(PARAGRAPH + "<footer><p>Nguồn: Cổng TTĐT Chính phủ</p><a href='/'>Về trang chủ</a></footer>")
    )
    assert body is not None
    assert body.endswith("<p>Nguồn: Cổng TTĐT Chính phủ</p>")
    assert "Về trang chủ" not in body


@pytest.mark.parametrize("selector", ["div.noi-dung-bai", "//div[@class='noi-dung-bai']"])
def test_configured_selector_wins_css_or_xpath(selector: str) -> None:
    html = (PAGES / "generic_article.html").read_text(encoding="utf-8")
    body = extract_main(
        html, content_selector=selector, remove_selectors=["p:last-of-type"] if "." in selector else []
    )
    assert body is not None
    assert body.startswith("<p>Chiều 3/5, UBND tỉnh Khánh Hòa tổ chức hội nghị đối thoại")


def test_configured_selector_matching_nothing_gives_none() -> None:
    html = (PAGES / "generic_article.html").read_text(encoding="utf-8")
    assert extract_main(html, content_selector="div.khong-co") is None


def test_page_without_article_text_gives_none() -> None:
    assert (
        extract_main("<html><body><nav><a href='/'>Trang chủ</a></nav><p>Đang cập nhật</p></body></html>")
        is None
    )


@pytest.mark.parametrize("selector", ["div..noi-dung", "//div[", "(//p"])
def test_invalid_selector_is_a_value_error(selector: str) -> None:
    with pytest.raises(ValueError, match="invalid"):
        compile_selector(selector)
