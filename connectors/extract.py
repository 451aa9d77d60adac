"""Main content of an article page: configured selector first, then known CMS containers, then density.

Input: the page as text. Output: the body's inner HTML (images and links kept, relative is fine)
with page furniture removed and the "Nguồn: ..." line kept at the end, or None when nothing is found.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from collections.abc import Callable, Sequence

import lxml.html
from lxml import etree

Selector = Callable[[etree._Element], list[etree._Element]]


def _with_class(name: str) -> str:
    return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


# Body containers of the CMSs Vietnamese portals run, most specific first (order matters). XPath, so
# the generic path works without cssselect (only configured CSS selectors need it).
KNOWN_CONTAINERS = (
    "//*[contains(@id, 'divArticleDescription')]",  # SharePoint news detail
    _with_class("divArticleDescription"),
    "//*[contains(@id, 'RichHtmlField')]",  # SharePoint publishing page field
    _with_class("ms-rtestate-field"),
    _with_class("journal-content-article"),  # Liferay web content
    _with_class("news-content"),
    _with_class("detail-content"),
    _with_class("article-content"),
    _with_class("content-detail"),
    "//article",
)
# Tags that are never article text. <form> is not among them: ASP.NET wraps whole pages in one.
DROP_TAGS = (
    "aside",
    "button",
    "iframe",
    "input",
    "link",
    "meta",
    "nav",
    "noscript",
    "script",
    "select",
    "style",
    "template",
    "textarea",
)
FURNITURE_TAGS = ("footer", "form", "header")  # inside the body: comment forms, bylines
# class/id words (or their prefixes) of furniture blocks: "share-buttons", "breadcrumbs", "box-related".
FURNITURE_WORDS = (
    "breadcrumb",
    "comment",
    "footer",
    "header",
    "menu",
    "print",
    "rating",
    "related",
    "share",
    "social",
    "toolbar",
)
# Short texts (casefolded prefixes) of furniture elements: view counters, print/email/PDF tools.
FURNITURE_PHRASES = (
    "bản in",
    "chia sẻ",
    "email in pdf",
    "gửi email",
    "in bài viết",
    "in trang",
    "lượt xem",
    "quay lại",
    "số lượt xem",
    "về đầu trang",
)
# Headings (casefolded prefixes) introducing related-news lists.
RELATED_HEADINGS = (
    "bài viết liên quan",
    "các tin khác",
    "các tin đã đưa",
    "tin cùng chuyên mục",
    "tin liên quan",
    "tin đã đưa",
)
SOURCE_LINE = re.compile(r"^\s*nguồn\s*:", re.IGNORECASE)
MAX_FURNITURE_CHARS = 120  # a furniture element is short; longer text is article prose
MAX_SOURCE_LINE_CHARS = 250
MIN_BODY_CHARS = 80  # below this the "main content" is a caption or a teaser, not an article
LINK_DENSITY = 0.6  # a block whose text is mostly link text is a list of links

_XPATH_START = ("/", "./", "(")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


@functools.lru_cache(maxsize=256)  # a handful of selectors serve thousands of pages
def compile_selector(selector: str) -> Selector:
    """XPath when the selector starts with `/`, `./` or `(`; CSS otherwise. Raise ValueError when invalid."""
    if selector.startswith(_XPATH_START):
        try:
            xpath = etree.XPath(selector)
        except etree.XPathSyntaxError as exc:
            raise ValueError(f"invalid XPath {selector!r}: {exc}") from exc
        return lambda root: [el for el in xpath(root) if isinstance(el, etree._Element)]
    try:
        from cssselect import SelectorError  # optional dependency: imported where used
        from lxml.cssselect import CSSSelector
    except ImportError as exc:  # pragma: no cover - cssselect is a declared dependency
        raise ValueError(f"CSS selector {selector!r} needs the cssselect package; use XPath") from exc
    try:
        css: Selector = CSSSelector(selector)
    except SelectorError as exc:
        raise ValueError(f"invalid CSS selector {selector!r}: {exc}") from exc
    return css


def extract_main(
    html: str, *, content_selector: str | None = None, remove_selectors: Sequence[str] = ()
) -> str | None:
    """The article body of `html` as inner HTML, or None when no block holds article text."""
    root = lxml.html.document_fromstring(_XML_DECL.sub("", html, count=1) or "<html></html>")
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    container = _find_container(root, content_selector)
    if container is None:
        return None
    parent = container.getparent()
    source = _source_line(container if parent is None else parent)
    for selector in remove_selectors:
        _drop_all(compile_selector(selector)(container))
    _remove_furniture(container)
    if source is not None and _source_line(container) is None:
        kept = copy.deepcopy(source)
        kept.tail = None
        container.append(kept)  # the hub reads syndication lineage from this line
    body = _inner_html(container)
    return body if len(_text(container)) >= MIN_BODY_CHARS else None


def _find_container(root: etree._Element, content_selector: str | None) -> etree._Element | None:
    if content_selector:
        found = compile_selector(content_selector)(root)
        return found[0] if found else None
    for selector in KNOWN_CONTAINERS:
        found = [el for el in compile_selector(selector)(root) if len(_text(el)) >= MIN_BODY_CHARS]
        if found:
            return found[0]
    return _densest_block(root)


def _densest_block(root: etree._Element) -> etree._Element | None:
    """The block whose paragraphs hold the most non-link text (parent full credit, grandparent half)."""
    scores: dict[etree._Element, float] = {}
    for para in root.iter("p"):
        weight = _own_text_len(para)
        parent = para.getparent()
        if parent is None or weight == 0:
            continue
        scores[parent] = scores.get(parent, 0.0) + weight
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0.0) + weight / 2
    candidates = [el for el in scores if el.tag not in ("html", "body")] or list(scores)
    return max(candidates, key=scores.__getitem__, default=None)


def _remove_furniture(container: etree._Element) -> None:
    for el in list(container.iterdescendants()):
        if not isinstance(el.tag, str) or not any(a is container for a in el.iterancestors()):
            continue  # a comment, or already removed with an ancestor
        if _is_furniture_block(el) or _starts_with(el, FURNITURE_PHRASES):
            _drop(el)
        elif _starts_with(el, RELATED_HEADINGS):
            _drop_related(el, container)


def _is_furniture_block(el: etree._Element) -> bool:
    if el.tag in FURNITURE_TAGS:
        return True
    words = re.split(r"[^a-z0-9]+", f"{el.get('class', '')} {el.get('id', '')}".lower())
    return any(word.startswith(FURNITURE_WORDS) for word in words if word)


def _starts_with(el: etree._Element, phrases: tuple[str, ...]) -> bool:
    text = _text(el)
    return 0 < len(text) <= MAX_FURNITURE_CHARS and text.casefold().startswith(phrases)


def _drop_related(heading: etree._Element, container: etree._Element) -> None:
    """Drop the block a related-news heading introduces: its wrapper, or itself plus the list after it."""
    block, prefix = heading, _text(heading)
    while (parent := block.getparent()) is not None and parent is not container:
        if not _text(parent).startswith(prefix):
            break
        block = parent
    following = block.getnext()
    if block is heading and following is not None and _is_link_list(following):
        _drop(following)
    _drop(block)


def _is_link_list(el: etree._Element) -> bool:
    text_len = len(_text(el))
    link_len = sum(len(_text(a)) for a in el.iter("a"))
    return el.tag in ("ul", "ol") or (text_len > 0 and link_len / text_len >= LINK_DENSITY)


def _source_line(scope: etree._Element) -> etree._Element | None:
    """The last outermost short element starting with "Nguồn:" (not the <strong> inside its <p>)."""
    lines = [
        el
        for el in scope.iter("p", "div", "span", "em", "strong", "b", "i")
        if len(_text(el)) <= MAX_SOURCE_LINE_CHARS and SOURCE_LINE.match(_text(el))
    ]
    outermost = [el for el in lines if not any(a in lines for a in el.iterancestors())]
    return outermost[-1] if outermost else None


def _drop_all(elements: list[etree._Element]) -> None:
    for el in elements:
        if el.getparent() is not None:
            _drop(el)


def _drop(el: lxml.html.HtmlElement) -> None:
    el.drop_tree()  # keeps the tail text, which belongs to the parent


def _inner_html(el: etree._Element) -> str:
    parts = [_escape(el.text or "")]
    parts.extend(lxml.html.tostring(child, encoding="unicode") for child in el)
    return "".join(parts).strip()


def _text(el: etree._Element) -> str:
    return unicodedata.normalize("NFC", " ".join("".join(el.itertext()).split()))


def _own_text_len(el: etree._Element) -> int:
    links = sum(len(_text(a)) for a in el.iter("a"))
    return max(len(_text(el)) - links, 0)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
